"""`--statistics`: how many findings each rule produced, most frequent first."""
from __future__ import annotations

import json
from collections import Counter
from typing import Sequence

from loopcheck.findings import Finding


def counts(findings: Sequence[Finding]) -> list[tuple[str, str, int]]:
    names = {f.code: f.name for f in findings}
    tally = Counter(f.code for f in findings)
    return [(code, names[code], n) for code, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))]


def render(findings: Sequence[Finding], output_format: str = "text") -> str:
    rows = counts(findings)
    if output_format == "json":
        return json.dumps([{"code": c, "name": n, "count": k} for c, n, k in rows], indent=2)
    if not rows:
        return ""
    width = max(len(str(k)) for _, _, k in rows)
    return "\n".join(f"{k:>{width}}  {c}  [{n}]" for c, n, k in rows)
