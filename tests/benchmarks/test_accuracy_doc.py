"""docs/accuracy.md is the whole picture whatever flags a re-run gets (issue 12): the sections a
run does not recompute (runtime, TorchFix/dslinter) are kept from the saved results, and the
real-code section comes from results/real.json. Nothing here runs the benchmark itself."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.markers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import run as accuracy  # noqa: E402

SAVED = json.loads(accuracy.RESULTS.read_text())


def static_only(saved: dict) -> dict:
    """What a default run (no --runtime, no --tools) returns: the saved run without those sections."""
    return {k: v for k, v in saved.items() if k not in accuracy.OPTIONAL_SECTIONS and k != "kept"}


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_a_default_run_keeps_the_sections_it_did_not_recompute(tmp_path: Path) -> None:
    full, default = tmp_path / "full.md", tmp_path / "default.md"
    accuracy.write_doc(SAVED, full)
    rerun = accuracy.keep_sections(static_only(SAVED) | {"generated": "2030-01-01 00:00"}, SAVED)
    accuracy.write_doc(rerun, default)
    assert headings(default.read_text()) == headings(full.read_text())
    assert "## Runtime watcher" in default.read_text() and "## Side by side" in default.read_text()
    kept_from = SAVED.get("kept", {}).get("runtime", SAVED["generated"])
    assert f"kept from the run of {kept_from}" in default.read_text()


def test_sections_recomputed_now_are_not_marked_as_kept() -> None:
    computed_now = {k: v for k, v in SAVED.items() if k != "kept"}
    assert "kept" not in accuracy.keep_sections(computed_now, SAVED)


def test_without_saved_results_nothing_is_invented() -> None:
    assert accuracy.keep_sections(static_only(SAVED), None) == static_only(SAVED)


def test_render_rewrites_the_document_from_saved_results(tmp_path: Path) -> None:
    doc = tmp_path / "accuracy.md"
    assert accuracy.main(["--render", "--doc", str(doc)]) == 0
    text = doc.read_text()
    assert "## loopcheck (static)" in text and "## Real code" in text and "## Runtime watcher" in text


def test_render_without_results_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    assert accuracy.main(["--render", "--json", str(tmp_path / "none.json"), "--doc", str(tmp_path / "a.md")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "a.md").exists()


def test_real_code_section_comes_from_the_saved_real_run(tmp_path: Path) -> None:
    real = {"generated": "2030-01-01 00:00", "errors": [], "verdicts": 1, "listed_missed": 1,
            "corpus": {"repos": 1, "files": 1, "notebooks": 0, "lines": 1000,
                       "kinds": {"research": {"repos": 1, "files": 1, "scripts": 1, "lines": 1000}}},
            "scores": {"rules": {"LC101": {"findings": 2, "true": 1, "false": 1, "unclear": 0, "unjudged": 0, "missed": 1,
                                           "precision": 0.5, "recall": 0.5}},
                       "overall": {"findings": 2, "true": 1, "false": 1, "unclear": 0, "unjudged": 0, "missed": 1,
                                   "precision": 0.5, "recall": 0.5}},
            "false_positive_classes": {"closure-zero-grad": {"LC101": 1}},
            "missed": [{"repo": "a/b", "path": "t.py", "code": "LC101", "text": "opt.step()", "idiom": "engine-step",
                        "note": "never cleared"}]}
    doc = tmp_path / "accuracy.md"
    accuracy.write_doc(SAVED, doc, [real])
    text = doc.read_text()
    section = text[text.index("## Real code"):]
    assert "| LC101 | 2 | 1 | 1 | 0 | 0 | 1 | 0.50 | 0.50 |" in section
    assert "closure-zero-grad" in section and "never cleared" in section
    assert "real_repos.py --snapshots DIR --save" in section and "Held-out corpus" in section
