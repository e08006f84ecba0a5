"""`SandboxServer`: a threaded HTTP/1.1 server on loopback serving the Keycloak realms and the tenant API.

Connections are kept alive (every response carries a `Content-Length`), each is served by a daemon thread,
and `stop()` closes the listening socket and every open connection, so a test never leaves a thread behind
waiting on a socket.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from explorer.sandbox.api import TenantApi
from explorer.sandbox.data import BUILTIN_CLIENTS, DEFAULT_TENANTS, SandboxClient
from explorer.sandbox.keycloak import TOKEN_PATH, Keycloak, SigningKey
from explorer.sandbox.ratelimit import RateLimiter
from explorer.sandbox.wire import Request, Response, json_response, problem

REQUEST_LOG_SIZE = 1000
MAX_BODY_BYTES = 16 * 1024 * 1024


class LoggedRequest(NamedTuple):
    """One request the server answered (the path without its query string)."""

    method: str
    path: str
    status: int


class SandboxServer:
    """A stand-in for NewStore tenants and their Keycloak realms, on loopback.

    `rate_limit` is in requests per second per client (bursts of twice that); None turns it off. `clock`
    (epoch seconds) decides token issue and expiry times and drives the rate limit, so tests move time
    instead of sleeping.
    """

    keycloak: Keycloak
    api: TenantApi

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        token_ttl: int = 300,
        rate_limit: float | None = 50.0,
        tenants: Iterable[str] = DEFAULT_TENANTS,
        clients: Iterable[SandboxClient] | None = None,
        clock: Callable[[], float] = time.time,
        quiet: bool = True,
    ) -> None:
        self.host = host
        self.token_ttl = token_ttl
        self.rate_limit = rate_limit
        self.tenants: tuple[str, ...] = tuple(dict.fromkeys(tenants))
        self.clients: dict[str, SandboxClient] = {
            c.client_id: c for c in (BUILTIN_CLIENTS if clients is None else clients)
        }
        self.clock = clock
        self.quiet = quiet
        self.key = SigningKey()
        self._requested_port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._token_requests = 0
        self._log: deque[LoggedRequest] = deque(maxlen=REQUEST_LOG_SIZE)

    # -- lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind (port 0 picks a free port) and serve in a daemon thread; returns once it listens."""
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self._requested_port), self)
        self._httpd = httpd
        base_url = self.base_url
        limiter = RateLimiter(self.rate_limit, self.clock) if self.rate_limit else None
        self.keycloak = Keycloak(
            base_url=base_url,
            key=self.key,
            realms=self.tenants,
            clients=self.clients,
            token_ttl=self.token_ttl,
            clock=self.clock,
            on_token_request=self._count_token_request,
        )
        self.api = TenantApi(base_url=base_url, key=self.key, tenants=self.tenants, clock=self.clock, limiter=limiter)
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"sandbox:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection; safe to call twice."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._running().server_address[1])

    @property
    def base_url(self) -> str:
        """`http://HOST:PORT`, a profile's `auth_url`."""
        return f"http://{self.host}:{self.port}"

    def token_url(self, tenant: str) -> str:
        """The token endpoint of a tenant's realm."""
        return f"{self.base_url}/auth/realms/{tenant}/{TOKEN_PATH}"

    def api_url_for(self, tenant: str) -> str:
        """Where a tenant's API lives, a profile's `api_url`."""
        return f"{self.base_url}/api/{tenant}"

    # -- what tests look at --------------------------------------------------------------------------------

    @property
    def token_requests(self) -> int:
        """How many requests reached a token endpoint (any realm, any outcome)."""
        with self._lock:
            return self._token_requests

    def request_log(self) -> list[LoggedRequest]:
        """The most recent requests, oldest first."""
        with self._lock:
            return list(self._log)

    def reset_counters(self) -> None:
        """Zero `token_requests` and empty the request log."""
        with self._lock:
            self._token_requests = 0
            self._log.clear()

    # -- serving -------------------------------------------------------------------------------------------

    def _running(self) -> _HTTPServer:
        if self._httpd is None:
            raise RuntimeError("The sandbox is not running; call start() first.")
        return self._httpd

    def _count_token_request(self) -> None:
        with self._lock:
            self._token_requests += 1

    def answer(self, request: Request) -> Response:
        """Route one request to the realms or the tenant API, and log it."""
        try:
            response = self._route(request)
        except Exception as exc:  # the sandbox must answer, even when one of its endpoints has a bug
            response = problem(500, f"The sandbox failed to answer: {exc!r}.")
        with self._lock:
            self._log.append(LoggedRequest(request.method, request.path, response.status))
        return response

    def _route(self, request: Request) -> Response:
        parts = request.path.split("/", 4)  # "", "auth"|"api", "realms"|tenant, ...
        if request.path.startswith("/auth/realms/") and len(parts) >= 4 and parts[3]:
            return self.keycloak.handle(request, parts[3], parts[4] if len(parts) > 4 else "")
        if request.path.startswith("/api/") and parts[2]:
            rest = request.path[len(f"/api/{parts[2]}") :]
            return self.api.handle(request, parts[2], rest)
        if request.path in ("", "/"):
            return json_response(
                200,
                {
                    "service": "explorer sandbox",
                    "realms": [f"{self.base_url}/auth/realms/{t}" for t in self.tenants],
                    "apis": [self.api_url_for(t) for t in self.tenants],
                },
            )
        return problem(404, f"Nothing at {request.path}; realms live under /auth/realms/, APIs under /api/.")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        # A client that goes away mid-request, or a connection closed by stop(), is not worth a traceback.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):  # the client may have closed it first
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "explorer-sandbox"
    sys_version = ""
    server: _HTTPServer
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 30
    # Headers and body go out in separate writes; without this, Nagle's algorithm and the client's delayed
    # ACK add about 40 ms to every small response.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        target = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        method = "GET" if self.command == "HEAD" else self.command
        request = Request(method, unquote(target.path), parse_qs(target.query, keep_blank_values=True), headers, body)
        self._send(self.server.sandbox.answer(request))

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        raw_length = self.headers.get("Content-Length") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            self.close_connection = True
            self._send(problem(400 if length < 0 else 413, f"Cannot read a body of Content-Length {raw_length}."))
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                size = -1
            total += max(size, 0)
            if size < 0 or total > MAX_BODY_BYTES:
                self.close_connection = True
                self._send(problem(400, "The chunked request body is malformed or too large."))
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            if response.content_type is not None:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.sandbox.quiet:
            sys.stderr.write(f"sandbox {self.address_string()} - {format % args}\n")
