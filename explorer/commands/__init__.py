"""Headless commands behind the CLI. Each imports only what it needs."""
