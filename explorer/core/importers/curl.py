"""curl command lines (one or many, pasted or in a file) as requests.

Reads the options that make a request (`-X`, `-H`, `-d` and its kinds, `--json`, `-G`, `-u`, `-F`, `-b`,
`-A`, `-e`, `--url`, `--oauth2-bearer`, …), ignores the ones that only change what curl prints or how it
connects (`-s`, `-v`, `-o`, `-L`, `--compressed`, …) and lists the ones that would change the request but
that explorer does not carry (`--digest`, `-x`, `-T`, cookie files, …).
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

from explorer.core.importers.base import ImportFormat, ImportOrigin, ImportResult, ImportSourceError
from explorer.core.importers.cmdwords import looks_like_cmd, split_cmd_commands
from explorer.core.importers.common import (
    FORM_BOUNDARY,
    Draft,
    FormPart,
    add_request,
    multipart_body,
    read_body_file,
    with_scheme,
)
from explorer.core.importers.shellwords import Command, split_commands
from explorer.core.model import Collection
from explorer.core.safefile import read_regular_file

__all__ = ["FORMAT", "FORM_BOUNDARY", "parse_curl", "parse_curl_command"]

# Short options that take a value; every other short option is a flag (and may be bundled: -sSLk).
_SHORT_WITH_VALUE = {
    "X": "request",
    "H": "header",
    "d": "data",
    "F": "form",
    "u": "user",
    "b": "cookie",
    "A": "user-agent",
    "e": "referer",
    "T": "upload-file",
    "o": "output",
    "w": "write-out",
    "m": "max-time",
    "c": "cookie-jar",
    "D": "dump-header",
    "K": "config",
    "x": "proxy",
    "U": "proxy-user",
    "E": "cert",
    "r": "range",
    "y": "speed-time",
    "Y": "speed-limit",
    "z": "time-cond",
    "C": "continue-at",
    "P": "ftp-port",
    "Q": "quote",
    "t": "telnet-option",
}
_SHORT_FLAGS = {"G": "get", "I": "head", "k": "insecure", "L": "location"}

_REQUEST_OPTIONS = {
    "request",
    "header",
    "data",
    "data-ascii",
    "data-raw",
    "data-binary",
    "data-urlencode",
    "json",
    "form",
    "form-string",
    "user",
    "cookie",
    "user-agent",
    "referer",
    "url",
    "url-query",
    "oauth2-bearer",
}
# Options with a value that change only how curl runs or prints: read and ignored.
_IGNORED_WITH_VALUE = {
    "output",
    "write-out",
    "max-time",
    "connect-timeout",
    "cookie-jar",
    "dump-header",
    "retry",
    "retry-delay",
    "retry-max-time",
    "max-redirs",
    "limit-rate",
    "stderr",
    "trace",
    "trace-ascii",
    "speed-time",
    "speed-limit",
    "keepalive-time",
    "expect100-timeout",
    "create-file-mode",
    "output-dir",
    "max-filesize",
    "happy-eyeballs-timeout-ms",
    "parallel-max",
    "rate",
    "trace-config",
    "config",
    # The rest of curl's options that take a value and change nothing a collection keeps.
    "etag-save",
    "etag-compare",
    "libcurl",
    "egd-file",
    "random-file",
    "engine",
    "dns-interface",
    "dns-ipv4-addr",
    "dns-ipv6-addr",
    "tls13-ciphers",
    "tlsauthtype",
    "tlspassword",
    "tlsuser",
    "hostpubmd5",
    "hostpubsha256",
    "pubkey",
    "proto",
    "proto-default",
    "proto-redir",
    "tftp-blksize",
    "keepalive-cnt",
    "krb",
    "ftp-account",
    "ftp-alternative-to-user",
    "ftp-method",
    "ftp-ssl-ccc-mode",
    "mail-auth",
    "ipfs-gateway",
    "sslkeylogfile",
}
# Options with a value that would change the request but are not carried into a collection: listed.
_UNSUPPORTED_WITH_VALUE = {
    "upload-file",
    "proxy",
    "proxy-user",
    "socks5",
    "socks5-hostname",
    "socks4",
    "socks4a",
    "preproxy",
    "cert",
    "key",
    "cacert",
    "capath",
    "cert-type",
    "key-type",
    "pass",
    "resolve",
    "connect-to",
    "interface",
    "range",
    "time-cond",
    "continue-at",
    "unix-socket",
    "abstract-unix-socket",
    "aws-sigv4",
    "ciphers",
    "tls-max",
    "dns-servers",
    "netrc-file",
    "local-port",
    "ftp-port",
    "quote",
    "telnet-option",
    "request-target",
    "variable",
    "login-options",
    "sasl-authzid",
    "service-name",
    "delegation",
    "proxy-header",
    "mail-from",
    "mail-rcpt",
    "crlfile",
    "pinnedpubkey",
    "curves",
    "ech",
    "haproxy-clientip",
    "ip-tos",
    "vlan-priority",
    "noproxy",
    "proxy-cacert",
    "proxy-cert",
    "proxy-key",
    "proxy-capath",
    "proxy-cert-type",
    "proxy-ciphers",
    "proxy-crlfile",
    "proxy-key-type",
    "proxy-pass",
    "proxy-pinnedpubkey",
    "proxy-service-name",
    "proxy-tls13-ciphers",
    "proxy-tlsauthtype",
    "proxy-tlspassword",
    "proxy-tlsuser",
    "hsts",
    "alt-svc",
    "doh-url",
    "form-escape",
}
# Flags that would change the request but are not carried: listed.
_UNSUPPORTED_FLAGS = {"insecure", "digest", "ntlm", "negotiate", "anyauth", "proxy-insecure", "path-as-is", "http3"}


@dataclass
class _Parsed:
    urls: list[str] = field(default_factory=list)
    method: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    # A data option was given, even an empty one (`-d ''` still makes curl POST).
    has_data: bool = False
    user_agent: str | None = None
    referer: str | None = None
    json_parts: list[str] = field(default_factory=list)
    form: list[tuple[str, str, bool]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    get: bool = False
    head: bool = False
    upload: bool = False
    cookies: list[str] = field(default_factory=list)
    user: str | None = None
    bearer: str | None = None
    unsupported: list[str] = field(default_factory=list)


def detect(text: str, filename: str) -> int:
    lowered = filename.lower()
    if lowered.endswith((".sh", ".curl", ".bash")):
        return 60
    first = _first_word(text)
    if first in ("curl", "curl.exe") or first.endswith("/curl"):
        return 90
    return 40 if re.search(r"(?m)^\s*(?:\$\s+)?curl\s", text) else 0


def _first_word(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            words = stripped.removeprefix("$ ").split()
            return words[0].lower() if words else ""
    return ""


def parse_curl(text: str, origin: ImportOrigin) -> ImportResult:
    """Every curl command in the text; other lines are skipped and said so."""
    name = origin.path.stem if origin.path is not None else "Imported from curl"
    result = ImportResult(collection=Collection(name=name))
    unsupported: Counter[str] = Counter()
    commands = _split(text)
    found = 0
    for command in commands:
        words = _command_words(command)
        if words is None:
            first = command.words[0] if command.words else ""
            result.skipped.append(f"line {command.line}: {first!r} is not a curl command")
            continue
        found += 1
        for part in _next_parts(words):
            parsed = _parse_words(part, result, origin, command.line)
            unsupported.update(parsed.unsupported)
            for draft in _drafts(parsed, result, origin, command.line):
                add_request(result, draft)
    if not found:
        raise ImportSourceError(f"{origin.label} holds no curl command.", hint="Each command starts with `curl`.")
    for option, count in sorted(unsupported.items()):
        times = f" ({count} requests)" if count > 1 else ""
        result.skipped.append(f"curl option {option}{times}: changes the request, but explorer does not carry it")
    return result


def parse_curl_command(text: str) -> Draft:
    """One curl line as a draft request (for pasting into the composer). Raises when it is not curl."""
    result = ImportResult(collection=Collection())
    commands = [c for c in _split(text) if _command_words(c) is not None]
    if not commands:
        raise ImportSourceError("This is not a curl command.", hint="Paste a line that starts with `curl`.")
    words = _command_words(commands[0])
    assert words is not None
    drafts = _drafts(_parse_words(words, result, ImportOrigin(), 1), result, ImportOrigin(), 1)
    if not drafts:
        raise ImportSourceError("The curl command has no URL.", hint="Paste the whole command.")
    return drafts[0]


def _next_parts(words: list[str]) -> list[list[str]]:
    """`--next` (or `-:`) starts another request in the same command, with options of its own."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word in ("--next", "-:"):
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


