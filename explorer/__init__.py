"""explorer: a terminal API explorer for OAuth2 client-credentials APIs such as NewStore."""

from __future__ import annotations

__version__ = "0.1.0"
