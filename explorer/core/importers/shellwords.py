"""Split shell text into commands and words the way a POSIX shell would, without running anything.

Handles single and double quotes, `$'…'` (ANSI-C quoting), backslash escapes and backslash-newline
continuations. A `$VAR` or `${VAR}` outside single quotes becomes `{{$env.VAR}}` (explorer's reference to an
environment variable), so a curl line that reads a token or key from the environment keeps doing so. A
command substitution `$(…)` is kept as its text. Commands end at an unquoted newline, `;`, `&&`, `||` or `|`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
}


@dataclass
class Command:
    words: list[str] = field(default_factory=list)
    line: int = 1


def split_commands(text: str) -> list[Command]:
    """Every command in the text, each a list of words, with the line it starts on."""
    return _Splitter(text).run()


class _Splitter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.commands: list[Command] = []
        self.current = Command()
        self.word: list[str] | None = None

    def run(self) -> list[Command]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\\":
                self.backslash()
            elif char == "'":
                self.start()
                self.single()
            elif char == '"':
                self.start()
                self.double()
            elif char == "$":
                self.start()
                self.dollar(quoted=False)
            elif char == "#" and self.word is None:
                self.comment()
            elif char in " \t\r":
                self.end_word()
                self.pos += 1
            elif char == "\n":
                self.end_word()
                self.end_command()
                self.pos += 1
                self.line += 1
            elif char in ";|&":
                self.end_word()
                self.end_command()
                while self.pos < len(text) and text[self.pos] in ";|&":
                    self.pos += 1
            else:
                self.start()
                assert self.word is not None
                self.word.append(char)
                self.pos += 1
        self.end_word()
        self.end_command()
        return self.commands

    def start(self) -> None:
        if self.word is None:
            self.word = []
            if not self.current.words:
                self.current.line = self.line

    def end_word(self) -> None:
        if self.word is not None:
            self.current.words.append("".join(self.word))
            self.word = None

    def end_command(self) -> None:
        if self.current.words:
            self.commands.append(self.current)
        self.current = Command(line=self.line)

    def comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def backslash(self) -> None:
        nxt = self.text[self.pos + 1 : self.pos + 2]
        if nxt == "\n" or self.text[self.pos + 1 : self.pos + 3] == "\r\n":
            self.pos += 2 if nxt == "\n" else 3
            self.line += 1
            return
        self.start()
        assert self.word is not None
        self.word.append(nxt)
        self.pos += 2

    def single(self) -> None:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            end = len(self.text)
        chunk = self.text[self.pos + 1 : end]
        self.line += chunk.count("\n")
        assert self.word is not None
        self.word.append(chunk)
        self.pos = end + 1

    def double(self) -> None:
        text = self.text
        self.pos += 1
        assert self.word is not None
        while self.pos < len(text) and text[self.pos] != '"':
            char = text[self.pos]
            if char == "\\" and self.pos + 1 < len(text):
                nxt = text[self.pos + 1]
                if nxt == "\n":
                    self.line += 1
                elif nxt in '$`"\\':
                    self.word.append(nxt)
                else:
                    self.word.append("\\" + nxt)
                self.pos += 2
            elif char == "$":
                self.dollar(quoted=True)
            else:
                if char == "\n":
                    self.line += 1
                self.word.append(char)
                self.pos += 1
        self.pos += 1

    def dollar(self, *, quoted: bool) -> None:
        text = self.text
        assert self.word is not None
        nxt = text[self.pos + 1 : self.pos + 2]
        if not quoted and nxt == "'":
            self.ansi_c()
            return
        if not quoted and nxt == '"':
            self.pos += 1
            self.double()
            return
        if nxt == "{":
            end = text.find("}", self.pos)
            name = text[self.pos + 2 : end] if end > 0 else ""
            if end > 0 and _is_name(name):
                self.word.append("{{$env." + name + "}}")
                self.pos = end + 1
                return
        elif nxt == "(":
            end = _matching_paren(text, self.pos + 1)
            self.word.append(text[self.pos : end + 1])
            self.line += text[self.pos : end + 1].count("\n")
            self.pos = end + 1
            return
        elif nxt.isalpha() or nxt == "_":
            end = self.pos + 1
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            self.word.append("{{$env." + text[self.pos + 1 : end] + "}}")
            self.pos = end
            return
        self.word.append("$")
        self.pos += 1

    def ansi_c(self) -> None:
        text = self.text
        assert self.word is not None
        self.pos += 2
        while self.pos < len(text) and text[self.pos] != "'":
            char = text[self.pos]
            if char != "\\" or self.pos + 1 >= len(text):
                if char == "\n":
                    self.line += 1
                self.word.append(char)
                self.pos += 1
                continue
            nxt = text[self.pos + 1]
            self.pos += 2
            if nxt in _SIMPLE_ESCAPES:
                self.word.append(_SIMPLE_ESCAPES[nxt])
            elif nxt in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[nxt]
                digits = _take(text, self.pos, width, "0123456789abcdefABCDEF")
                if digits:
                    self.word.append(chr(min(int(digits, 16), 0x10FFFF)))
                    self.pos += len(digits)
                else:
                    self.word.append("\\" + nxt)
            elif nxt in "01234567":
                digits = nxt + _take(text, self.pos, 2, "01234567")
                self.pos += len(digits) - 1
                self.word.append(chr(int(digits, 8) & 0xFF))
            elif nxt == "c" and self.pos < len(text):
                self.word.append(chr(ord(text[self.pos]) & 0x1F))
                self.pos += 1
            else:
                self.word.append("\\" + nxt)
        self.pos += 1


def _take(text: str, start: int, width: int, allowed: str) -> str:
    end = start
    while end < len(text) and end - start < width and text[end] in allowed:
        end += 1
    return text[start:end]


def _is_name(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name)


def _matching_paren(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1
