"""What export quotes, the import's shell reader reads back exactly (and so does a POSIX shell)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.exporters.shell import Command, Env, quote, quote_pieces
from explorer.core.importers.shellwords import split_commands

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(TEXT)
def test_quote_reads_back(text: str) -> None:
    (command,) = split_commands("curl " + quote(text))
    assert command.words == ["curl", text]


@given(TEXT, TEXT)
def test_pieces_read_back_as_references(before: str, after: str) -> None:
    word = quote_pieces([before, Env("API_KEY"), after])
    (command,) = split_commands("curl " + word)
    assert command.words == ["curl", before + "{{$env.API_KEY}}" + after]


def test_token_command_stays_one_word() -> None:
    word = quote_pieces(["Authorization: Bearer ", Command("explorer token --raw --profile p")])
    assert word == '"Authorization: Bearer $(explorer token --raw --profile p)"'


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_a_real_shell_agrees() -> None:
    samples = ["plain", "it's", 'say "hi"', "$HOME `x` \\ !", "two\nlines", "tab\there"]
    for sample in samples:
        out = subprocess.run(["sh", "-c", f"printf %s {quote(sample)}"], capture_output=True, text=True, check=True)
        assert out.stdout == sample
