"""A small seeded sample of the fuzz benchmark (benchmarks/fuzz/run.py runs 10,000): generated and
mutated programs, checked in parallel workers, end in findings, a clean result or one line."""
from __future__ import annotations

import importlib.util
import sys

from tests.markers import ROOT

_SPEC = importlib.util.spec_from_file_location("loopcheck_fuzz_run", ROOT / "benchmarks" / "fuzz" / "run.py")
assert _SPEC is not None and _SPEC.loader is not None
fuzz_run = sys.modules[_SPEC.name] = importlib.util.module_from_spec(_SPEC)   # workers find it by name
_SPEC.loader.exec_module(fuzz_run)


def test_fuzz_sample_has_no_crash_hang_or_memory_blow_up() -> None:
    outcomes = list(fuzz_run.fuzz(count=120, seed=12, jobs=2, timeout=60))
    summary = fuzz_run.summarise(outcomes, max_rss_mb=1024)
    assert summary["inputs"] == 120
    assert summary["failures"] == []
    kinds = summary["outcomes"]
    assert isinstance(kinds, dict) and kinds.get("findings", 0) > 0 and kinds.get("not-checked", 0) > 0


def test_inputs_are_replayable() -> None:
    seeds = fuzz_run.seed_sources()
    assert fuzz_run.make_input(3, 41, seeds) == fuzz_run.make_input(3, 41, seeds)
