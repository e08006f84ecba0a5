"""Turn a transport failure (refused, DNS, TLS, time-out…) into a code, a message and what to check next."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import httpx


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify_transport_error(exc: httpx.TransportError, url: str) -> tuple[str, str, str]:
    """(code, message, hint) for a failure before any HTTP answer arrived."""
    parts = urlsplit(url)
    host = parts.hostname or url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting to",
            httpx.ReadTimeout: "waiting for an answer from",
            httpx.WriteTimeout: "sending to",
            httpx.PoolTimeout: "waiting for a free connection to",
        }.get(type(exc), "talking to")
        return (
            "timeout",
            f"Timed out {phase} {host}.",
            "The server may be slow or unreachable; check the URL and your network, or raise the time-out.",
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text or "ssl" in text:
        reason = "its certificate could not be verified" if "certificate" in text else "the TLS handshake failed"
        return (
            "tls",
            f"Could not open a secure connection to {host}: {reason}.",
            "Check the URL's scheme and host name, the system clock, and any proxy or custom CA in between.",
        )
    if (
        any(isinstance(e, socket.gaierror) for e in chain)
        or "name or service not known" in text
        or ("nodename nor servname" in text or "name resolution" in text or "getaddrinfo" in text)
    ):
        return (
            "dns",
            f"The host name {host!r} could not be resolved.",
            "Check the spelling of the tenant or URL in the profile, and your DNS or VPN.",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return (
            "connection_refused",
            f"Nothing is listening at {host}:{port} (connection refused).",
            "Check the URL and port; if it is a local sandbox, is it running?",
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return (
            "protocol",
            f"{host} closed the connection or answered something that is not HTTP.",
            "Check the URL's scheme (http or https) and port.",
        )
    return (
        "network",
        f"Could not reach {host}: {exc or type(exc).__name__}.",
        "Check the URL and your network.",
    )
