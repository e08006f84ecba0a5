"""The application layer: what the app does, without Textual.

Settings, the session (engines per profile, token state, the send pipeline), edits to collections and the demo
wiring live here so they can be driven and tested without a terminal; `explorer.ui` renders what they say.
"""
