"""Importers: other tools' request files as explorer collections (see `base` for the registry)."""

from explorer.core.importers.base import (
    BUILTIN_MODULES,
    ImportFormat,
    ImportOrigin,
    ImportResult,
    ImportSourceError,
    ProfileSuggestion,
    RetiredToken,
    detect_format,
    formats,
    get_format,
    import_text,
    register,
)

__all__ = [
    "BUILTIN_MODULES",
    "ImportFormat",
    "ImportOrigin",
    "ImportResult",
    "ImportSourceError",
    "ProfileSuggestion",
    "RetiredToken",
    "detect_format",
    "formats",
    "get_format",
    "import_text",
    "register",
]
