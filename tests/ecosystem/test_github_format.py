"""`--output-format github` workflow commands, and `--statistics`."""
from __future__ import annotations

import json
from pathlib import Path

from loopcheck.findings import Finding, Location, Severity
from loopcheck.report.github import escape_data, escape_property, format_finding
from tests.ecosystem.helpers import BUGGY, CLEAN, Project


def test_annotations_for_each_finding(project: Project) -> None:
    project.write("src/train.py", BUGGY)
    result = project.run("--output-format", "github", "src")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(
        "::error file=src/train.py,line=7,col=9,endLine=7,endColumn=")
    assert ",title=LC104 [scheduler-before-optimizer]::scheduler.step() runs before" in lines[0]
    assert "%0Ahelp: call scheduler.step() after optimizer.step()" in lines[0]
    warning = next(line for line in lines if "LC401" in line)
    assert warning.startswith("::warning file=src/train.py,line=11,col=9,")


def test_clean_run_prints_nothing(project: Project) -> None:
    project.write("train.py", CLEAN)
    result = project.run("--output-format", "github", "train.py")
    assert result.exit_code == 0 and result.stdout == ""


def test_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    finding = Finding("LC101", "missing-zero-grad", Severity.INFO, "50% of it:\nbad, really",
                      Location("we,ird:dir/x.py", 3, 5, 3, 9))
    line = format_finding(finding, Path.cwd())
    assert line == ("::notice file=we%2Cird%3Adir/x.py,line=3,col=5,endLine=3,endColumn=9,"
                    "title=LC101 [missing-zero-grad]::50%25 of it:%0Abad, really")


def test_paths_are_repository_relative(project: Project, monkeypatch) -> None:  # noqa: ANN001
    (project.root / ".git").mkdir()
    project.write("pkg/train.py", BUGGY)
    monkeypatch.chdir(project.root / "pkg")
    result = project.run("--output-format", "github", "train.py")
    assert all(line.split(" ", 1)[1].startswith("file=pkg/train.py,") for line in result.stdout.splitlines())


def test_statistics_text_and_json(project: Project) -> None:
    project.write("a.py", BUGGY)
    project.write("b.py", BUGGY.replace("scheduler.step()\n", "pass\n"))
    result = project.run("--statistics", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["2  LC101  [missing-zero-grad]",
                                          "2  LC401  [loss-kept-with-graph]",
                                          "1  LC104  [scheduler-before-optimizer]"]
    data = json.loads(project.run("--statistics", "--output-format", "json", ".").stdout)
    assert data[0] == {"code": "LC101", "name": "missing-zero-grad", "count": 2}
    assert sum(row["count"] for row in data) == 5


def test_statistics_with_sarif_keeps_stdout_machine_readable(project: Project) -> None:
    project.write("a.py", BUGGY)
    result = project.run("--statistics", "--output-format", "sarif", "a.py")
    json.loads(result.stdout)
    assert "1  LC101  [missing-zero-grad]" in result.stderr
