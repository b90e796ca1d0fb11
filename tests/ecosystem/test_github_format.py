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


HOSTILE = "evil\n::stop-commands::tok3n\n::error file=x.py,line=1::fake %0A, done.py"


def test_hostile_file_names_cannot_inject_commands(project: Project) -> None:
    """A file name with newlines, `::stop-commands::`, `%`, `:` and `,`: every line printed is one
    of loopcheck's own commands, and the name comes back intact when unescaped."""
    project.write(HOSTILE, BUGGY)
    result = project.run("--output-format", "github", ".")
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    name = lines[0].split("file=", 1)[1].split(",line=", 1)[0]
    assert "\n" not in name and "::" not in name and "," not in name
    unescaped = name.replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    assert unescaped == HOSTILE


def test_file_that_cannot_be_checked_is_an_escaped_command(project: Project) -> None:
    project.write(HOSTILE, "def f(:\n")
    result = project.run("--output-format", "github", ".")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    # One line: the runner reads a command only at the start of a line, so `::` inside the data is inert.
    assert len(lines) == 1
    assert lines[0].startswith("::error title=loopcheck::loopcheck: error: evil%0A::stop-commands::tok3n%0A")
    assert "fake %250A, done.py" in lines[0]


def test_text_format_keeps_an_unreadable_file_on_one_line(project: Project) -> None:
    project.write(HOSTILE, "def f(:\n")
    result = project.run(".")
    assert len(result.stderr.strip().splitlines()) == 1 and "evil\\n::stop-commands" in result.stderr


def test_configuration_error_is_an_escaped_command(project: Project) -> None:
    folder = "conf\n::stop-commands::x"
    project.write(f"{folder}/pyproject.toml", "[tool.loopcheck]\nselekt = 1\n")
    project.write(f"{folder}/train.py", BUGGY)
    result = project.run("--output-format", "github", f"{folder}/train.py")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error title=loopcheck::loopcheck: error: ") and "%0A::stop" in lines[0]
