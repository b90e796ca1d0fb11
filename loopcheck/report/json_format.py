"""Machine output: a JSON array of findings in the stable schema of `Finding.to_dict`."""
from __future__ import annotations

import json
import textwrap
from typing import Sequence

from loopcheck.findings import Finding


def render(findings: Sequence[Finding]) -> str:
    """`json.dumps([f.to_dict() for f in findings], indent=2)`, built from `element`s."""
    return "[\n" + ",\n".join(element(f) for f in findings) + "\n]" if findings else "[]"


def element(finding: Finding) -> str:
    """One finding as it stands in the array: printed alone while a run streams its output."""
    return textwrap.indent(json.dumps(finding.to_dict(), indent=2), "  ")
