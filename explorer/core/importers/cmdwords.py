"""Split Windows `cmd.exe` command lines into commands and words, the way cmd and the C runtime would.

A browser's "Copy as cURL (cmd)" and many docs for Windows write curl lines for cmd: `^` at the end of a line
continues it, `^X` is a literal X (so `^"` is a quote cmd leaves alone), `^` followed by two line breaks is a
line break inside an argument, and `%^` keeps a `%` from naming a variable. What cmd leaves is then split into
words by the C runtime's rules: whitespace separates words outside double quotes, `"` opens and closes a
quoted part, `\\"` is a literal quote and backslashes are literal unless they come before a quote.
"""

from __future__ import annotations

import re

from explorer.core.importers.shellwords import Command

__all__ = ["looks_like_cmd", "split_cmd_commands"]

# A caret ending a line, or a caret-escaped quote: what no POSIX shell line carries.
_CMD_MARKS = re.compile(r"\^\r?\n|\^\"")


def looks_like_cmd(text: str) -> bool:
    """Whether the text is written for cmd.exe rather than a POSIX shell."""
    return _CMD_MARKS.search(text) is not None


def split_cmd_commands(text: str) -> list[Command]:
    """Every command in the text, each a list of words, with the line it starts on."""
    commands: list[Command] = []
    for line, command_text in _cmd_layer(text.replace("\r\n", "\n")):
        words = _runtime_words(command_text)
        if words:
            commands.append(Command(words=words, line=line))
    return commands


def _cmd_layer(text: str) -> list[tuple[int, str]]:
    """cmd's own pass: carets and continuations resolved, commands cut at line breaks and `&`."""
    commands: list[tuple[int, str]] = []
    current: list[str] = []
    line = start = 1
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "^" and not quoted and index + 1 < len(text):
            following = text[index + 1]
            index += 2
            if following == "\n":
                line += 1
                # A caret, a line break and a blank line: the second break is part of the argument.
                if text[index : index + 1] == "\n":
                    current.append("\n")
                    line += 1
                    index += 1
                continue
            # An escaped quote reaches the runtime as a quote, but does not open a quoted part for cmd.
            current.append(following)
            continue
        if char == '"':
            quoted = not quoted
        if char == "\n" or (char == "&" and not quoted):
            if "".join(current).strip():
                commands.append((start, "".join(current)))
            current = []
            quoted = False
            if char == "\n":
                line += 1
            while index + 1 < len(text) and text[index + 1] == "&":
                index += 1
            index += 1
            start = line
            continue
        current.append(char)
        index += 1
    if "".join(current).strip():
        commands.append((start, "".join(current)))
    return commands


def _runtime_words(text: str) -> list[str]:
    """The C runtime's split of one command line into arguments."""
    words: list[str] = []
    word: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            run = index
            while run < len(text) and text[run] == "\\":
                run += 1
            count = run - index
            if run < len(text) and text[run] == '"':
                word.append("\\" * (count // 2))
                if count % 2:
                    word.append('"')
                    index = run + 1
                else:
                    index = run
            else:
                word.append("\\" * count)
                index = run
            in_word = True
            continue
        if char == '"':
            if quoted and text[index + 1 : index + 2] == '"':
                word.append('"')
                index += 2
                continue
            quoted = not quoted
            in_word = True
            index += 1
            continue
        if char in " \t\n" and not quoted:
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
            index += 1
            continue
        word.append(char)
        in_word = True
        index += 1
    if in_word:
        words.append("".join(word))
    return words
