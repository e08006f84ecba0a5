"""Screens: the main screen and its collection half."""