_POWERSHELL_CONTINUATION = re.compile(r"[ \t]`\r?\n")


def _split(text: str) -> list[Command]:
    """Commands written for cmd.exe (`^` continuations, `^"` quotes) or for a POSIX shell."""
    if looks_like_cmd(text):
        return split_cmd_commands(text)
    if _POWERSHELL_CONTINUATION.search(text):
        # PowerShell continues a line with a backtick at its end; the words themselves split as in a shell.
        text = _POWERSHELL_CONTINUATION.sub(" ", text)
    return split_commands(text)


def _command_words(command: Command) -> list[str] | None:
    words = list(command.words)
    while words and words[0] in ("$", "sudo", "time", "command"):
        words.pop(0)
    if not words:
        return None
    head = words[0].lower()
    if head in ("curl", "curl.exe") or head.endswith("/curl"):
        return words[1:]
    return None


def _parse_words(words: list[str], result: ImportResult, origin: ImportOrigin, line: int) -> _Parsed:
    parsed = _Parsed()
    index = 0
    only_urls = False
    while index < len(words):
        word = words[index]
        index += 1
        if only_urls or not word.startswith("-") or word == "-":
            parsed.urls.append(word)
            continue
        if word == "--":
            only_urls = True
            continue
        if word.startswith("--"):
            name = word[2:]
            value: str | None = None
            if name in _REQUEST_OPTIONS or name in _IGNORED_WITH_VALUE or name in _UNSUPPORTED_WITH_VALUE:
                value = words[index] if index < len(words) else ""
                index += 1
            _apply(parsed, name, value, result, origin, line)
            continue
        # A bundle of short options: -sSL, -XPOST, -HAccept:x, -d@file.
        letters = word[1:]
        position = 0
        while position < len(letters):
            letter = letters[position]
            position += 1
            if letter in _SHORT_WITH_VALUE:
                rest = letters[position:]
                if rest:
                    value = rest
                else:
                    value = words[index] if index < len(words) else ""
                    index += 1
                _apply(parsed, _SHORT_WITH_VALUE[letter], value, result, origin, line)
                break
            _apply(parsed, _SHORT_FLAGS.get(letter, f"-{letter}"), None, result, origin, line)
    return parsed


