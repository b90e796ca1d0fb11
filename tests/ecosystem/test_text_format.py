"""Text output in ruff's two shapes: `full` (default, with the source underlined) and `concise`."""
from __future__ import annotations

from loopcheck.findings import Finding, Location, Severity
from loopcheck.report.text import full
from tests.ecosystem.helpers import BUGGY, Project
from tests.ecosystem.test_notebooks import buggy_notebook


def test_default_shows_the_source_underlined_and_the_hint(project: Project) -> None:
    project.write("train.py", BUGGY)
    result = project.run("train.py")
    assert result.exit_code == 1
    block = result.stdout.split("\n\n")[1]      # LC101 (line 10), between LC104 and LC401
    assert block.splitlines() == [
        "train.py:10:9: LC101 [missing-zero-grad] " + block.splitlines()[0].split("] ", 1)[1],
        "   |",
        " 9 |         loss.backward()",
        "10 |         optimizer.step()",
        "   |         ^^^^^^^^^^^^^^^^ LC101",
        "11 |         total_loss += loss",
        "   |",
        "   = help: call optimizer.zero_grad() once per step, before loss.backward() (or after step())",
    ]
    assert result.stdout.rstrip().endswith("1 more fixable with --fix --unsafe-fixes.")


def test_concise_is_one_line_per_finding(project: Project) -> None:
    project.write("train.py", BUGGY)
    result = project.run("--output-format", "concise", "train.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ", 2)[1].split()[0] for line in lines[:3]] == ["LC104", "LC101", "LC401"]
    assert lines[0].startswith("train.py:7:9: LC104 [scheduler-before-optimizer] ")
    assert lines[3].startswith("Found 3 problems") and "help:" not in result.stdout and "|" not in result.stdout


def test_quiet_concise_prints_exactly_the_findings(project: Project) -> None:
    project.write("train.py", BUGGY)
    assert len(project.run("-q", "--output-format", "concise", "train.py").stdout.splitlines()) == 3


def test_notebook_snippet_shows_the_cells_own_lines(project: Project) -> None:
    buggy_notebook(project.root / "nb.ipynb")
    output = project.run("nb.ipynb").stdout
    assert "nb.ipynb:cell 4:7:9: LC101" in output
    assert "7 |         optimizer.step()\n  |         ^^^^^^^^^^^^^^^^ LC101" in output


def test_standard_input_has_no_snippet_but_keeps_the_hint(project: Project) -> None:
    result = project.run("-", input=BUGGY)
    assert "-:10:9: LC101" in result.stdout and "  = help: call optimizer.zero_grad()" in result.stdout
    assert " |" not in result.stdout


def test_tabs_and_multi_line_regions_are_underlined_where_they_are() -> None:
    finding = Finding("LC401", "loss-kept-with-graph", Severity.WARNING, "m", Location("x.py", 2, 2, 2, 12), fix="f")
    lines = ["for x in y:", "\ttotal += loss", "print(total)"]
    assert full(finding, lines).splitlines()[3:6] == ["2 |     total += loss", "  |     ^^^^^^^^^^ LC401",
                                                      "3 | print(total)"]
    spanning = Finding("LC202", "eval-without-no-grad", Severity.WARNING, "m", Location("x.py", 1, 1, 3, 5))
    shown = full(spanning, ["a = (1,", "     2,", "     3)", "b = 4"]).splitlines()
    assert shown[1:7] == ["  |", "1 | a = (1,", "  | ^^^^^^^ LC202", "2 |      2,", "3 |      3)", "4 | b = 4"]
