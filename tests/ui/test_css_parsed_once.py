"""The stylesheet parsed once: new CSS alone as widget classes arrive, and the parsed rules kept between starts
(textual_compat 7 and 8). Each test fails, naming the internal, when Textual parses another way."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual.css.stylesheet as textual_stylesheet
from textual.css.model import RuleSet
from textual.css.stylesheet import CssSource, Stylesheet

from explorer.ui.app import ExplorerApp
from explorer.ui.textual_compat import TEXTUAL_PARSE, TEXTUAL_RULES_MAP, ParsedCssStore, parse_new_css_only
from tests.ui.conftest import AppFactory, wait_until

WHERE = "see explorer/ui/textual_compat.py"
VARIABLES = {"primary": "#004578", "surface": "#1e1e1e"}


def _whole(sources: dict[tuple[str, str], CssSource], variables: dict[str, str] = VARIABLES) -> Stylesheet:
    """What Textual's own parse makes of `sources`."""
    sheet = Stylesheet(variables=variables)
    sheet.source = dict(sources)
    TEXTUAL_PARSE(sheet)
    return sheet


def _css(rules: list[RuleSet]) -> list[str]:
    return [rule.css for rule in rules]


def _map_css(sheet: Stylesheet) -> dict[str, list[str]]:
    return {name: _css(rules) for name, rules in sheet.rules_map.items()}


def _add(sheet: Stylesheet, name: str, css: str) -> None:
    sheet.add_source(css, read_from=(f"{name}.py", f"{name}.DEFAULT_CSS"), is_default_css=True, scope=name)


def test_css_added_in_waves_gives_the_rules_and_map_one_whole_parse_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    parse_new_css_only()
    parsed: list[str] = []
    textual_parse = textual_stylesheet.parse

    def counting(scope: str, css: str, *args: object, **kwargs: object) -> object:
        parsed.append(scope)
        return textual_parse(scope, css, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    sheet = Stylesheet(variables=VARIABLES)
    sheet.add_source("Screen { background: $surface; } .box { color: red; }", read_from=("app.tcss", ""))
    _add(sheet, "Pane", "Pane { padding: 1; } Pane Label { color: $primary; }")
    first_map = sheet.rules_map
    first_map_css = _map_css(sheet)
    assert parsed == ["", "Pane"]
    _add(sheet, "Label", "Label { width: auto; } .box { color: blue; }")
    _add(sheet, "Button", "Button { height: 3; &:focus { text-style: bold; } }")
    assert sheet.rules_map is not first_map
    assert parsed == ["", "Pane", "Label", "Button"], "only the two new sources were parsed"
    whole = _whole(sheet.source)
    assert _css(sheet.rules) == _css(whole.rules), f"rules differ from Textual's own parse ({WHERE})"
    assert _map_css(sheet) == {
        name: _css(rules)
        for name, rules in TEXTUAL_RULES_MAP.fget(whole).items()  # type: ignore[misc]
    }
    assert list(sheet.rules_map) == list(TEXTUAL_RULES_MAP.fget(whole))  # type: ignore[misc]
    # The map handed out before is left as it was: a styling under way keeps the one it took.
    assert {name: _css(rules) for name, rules in first_map.items()} == first_map_css


def test_a_changed_source_or_a_reparse_takes_the_whole_parse() -> None:
    parse_new_css_only()
    sheet = Stylesheet(variables=VARIABLES)
    _add(sheet, "Pane", "Pane { padding: 1; }")
    _add(sheet, "Label", "Label { width: auto; }")
    assert len(sheet.rules) == 2
    _add(sheet, "Pane", "Pane { padding: 2; } Pane > Label { color: red; }")
    assert _css(sheet.rules) == _css(_whole(sheet.source).rules)
    assert "Pane > Label" in "".join(_css(sheet.rules_map["Label"]))
    red = {**VARIABLES, "primary": "#ff0000"}
    sheet.set_variables(red)
    sheet.reparse()
    _add(sheet, "Button", "Button { color: $primary; }")
    assert _css(sheet.rules) == _css(_whole(sheet.source, red).rules)
    assert "#FF0000" in sheet.rules_map["Button"][0].css.upper()


def test_css_that_fails_to_parse_is_reported_and_leaves_the_parsed_rules() -> None:
    parse_new_css_only()
    sheet = Stylesheet(variables=VARIABLES)
    _add(sheet, "Pane", "Pane { padding: 1; }")
    before = sheet.rules
    assert len(before) == 1
    _add(sheet, "Broken", "Broken { colour: red; }")
    with pytest.raises(textual_stylesheet.StylesheetParseError):
        sheet.parse()
    assert sheet._rules is before
    _add(sheet, "Label", "Label { width: auto; }")
    assert _css(sheet.rules) == [*_css(before), "Label {\n    width: auto;\n}"]


def _misses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    textual_parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: tuple[str, str], *args: object, **kwargs: object) -> object:
        parsed.append(read_from[1] or read_from[0])
        return textual_parse(scope, css, read_from, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return parsed


async def _first_frame(app: ExplorerApp, store: Path) -> list[tuple[object, ...]]:
    async with app.run_test(size=(100, 30)) as pilot:
        # The demo's sandbox starts once the first frame is drawn, after the stylesheet's writer.
        await wait_until(pilot, lambda: app.demo is not None, "the first frame")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # What each rule selects and sets (some of Textual's rules cannot write themselves out as CSS).
        return [
            (
                repr(rule.selector_set),
                sorted((name, repr(value)) for name, value in rule.styles.get_rules().items()),
                sorted(rule.styles.important),
                rule.is_default_rules,
                rule.tie_breaker,
                sorted(rule.selector_names),
                sorted(rule.pseudo_classes),
            )
            for rule in app.stylesheet.rules
        ]


async def test_the_next_start_parses_nothing_of_the_main_screen_and_styles_it_the_same(
    build_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "cache" / "styles.pickle"
    monkeypatch.setenv("EXPLORER_STYLE_CACHE", str(store))
    misses = _misses(monkeypatch)
    first = await _first_frame(build_app(demo=True), store)
    assert store.exists() and store.stat().st_mode & 0o077 == 0
    assert len(misses) > 20, misses
    misses.clear()
    second = await _first_frame(build_app(demo=True), store)
    assert misses == [], f"parsed again at the second start: {misses} ({WHERE})"
    assert second == first


async def test_a_store_from_another_theme_or_a_broken_one_is_ignored_and_written_again(
    build_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "styles.pickle"
    monkeypatch.setenv("EXPLORER_STYLE_CACHE", str(store))
    await _first_frame(build_app(demo=True), store)
    misses = _misses(monkeypatch)
    await _first_frame(build_app(demo=True, theme="textual-light"), store)
    assert len(misses) > 20, "the rules of another theme's variables were used"
    store.write_bytes(b"\x80\x05not a pickle at all")
    misses.clear()
    await _first_frame(build_app(demo=True), store)
    assert len(misses) > 20
    assert ParsedCssStore(store).seed(Stylesheet(variables=VARIABLES)) == 0
