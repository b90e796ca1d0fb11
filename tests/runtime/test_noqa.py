"""`# noqa` silences a runtime finding on its line as it silences the static one (one vocabulary)."""
import pytest

torch = pytest.importorskip("torch")

import loopcheck  # noqa: E402
from loopcheck.runtime.noqa import without_suppressed  # noqa: E402
from loopcheck.findings import Finding, Location, Severity  # noqa: E402
from runtime_helpers import data, mlp  # noqa: E402


def _codes(watcher) -> list[str]:  # noqa: ANN001
    return [f.code for f in watcher.report.findings]


def test_noqa_on_the_reported_line_silences_the_runtime_finding():
    model = mlp(dropout=False)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as intended:
        for x, y in data(3):
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()  # noqa: LC101
    assert "LC101" not in _codes(intended)

    with loopcheck.watch(model, opt, quiet=True) as other_code:
        for x, y in data(3):
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()  # noqa: LC102
    assert "LC101" in _codes(other_code)


def test_findings_in_files_that_cannot_be_read_are_kept(tmp_path):
    ignored = tmp_path / "ignored.py"
    ignored.write_text("# loopcheck: ignore-file\nopt.step()\n")
    marked = tmp_path / "marked.py"
    marked.write_text("x = 1\nopt.step()  # noqa\n")

    def finding(path: str) -> Finding:
        return Finding("LC101", "missing-zero-grad", Severity.ERROR, "m", Location(path, 2, 1))

    found = [finding("<stdin>"), finding(str(ignored)), finding(str(marked)), finding(str(tmp_path / "gone.py"))]
    assert without_suppressed(found, lambda shown: shown) == [found[0], found[3]]
