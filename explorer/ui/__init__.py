"""The Textual user interface: the app, its screens, widgets, dialogs and styles."""
