"""Cases where one idiom is several bugs at once, or where one rule must fire and a look-alike
must not (tests/static/combined/): the checker reports exactly the `# expect:` markers.

tests/static/cases/ holds one bug per file; these files show how the evaluation rules
(LC201, LC202) combine on the same forward.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from loopcheck.checker import check_source
from tests.markers import expected

COMBINED = Path(__file__).resolve().parent / "combined"


@pytest.mark.parametrize("path", sorted(COMBINED.glob("*.py")), ids=lambda p: p.name)
def test_reports_exactly_its_markers(path: Path) -> None:
    found = {(f.code, f.line) for f in check_source(path.read_text(encoding="utf-8"), str(path))}
    assert found == expected(path)


def test_no_case_file_is_collected_as_a_test_module() -> None:
    # pytest would import a `test_*.py` case (and its torch import) in the torch-free CI step
    cases = [*COMBINED.glob("*.py"), *(COMBINED.parent / "cases").rglob("*.py")]
    assert [p.name for p in cases if p.name.startswith("test_") or p.name.endswith("_test.py")] == []
