"""Per-rule positive and look-alike negative cases (tests/static/cases/<CODE>/).

Each bad_*.py holds one bug: the checker must report exactly its `# expect: LCxxx`
markers (that code, those lines, nothing else). Each good_*.py is a legitimate pattern
that must produce no finding at all.

tests/static/cases/known_limitations/ documents what the analysis gets wrong today:
each file states in its docstring what it should report and what it does report, and
the current behaviour is pinned (`# expect:` markers = what is reported now), so that a
fix shows up as a test to update rather than going unnoticed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from loopcheck.catalogue import BY_CODE
from loopcheck.checker import check_source
from tests.markers import expected

CASES = Path(__file__).resolve().parent / "cases"
LIMITS = CASES / "known_limitations"
MIN_CASES = 5


def findings(path: Path) -> set[tuple[str, int]]:
    return {(f.code, f.line) for f in check_source(path.read_text(encoding="utf-8"), str(path))}


def rule_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and p.name in BY_CODE)


def files(pattern: str) -> list[Path]:
    return sorted(path for folder in rule_dirs() for path in folder.glob(pattern))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", files("bad_*.py"), ids=case_id)
def test_bad_case_reports_exactly_its_markers(path: Path) -> None:
    markers = expected(path)
    assert markers, "a bad case needs at least one `# expect:` marker"
    assert {code for code, _ in markers} == {path.parent.name}, "a bad case plants only its folder's bug"
    assert findings(path) == markers


@pytest.mark.parametrize("path", files("good_*.py"), ids=case_id)
def test_good_case_is_silent(path: Path) -> None:
    assert not expected(path)
    assert findings(path) == set()


@pytest.mark.parametrize("code", [c for c, info in BY_CODE.items() if info.static])
def test_every_static_rule_has_enough_cases(code: str) -> None:
    folder = CASES / code
    assert len(list(folder.glob("bad_*.py"))) >= MIN_CASES
    assert len(list(folder.glob("good_*.py"))) >= MIN_CASES


def test_case_folders_are_rule_codes() -> None:
    for folder in CASES.iterdir():
        if folder.is_dir() and folder.name not in ("known_limitations", "__pycache__"):
            assert folder.name in BY_CODE, folder


@pytest.mark.parametrize("path", sorted(LIMITS.glob("*.py")) if LIMITS.is_dir() else [],
                         ids=lambda p: p.name)
def test_known_limitation_is_still_present(path: Path) -> None:
    """Current behaviour, pinned. When this fails the limitation may be fixed: move the
    file to its rule folder as a bad_/good_ case."""
    text = path.read_text(encoding="utf-8")
    assert "LIMITATION" in text, "explain the limitation in the file"
    assert findings(path) == expected(path)
