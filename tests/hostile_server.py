"""A misbehaving HTTP server on loopback, in both roles: token endpoint and API. stdlib sockets only.

`/token/NAME` answers as a token endpoint and `/api/NAME` as an API, where NAME picks the misbehaviour (see
`TOKEN_FAULTS`, `API_FAULTS` and `TRANSPORT_FAULTS`, which serve both). Every answer is written by hand on the
socket, so it can be what no well-behaved server library would send: control characters in a reason phrase,
a body that never ends, a byte a second, a gzip bomb, corrupt compression, a Content-Length that lies.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

GOOD_TOKEN = "hostile-good-token-0123456789"
ESC = "\x1b"
# Text meant to do harm on a terminal: recolour, clear the screen, retitle the window, ring, overwrite the line.
NASTY = f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}]0;owned{chr(7)} \r\b{chr(0x9B)}6n"


def _jwt(claims: dict[str, Any] | str) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    payload = claims if isinstance(claims, str) else json.dumps(claims)
    header = part(b'{"alg":"none"}')
    return f"{header}.{part(payload.encode())}.sig"


def _token(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"access_token": GOOD_TOKEN, "token_type": "Bearer", "expires_in": 300}
    body.update(fields)
    return body


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# name -> (status, JSON-able body or raw text) for the token endpoint's answers.
TOKEN_FAULTS: dict[str, tuple[int, Any]] = {
    "ok": (200, _token(scope="read write")),
    "bearer-lower": (200, _token(token_type="bearer")),
    "error-esc": (401, {"error": f"invalid_client{NASTY}", "error_description": f"Bad {NASTY}\r\nX-Injected: 1"}),
    "error-other-esc": (400, {"error": f"weird{NASTY}", "error_description": NASTY}),
    "realm-esc": (404, {"error": f"Realm{NASTY}", "error_description": NASTY}),
    "error-markup": (401, {"error": "[bold red]x[/]", "error_description": "[link=https://evil.example]click[/link]"}),
    "error-nonstring": (400, {"error": {"nested": [1, 2]}, "error_description": ["a", NASTY]}),
    "token-crlf": (200, _token(access_token="abc\r\nX-Injected: yes")),
    "token-space": (200, _token(access_token="abc def")),
    "token-esc": (200, _token(access_token=f"abc{ESC}[2Jdef")),
    "token-long-esc": (200, _token(access_token="A" * 20 + f"{ESC}]52;c;aGk={chr(7)}" + "B" * 20)),
    "token-number": (200, _token(access_token=12345)),
    "type-mac": (200, _token(token_type="mac")),
    "type-esc": (200, _token(token_type=f"Bearer{NASTY}")),
    "type-number": (200, _token(token_type=7)),
    "scope-esc": (200, _token(scope=f"read{NASTY} write")),
    "scope-number": (200, _token(scope=42)),
    "expires-huge": (200, _token(expires_in=1e308)),
    "expires-bigint": (200, _token(expires_in=10**40)),
    "expires-negative": (200, _token(expires_in=-5)),
    "expires-zero": (200, _token(expires_in=0)),
    "expires-fraction": (200, _token(expires_in=299.5)),
    "expires-string": (200, _token(expires_in="300")),
    "expires-junk": (200, _token(expires_in="soon")),
    "expires-nan-string": (200, _token(expires_in="NaN")),
    "expires-inf-string": (200, _token(expires_in="Infinity")),
    "expires-nan": (200, f'{{"access_token": "{GOOD_TOKEN}", "token_type": "Bearer", "expires_in": NaN}}'),
    "expires-inf": (200, f'{{"access_token": "{GOOD_TOKEN}", "token_type": "Bearer", "expires_in": 1e999}}'),
    "expires-bool": (200, _token(expires_in=True)),
    "expires-null": (200, _token(expires_in=None)),
    "expires-list": (200, _token(expires_in=[300])),
    "refresh-nan": (200, f'{{"access_token": "{GOOD_TOKEN}", "expires_in": 300, "refresh_expires_in": 1e999}}'),
    "jwt-exp-inf": (200, _token(access_token=_jwt('{"exp": 1e999, "iat": -1e999, "scope": "a"}'))),
    "jwt-exp-nan": (200, _token(access_token=_jwt('{"exp": NaN, "iat": NaN}'), expires_in=None)),
    "jwt-deep": (200, _token(access_token=_jwt('{"x": ' + _deep(600) + "}"))),
    "jwt-esc": (200, _token(access_token=_jwt({"iss": NASTY, "sub": NASTY, "azp": NASTY, NASTY: 1}))),
    "body-deep": (200, _deep(100_000)),
    "body-list": (200, "[1, 2, 3]"),
    "html-esc": (502, f"<html><body>{NASTY}</body></html>"),
    "text-esc": (200, f"not json {NASTY}"),
    "empty": (200, ""),
}

# name -> (status, body text, content type) for an API's answers.
API_FAULTS: dict[str, tuple[int, str, str]] = {
    "ok": (200, '{"ok": true}', "application/json"),
    "body-esc": (200, json.dumps({"name": NASTY}) + "\n" + NASTY, "application/json"),
    "text-esc": (200, f"plain {NASTY}\nsecond line", "text/plain"),
    "deep-json": (200, _deep(100_000), "application/json"),
    "binary": (200, "\x00\x01\x02\x1b[2J", "application/octet-stream"),
    "server-error-esc": (500, NASTY, "text/plain"),
}

TRANSPORT_FAULTS = (
    "drip",
    "slow-headers",
    "endless",
    "bomb",
    "bad-gzip",
    "bad-deflate",
    "bad-br",
    "truncated-gzip",
    "short-body",
    "close",
    "garbage",
    "reason-esc",
    "header-esc",
)


def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzipped (about a thousandth of the size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


class HostileServer:
    """Start with `start()` (or `with`), stop with `stop()`. `base_url` is http://127.0.0.1:PORT."""

    def __init__(self, *, drip_interval: float = 1.0, bomb_megabytes: int = 64) -> None:
        self.drip_interval = drip_interval
        self.bomb_megabytes = bomb_megabytes
        self._bomb: bytes | None = None
        self._stopping = threading.Event()
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def token_url(self, fault: str) -> str:
        return f"{self.base_url}/token/{fault}"

    def api_url(self, fault: str = "ok") -> str:
        return f"{self.base_url}/api/{fault}"

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- one connection -----------------------------------------------------------------------------

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(30)
        try:
            method, path, headers = self._read_request(sock)
        except (OSError, ValueError):
            return
        self.requests.append((method, path, headers))
        parts = path.split("?")[0].strip("/").split("/")
        role, fault = ([*parts, "", ""])[:2]
        try:
            self._answer(sock, role, fault)
        except OSError:
            return  # the client went away, which is what a bounded client does

    def _read_request(self, sock: socket.socket) -> tuple[str, str, dict[str, str]]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise ValueError("no request")
            data += chunk
            if len(data) > 1 << 20:
                raise ValueError("request too large")
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return method, path, headers

    def _answer(self, sock: socket.socket, role: str, fault: str) -> None:
        if fault in TRANSPORT_FAULTS:
            self._transport(sock, fault)
        elif role == "token" and fault in TOKEN_FAULTS:
            status, body = TOKEN_FAULTS[fault]
            text = body if isinstance(body, str) else json.dumps(body)
            ctype = "text/html" if fault.startswith("html") else "application/json"
            if fault == "text-esc":
                ctype = "text/plain"
            _send(sock, status, [("Content-Type", ctype)], text.encode("utf-8", "surrogatepass"))
        elif role == "api" and fault in API_FAULTS:
            status, text, ctype = API_FAULTS[fault]
            _send(sock, status, [("Content-Type", ctype)], text.encode())
        else:
            _send(sock, 404, [("Content-Type", "text/plain")], b"unknown fault")

    def _transport(self, sock: socket.socket, fault: str) -> None:
        json_type = [("Content-Type", "application/json")]
        if fault == "drip":
            _head(sock, 200, [*json_type, ("Content-Length", "100000")])
            for _ in range(100000):
                if self._stopping.wait(self.drip_interval):
                    return
                sock.sendall(b" ")
        elif fault == "slow-headers":
            self._stopping.wait(120)
        elif fault == "endless":
            _head(sock, 200, [*json_type, ("Transfer-Encoding", "chunked")])
            chunk = b"[" + b"0," * 32767 + b"0"
            frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            while not self._stopping.is_set():
                sock.sendall(frame)
        elif fault == "bomb":
            if self._bomb is None:
                self._bomb = gzip_bomb(self.bomb_megabytes)
            _send(sock, 200, [*json_type, ("Content-Encoding", "gzip")], self._bomb)
        elif fault == "bad-gzip":
            _send(sock, 200, [*json_type, ("Content-Encoding", "gzip")], b"\x1f\x8b\x08\x00garbage" * 50)
        elif fault == "bad-deflate":
            _send(sock, 200, [*json_type, ("Content-Encoding", "deflate")], b"\xff\xfenot deflate at all" * 20)
        elif fault == "bad-br":
            _send(sock, 200, [*json_type, ("Content-Encoding", "br")], b"\xce\xb2\x1b[2Jnot brotli")
        elif fault == "truncated-gzip":
            whole = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
            data = whole.compress(b'{"ok": true, "pad": "' + b"x" * 5000 + b'"}') + whole.flush()
            _send(sock, 200, [*json_type, ("Content-Encoding", "gzip")], data[: len(data) // 2])
        elif fault == "short-body":
            _head(sock, 200, [*json_type, ("Content-Length", "1000")])
            sock.sendall(b'{"ok": ')
        elif fault == "close":
            return
        elif fault == "garbage":
            sock.sendall(f"not http at all {NASTY}\r\n\r\n".encode())
        elif fault == "reason-esc":
            body = b'{"error": "invalid_client"}'
            sock.sendall(
                f"HTTP/1.1 401 Un{NASTY.replace(chr(13), '').replace(chr(0x9B), '')}authorized\r\n".encode()
                + f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".encode()
                + body
            )
        elif fault == "header-esc":
            body = b'{"ok": true}'
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nX-Note: a\x1b[31mb\x07c\r\n"
                + f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".encode()
                + body
            )


def _head(sock: socket.socket, status: int, headers: Iterable[tuple[str, str]]) -> None:
    lines = [f"HTTP/1.1 {status} Hostile", *(f"{k}: {v}" for k, v in headers), "Connection: close", "", ""]
    sock.sendall("\r\n".join(lines).encode("latin-1"))


def _send(sock: socket.socket, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    _head(sock, status, [*headers, ("Content-Length", str(len(body)))])
    sock.sendall(body)


def hostile_profiles_toml(
    server: HostileServer, token_faults: Iterable[str], *, api: str = "ok", extra: str = ""
) -> str:
    """A profiles file with one profile per token fault, each named like the fault, all using the API `api`."""
    parts = []
    for fault in token_faults:
        parts.append(
            f'[profiles."{fault}"]\ntenant = "acme-sandbox"\nclient_id = "c"\nclient_secret = "s"\n'
            f'token_url = "{server.token_url(fault)}"\napi_url = "{server.api_url(api)}"\n{extra}\n'
        )
    return "\n".join(parts)


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.02)
    return check()


def chunks_of(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


# What a terminal would act on: C0 controls but newline, DEL, C1 controls, bidirectional overrides.
TERMINAL_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(text: str) -> None:
    """No control character a terminal would interpret, and no traceback."""
    found = TERMINAL_CONTROL.search(text)
    assert found is None, f"control character {found.group()!r} in {text!r}"
    assert "Traceback" not in text, text
