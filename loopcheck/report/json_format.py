"""Machine output: a JSON array of findings in the stable schema of `Finding.to_dict`."""
from __future__ import annotations

import json
from typing import Sequence

from loopcheck.findings import Finding


def render(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2)
