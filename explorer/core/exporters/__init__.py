"""Exporters: requests out of explorer as curl lines, `.http` files and HAR, never carrying a token or secret."""