def _apply(
    parsed: _Parsed, name: str, value: str | None, result: ImportResult, origin: ImportOrigin, line: int
) -> None:
    text = value if value is not None else ""
    what = f"curl command on line {line}"
    if name in ("data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json"):
        parsed.has_data = True
    if name == "request":
        parsed.method = text.upper()
    elif name == "header":
        if text.startswith("@"):
            _header_file(parsed, text[1:], what, result, origin)
        else:
            _header(parsed, text, what, result)
    elif name in ("data", "data-ascii", "data-binary", "data-raw"):
        if name != "data-raw" and text.startswith("@"):
            body = read_body_file(result, origin, text[1:], what) if text[1:] != "-" else None
            if body is None:
                return
            text = body if name == "data-binary" else body.replace("\r", "").replace("\n", "")
        parsed.data.append(text)
    elif name == "data-urlencode":
        parsed.data.append(_urlencode(text, result, origin, what))
    elif name == "json":
        if text.startswith("@"):
            body = read_body_file(result, origin, text[1:], what)
            if body is None:
                return
            text = body
        parsed.json_parts.append(text)
    elif name in ("form", "form-string"):
        key, _, content = text.partition("=")
        parsed.form.append((key, content, name == "form"))
    elif name == "url":
        parsed.urls.append(text)
    elif name == "url-query":
        parsed.queries.append(_urlencode(text, result, origin, what) if not text.startswith("+") else text[1:])
    elif name == "get":
        parsed.get = True
    elif name == "head":
        parsed.head = True
    elif name == "user":
        parsed.user = text
    elif name == "oauth2-bearer":
        parsed.bearer = text
    elif name == "cookie":
        if "=" in text:
            parsed.cookies.append(text.strip().rstrip(";"))
        else:
            parsed.unsupported.append("-b FILE (cookies read from a file)")
    elif name == "user-agent":
        parsed.user_agent = text
    elif name == "referer":
        parsed.referer = text.removesuffix(";auto")
    elif name == "upload-file":
        parsed.upload = True
        parsed.unsupported.append("-T (upload a file)")
    elif name in _UNSUPPORTED_FLAGS or name in _UNSUPPORTED_WITH_VALUE:
        parsed.unsupported.append(f"--{name}")


def _header_file(parsed: _Parsed, name: str, what: str, result: ImportResult, origin: ImportOrigin) -> None:
    """`-H @file`: one header a line, as curl reads them."""
    if name == "-":
        parsed.unsupported.append("-H @- (headers read from standard input)")
        return
    path = Path(name).expanduser()
    path = path if path.is_absolute() else origin.directory / path
    try:
        text = read_regular_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = "not found" if isinstance(error, FileNotFoundError) else "not readable as text"
        result.skipped.append(f"{what}: header file {name} {reason}; its headers were left out")
        return
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            _header(parsed, line.strip(), what, result)
    result.notes.append(f"{what}: headers read from {name}")


def _header(parsed: _Parsed, text: str, what: str, result: ImportResult) -> None:
    if ":" in text:
        key, _, value = text.partition(":")
        key, value = key.strip(), value.strip()
        if not value:
            # `-H 'Accept:'` removes a header curl would send; there is nothing to carry.
            parsed.headers = [(k, v) for k, v in parsed.headers if k.lower() != key.lower()]
            return
        parsed.headers.append((key, value))
    elif text.rstrip().endswith(";"):
        parsed.headers.append((text.rstrip()[:-1].strip(), ""))
    elif text.strip():
        result.skipped.append(f"{what}: header {text!r} has no colon and was left out")


