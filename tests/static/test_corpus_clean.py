"""The accuracy benchmark's clean corpus: correct training scripts must produce no finding."""
from __future__ import annotations

from pathlib import Path

import pytest

from loopcheck.checker import check_source
from tests.markers import ROOT

CORPUS = sorted((ROOT / "benchmarks" / "accuracy" / "corpus").glob("*.py"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_clean_corpus_script_has_no_finding(path: Path) -> None:
    assert check_source(path.read_text(encoding="utf-8"), str(path)) == []


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
