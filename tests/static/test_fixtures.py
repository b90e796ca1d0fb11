"""`loopcheck fixtures/` reports every planted bug, at its marked line, and nothing else."""
from __future__ import annotations

from pathlib import Path

import pytest

from loopcheck.catalogue import BY_CODE
from loopcheck.checker import check_source
from tests.markers import expected, fixture_files


def static_findings(path: Path) -> set[tuple[str, int]]:
    return {(f.code, f.line) for f in check_source(path.read_text(encoding="utf-8"), str(path))}


@pytest.mark.parametrize("path", fixture_files("correct"), ids=lambda p: p.name)
def test_correct_fixture_is_clean(path: Path) -> None:
    assert static_findings(path) == set()


@pytest.mark.parametrize("path", fixture_files("buggy"), ids=lambda p: p.name)
def test_buggy_fixture_reports_exactly_the_planted_bug(path: Path) -> None:
    assert static_findings(path) == expected(path, "expect")


def test_every_static_rule_has_a_buggy_fixture() -> None:
    planted = {code for path in fixture_files("buggy") for code, _ in expected(path, "expect")}
    static_codes = {code for code, info in BY_CODE.items() if info.static}
    assert static_codes <= planted
