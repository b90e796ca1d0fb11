"""The suite passes in a plain clone: no test reads anything outside the repository.

`.ci/run` proves it end to end (the suite runs from a copy of the repository in an empty
folder); this test catches the usual ways a path escapes before CI does.
"""
from __future__ import annotations

import re

from tests.markers import ROOT

# A path above the repository root, a sibling checkout, or a machine-specific absolute path.
ESCAPES = re.compile(r"ROOT\.parent\b|REPO\.parent\b|parents\[[3-9]\]|\.\./|[\"']/work/|\.mirror|[\"']shared[\"']")


def test_no_test_reads_outside_the_repository() -> None:
    offending = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name == "test_clean_clone.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ESCAPES.search(line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "\n".join(offending)


def test_ci_runs_the_suite_from_a_copy_without_shared_data() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "git clone" in ci and "../shared" in ci
