"""The reduced accuracy benchmark (clean corpus + a fixed sample of mutants) as a regression gate.

The floors are the figures of the run recorded when this test was written (quick sample:
49 bugs, 13 labelled non-bugs): recall 44/49 exact-line detections, at most 5 false positives,
and none on the clean corpus. A change that lowers recall or adds false positives fails CI;
raise the floors when the analysis improves (docs/accuracy.md has the full run).
"""
from __future__ import annotations

import sys

import pytest

from tests.markers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import run as accuracy  # noqa: E402

MIN_TRUE_POSITIVES = 44
MAX_FALSE_POSITIVES = 5


@pytest.fixture(scope="module")
def quick() -> dict:
    return accuracy.benchmark(quick=True)["loopcheck"]


def test_loopcheck_ran(quick: dict) -> None:
    assert quick["available"], quick.get("error")
    assert not quick["errors"]


def test_no_false_positive_on_the_clean_corpus(quick: dict) -> None:
    assert quick["clean_false_positives"] == []


def test_recall_and_precision_do_not_regress(quick: dict) -> None:
    overall = quick["overall"]
    assert overall["tp"] >= MIN_TRUE_POSITIVES, quick["misses"]
    assert overall["fp"] <= MAX_FALSE_POSITIVES, quick["mutant_false_positives"]
