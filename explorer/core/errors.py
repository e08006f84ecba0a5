"""One tree of errors. Each carries a short title, a message and a hint that says what to check next.

The CLI prints `title: message` and the hint on one line each; the TUI shows them as a titled notification.
Every text is passed through `sanitize.clean()` when the error is made: an error can quote a server or a file,
and no control character in it ever reaches a terminal, a notification or a report.
`exit_code` is what a headless command exits with: 2 for usage and configuration problems, 1 otherwise.
"""

from __future__ import annotations

from explorer.core.sanitize import clean


class ExplorerError(Exception):
    """Base of every error explorer reports to a user."""

    title: str = "Error"
    exit_code: int = 1

    def __init__(self, message: str, *, hint: str = "", title: str | None = None) -> None:
        # Messages quote servers, files and names a user typed: made safe once, here, for every place they show.
        message = clean(message)
        super().__init__(message)
        self.message = message
        self.hint = clean(hint)
        if title is not None:
            self.title = clean(title)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def one_line(self) -> str:
        """The error as one line for stderr."""
        return f"{self.title}: {self}"


class ConfigError(ExplorerError):
    """The profiles file, a theme or a command line is wrong."""

    title = "Configuration error"
    exit_code = 2


class SecretError(ConfigError):
    """A client secret could not be found, read or stored."""

    title = "Client secret unavailable"


class TemplateError(ExplorerError):
    """A `{{variable}}` in a request has no value. Raised before anything is sent."""

    title = "Unknown variable"
    exit_code = 2

    def __init__(self, names: list[str], where: str = "") -> None:
        self.names = names
        listed = ", ".join(f"{{{{{n}}}}}" for n in names)
        place = f" in {where}" if where else ""
        hint = "Define it in the profile's [variables] or the collection's [variables]."
        if all(n.startswith("$env.") for n in names):
            hint = f"Set the environment variable {', '.join(n[5:] for n in names)} before sending."
        super().__init__(f"{listed}{place} has no value.", hint=hint)


class CollectionError(ExplorerError):
    """A collection file cannot be read, is invalid, or would be unsafe to write."""

    title = "Collection error"
    exit_code = 2

    def __init__(self, message: str, *, path: str = "", line: int | None = None, key: str = "", hint: str = "") -> None:
        self.path = path
        self.line = line
        self.key = key
        where = path
        if line is not None:
            where += f", line {line}"
        if key:
            where += f", key {key}"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)


class TokenError(ExplorerError):
    """The token endpoint refused, failed, or answered something that is not a token.

    `code` is the OAuth2 `error` code when the server sent one (`invalid_client`, …) or one of ours
    (`connection_refused`, `dns`, `tls`, `timeout`, `html_response`, `not_json`, `no_access_token`, …).
    """

    title = "Token request failed"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        hint: str = "",
        status: int | None = None,
        description: str = "",
        title: str | None = None,
    ) -> None:
        self.code = clean(code)
        self.status = status
        self.description = clean(description, multiline=True)
        super().__init__(message, hint=hint, title=title)


class RequestError(ExplorerError):
    """An API request could not be sent or its answer could not be read (network, TLS, time-out)."""

    title = "Request failed"

    def __init__(self, message: str, *, code: str, hint: str = "", title: str | None = None) -> None:
        self.code = code
        super().__init__(message, hint=hint, title=title)


class UnusableTokenError(TokenError):
    """The token endpoint answered with a token explorer must not use: a type other than Bearer, characters a
    Bearer token cannot hold (they could end up in a header as a second header), an impossible lifetime."""

    title = "Unusable token"
    exit_code = 2
