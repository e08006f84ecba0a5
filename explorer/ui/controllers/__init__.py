"""Controllers: what the main screen does when a pane asks for something.

Panes (widgets) show data and post messages; they never open dialogs, write files or talk to the network. The
screen routes each message to a controller, which asks the session (explorer.app) what to do, opens dialogs,
runs workers (on the screen, so the screen's keys follow them) and hands the results back to the panes.
"""
