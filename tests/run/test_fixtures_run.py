"""Every fixture runs for real under `loopcheck run`: buggy fixtures are reported with the code
and line of their `# expect-runtime:` markers, correct fixtures get no finding."""
import pytest

pytest.importorskip("torch")

import os  # noqa: E402
from pathlib import Path  # noqa: E402

from tests.run.run_helpers import FIXTURES, expected_runtime  # noqa: E402

from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

BUGGY = sorted(p for p in (FIXTURES / "buggy").glob("*.py") if expected_runtime(p))
CORRECT = sorted((FIXTURES / "correct").glob("*.py"))


def _run(path: Path, monkeypatch):
    monkeypatch.chdir(path.parent)  # fixtures may write checkpoints next to themselves
    # --device-audit everywhere: LC301 is only observable on a CPU machine with it, and it must
    # not add findings to correct scripts.
    return run_script(RunOptions(str(path), [], device_audit=True))


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_is_reported_at_the_marked_line(path, monkeypatch):
    result = _run(path, monkeypatch)
    # the LC106 fixtures end in torch's own error: the report must still name the user's line
    assert result.outcome == "completed" or "LC106" in path.name, result.error
    findings = result.report.findings
    got = {(f.code, f.line) for f in findings if os.path.samefile(f.path, path)}
    missing = expected_runtime(path) - got
    assert not missing, f"missing {sorted(missing)}; got {[(f.code, f.path, f.line) for f in findings]}"


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_correct_fixture_has_no_finding(path, monkeypatch):
    result = _run(path, monkeypatch)
    assert result.outcome == "completed", result.error
    findings = result.report.findings
    assert findings == [], "\n".join(f"{f.path}:{f.line}: {f.code} {f.message}" for f in findings)


def test_fixtures_exist():
    assert len(BUGGY) >= 15 and len(CORRECT) >= 6
