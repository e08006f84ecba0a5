"""Details of one operation: what it does, what it takes and answers, and which of its scopes the token has.

Built as one block of styled text (no widget per parameter), scrolled as a whole; the example body is generated
when the operation is shown, not when the catalogue is read.
"""

from __future__ import annotations

from collections.abc import Collection

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from explorer.core.openapi.model import Operation
from explorer.core.openapi.requests import example_body
from explorer.core.openapi.schemas import describe_type

# An example body longer than this many lines is cut in the details (the composer gets it whole).
EXAMPLE_LINES = 40

Part = str | tuple[str, str]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe_operation(
    op: Operation, granted: Collection[str] | None, *, legacy: bool = False, width: int = 80
) -> Content:
    """The details as styled text. `granted` are the token's scopes (None: no token yet)."""
    parts: list[Part] = []

    def line(*items: Part) -> None:
        parts.extend(items)
        parts.append("\n")

    def heading(text: str) -> None:
        line(("\n" + text, "bold $text-primary"))

    line((op.method, "bold"), " ", (op.path, "bold"))
    if op.title != f"{op.method} {op.path}":
        line((op.title, "italic"))
    if op.operation_id:
        line(("operationId ", "$text-muted"), op.operation_id)
    if op.tags:
        line(("tags ", "$text-muted"), ", ".join(op.tags))
    if op.deprecated:
        line(("deprecated", "$text-warning"))
    heading("Scopes")
    if not op.needs_auth:
        line(("No credentials needed.", "$text-muted"))
    elif not op.scopes:
        line(("None listed: any valid token.", "$text-muted"))
    elif legacy:
        line("Needs ", " ".join(op.scopes))
        line(("A legacy client (a token without scopes): scopes are not checked.", "$text-warning"))
    elif granted is None:
        line("Needs ", " ".join(op.scopes), ("  (no token yet to check against)", "$text-muted"))
    else:
        have = set(granted)
        for scope in op.scopes:
            if scope in have:
                line(("✓ ", "$text-success"), scope, ("  granted", "$text-muted"))
            else:
                line(
                    ("✗ ", "$text-error"),
                    (scope, "bold $text-error"),
                    ("  missing: the API will answer 403", "$text-error"),
                )
    if op.description.strip():
        heading("Description")
        line(op.description.strip())
    if op.parameters:
        heading("Parameters")
        for param in op.parameters:
            facts = [param.location, param.type or "any"]
            if param.required:
                facts.append("required")
            if param.enum:
                facts.append("one of " + ", ".join(_value(v) for v in param.enum[:8]))
            if param.default is not None:
                facts.append(f"default {_value(param.default)}")
            if param.example is not None:
                facts.append(f"example {_value(param.example)}")
            line((param.name, "bold"), "  ", (" · ".join(facts), "$text-muted"))
            if param.description.strip():
                line("    ", (" ".join(param.description.split())[: width * 2], "$text-muted"))
    body = op.request_body
    if body is not None:
        heading("Request body" + (" (required)" if body.required else ""))
        if body.content_types:
            line(("content ", "$text-muted"), ", ".join(body.content_types))
        if body.schema is not None:
            line(("schema ", "$text-muted"), describe_type(body.schema, body.doc) or "any")
        text, _ = example_body(body)
        if text:
            line(("example", "$text-muted"))
            lines = text.rstrip("\n").splitlines()
            for example_line in lines[:EXAMPLE_LINES]:
                line(("  " + example_line, "$text-accent"))
            if len(lines) > EXAMPLE_LINES:
                line((f"  … {len(lines) - EXAMPLE_LINES} more lines (Enter opens it whole)", "$text-muted"))
    if op.responses:
        heading("Responses")
        for response in op.responses:
            kind = ""
            if response.body is not None and response.body.schema is not None:
                kind = describe_type(response.body.schema, response.body.doc)
            style = "$text-success" if response.status.startswith("2") else "$text-warning"
            text = " ".join(response.description.split())[:width]
            line((f"{response.status:<7}", style), text, (f"  {kind}" if kind else "", "$text-muted"))
    heading("Keys")
    line(("enter", "bold"), " opens it in the composer")
    return Content.assemble(*parts[:-1])


class OperationDetails(VerticalScroll, can_focus=False):
    """The selected operation, or a hint when there is none."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Static("", id="operation-details-text", markup=False)

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._text

    def show(self, op: Operation | None, granted: Collection[str] | None, *, legacy: bool = False) -> None:
        if op is None:
            self._text.update(Content.styled("Choose an operation to see what it takes and answers.", "$text-muted"))
        else:
            self._text.update(describe_operation(op, granted, legacy=legacy, width=max(self.size.width, 40)))
        self.scroll_home(animate=False)