def _urlencode(text: str, result: ImportResult, origin: ImportOrigin, what: str) -> str:
    """curl's --data-urlencode forms: content, =content, name=content, @file, name@file."""
    if "=" in text and ("@" not in text or text.index("=") < text.index("@")):
        name, _, content = text.partition("=")
        encoded = quote_plus(content, safe="*")
        return f"{name}={encoded}" if name else encoded
    if "@" in text:
        name, _, file = text.partition("@")
        content = read_body_file(result, origin, file, what) or ""
        encoded = quote_plus(content, safe="*")
        return f"{name}={encoded}" if name else encoded
    return quote_plus(text, safe="*")


def _drafts(parsed: _Parsed, result: ImportResult, origin: ImportOrigin, line: int) -> list[Draft]:
    if not parsed.urls:
        result.skipped.append(f"curl command on line {line}: it has no URL")
        return []
    headers = list(parsed.headers)
    # curl's -A and -e give way to a User-Agent or Referer header given with -H, wherever it comes.
    for name, value in (("User-Agent", parsed.user_agent), ("Referer", parsed.referer)):
        if value is not None and not any(k.lower() == name.lower() for k, _ in headers):
            headers.append((name, value))
    if parsed.cookies:
        headers.append(("Cookie", "; ".join(parsed.cookies)))
    if parsed.user is not None:
        user = parsed.user if ":" in parsed.user else parsed.user + ":"
        headers.append(("Authorization", "Basic " + base64.b64encode(user.encode()).decode("ascii")))
    if parsed.bearer is not None:
        headers.append(("Authorization", f"Bearer {parsed.bearer}"))
    body, content_type = "", ""
    query = "&".join(parsed.queries)
    if parsed.get and parsed.data:
        query = "&".join([*parsed.data, *([query] if query else [])])
    elif parsed.data or (parsed.has_data and not parsed.get):
        body = "&".join(parsed.data)
        content_type = "application/x-www-form-urlencoded"
    if parsed.json_parts:
        body = (body + "&" if body else "") + "".join(parsed.json_parts)
        content_type = "application/json"
        if not any(k.lower() == "accept" for k, _ in headers):
            headers.append(("Accept", "application/json"))
    if parsed.form:
        body = _multipart(parsed.form, result, origin, f"curl command on line {line}")
        content_type = f"multipart/form-data; boundary={FORM_BOUNDARY}"
    method = parsed.method
    if not method:
        if parsed.head:
            method = "HEAD"
        elif parsed.get:
            method = "GET"
        elif parsed.upload:
            method = "PUT"
        elif body or (parsed.has_data and not parsed.get) or parsed.form:
            method = "POST"
        else:
            method = "GET"
    drafts: list[Draft] = []
    for url in parsed.urls:
        full = with_scheme(url)
        if query:
            full = full + ("&" if "?" in full else "?") + query
        draft = Draft(method=method, url=full, headers=list(headers), body=body, where=f"line {line}")
        # A Content-Type the user gave wins; otherwise the one curl would send goes with the body.
        given = draft.header("content-type")
        if content_type and given is None:
            draft.headers.append(("Content-Type", content_type))
        elif parsed.form and given is not None and given.lower().startswith("multipart/") and "boundary" not in given:
            # curl adds the boundary to a multipart type given without one; the parts need it.
            draft.headers = [(k, content_type if k.lower() == "content-type" else v) for k, v in draft.headers]
        drafts.append(draft)
    return drafts


_FORM_OPTIONS = re.compile(r";(?=\s*(?:type|filename|headers|encoder)=)")


def _multipart(parts: list[tuple[str, str, bool]], result: ImportResult, origin: ImportOrigin, what: str) -> str:
    form: list[FormPart] = []
    for name, content, special in parts:
        value, options = content, ""
        if special and content[:1] in "@<":
            value, _, options = content.partition(";")
        elif special:
            # `name=value;type=text/plain`: curl reads the options after a value too.
            found = _FORM_OPTIONS.search(content)
            if found:
                value, options = content[: found.start()], content[found.start() + 1 :]
        kind = ""
        for option in options.split(";"):
            key, _, setting = option.partition("=")
            if key.strip() == "type":
                kind = setting.strip()
        filename = ""
        if special and value[:1] in "@<":
            text = read_body_file(result, origin, value[1:], f"{what}, form field {name!r}")
            if text is None:
                continue
            if value.startswith("@"):
                filename = value[1:].rsplit("/", 1)[-1]
            value = text
        form.append(FormPart(name, value, filename, kind))
    return multipart_body(form)[0]


FORMAT = ImportFormat(name="curl", description="curl command lines", detect=detect, parse=parse_curl)
