"""Reusable widgets: the request composer, the response pane, the collection tree and replay results."""
