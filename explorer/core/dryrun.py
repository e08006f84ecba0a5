"""What `explorer run --dry-run` prints: each request as it would be sent, and nothing sent.

Variables are filled in from the collection and the profile; a variable without a value is shown as
`{{name}}` (and listed) rather than failing, so a collection can be checked before every value exists.
`{{$env.NAME}}` is shown as `${NAME}`, never read: it is where secrets live. The profile's token is shown
masked, never fetched; credential headers are masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.core.exporters.curl import request_url
from explorer.core.exporters.har import Redactor
from explorer.core.http import DYNAMIC_VARIABLES
from explorer.core.model import RequestSpec
from explorer.core.placeholders import PLACEHOLDER
from explorer.core.tokens import SECRET_MASK, redact_header

__all__ = ["DryRun", "dry_run"]

_SECRET_HEADER = re.compile(r"api[-_]?key|token|secret|password|session|signature", re.IGNORECASE)


@dataclass
class DryRun:
    text: str
    missing: list[str] = field(default_factory=list)


def dry_run(spec: RequestSpec, variables: Mapping[str, str], *, profile: str = "") -> DryRun:
    missing: list[str] = []

    def fill(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("$env."):
                return "${" + name[5:] + "}"
            if name in variables:
                return variables[name]
            if name in DYNAMIC_VARIABLES:
                return DYNAMIC_VARIABLES[name]()
            if name not in missing:
                missing.append(name)
            return match.group(0)

        return PLACEHOLDER.sub(one, text)

    redactor = Redactor()
    lines = [f"### {spec.name}", f"{spec.method} {redactor.url(fill(request_url(spec)))}"]
    names = {k.strip().lower() for k in spec.headers}
    headers = [(fill(k), fill(v)) for k, v in spec.headers.items() if k.strip()]
    if spec.content_type and "content-type" not in names:
        headers.append(("Content-Type", spec.content_type))
    elif spec.body and "content-type" not in names and spec.body.lstrip()[:1] in ("{", "["):
        headers.append(("Content-Type", "application/json"))
    for key, value in headers:
        if "${" in value:
            # Read from the environment when sent: the reference itself is what there is to show.
            shown = value
        else:
            shown = redact_header(key, value)
            if shown == value and _SECRET_HEADER.search(key):
                shown = SECRET_MASK
        lines.append(f"{key}: {shown}")
    if spec.auth and "authorization" not in names:
        whose = f"profile {profile}'s token" if profile else "the profile's token"
        lines.append(f"Authorization: Bearer {SECRET_MASK}   ({whose}, fetched when sent)")
    if spec.body:
        lines += ["", redactor.text(fill(spec.body)).replace("\r\n", "\n").rstrip("\n")]
    return DryRun(text="\n".join(lines) + "\n", missing=missing)
