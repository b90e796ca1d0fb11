"""The command line of the static checker: outputs, exit codes, bad input, suppression."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from loopcheck import __version__
from loopcheck.cli import main
from tests.markers import FIXTURES, ROOT

BUGGY = FIXTURES / "buggy" / "LC101_no_zero_grad.py"
CLEAN = FIXTURES / "correct" / "image_classifier.py"


def run(*args: str, input: "bytes | None" = None):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), input=input)


def test_default_command_is_check_and_reports_ruff_style() -> None:
    result = run(str(BUGGY))
    assert result.exit_code == 1
    assert f"{BUGGY}:45:9: LC101 [missing-zero-grad] " in result.output
    assert "help: call optimizer.zero_grad()" in result.output


def test_clean_file_exits_zero() -> None:
    result = run("check", str(CLEAN))
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_json_schema_is_stable() -> None:
    result = run("--output-format", "json", str(BUGGY), str(CLEAN))
    assert result.exit_code == 1
    findings = json.loads(result.output)
    assert [f["code"] for f in findings] == ["LC101"]
    assert set(findings[0]) == {"code", "name", "severity", "message", "path", "line", "column",
                                "end_line", "end_column", "fix"}
    assert findings[0]["severity"] == "error" and findings[0]["line"] == 45 and findings[0]["column"] == 9


def test_folders_are_walked(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(BUGGY.read_text())
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "ignored.py").write_text(BUGGY.read_text())
    result = run("--output-format", "json", str(tmp_path))
    assert [Path(f["path"]).name for f in json.loads(result.output)] == ["train.py"]


def test_stdin() -> None:
    result = run("-", input=BUGGY.read_bytes())
    assert result.exit_code == 1
    assert "-:45:9: LC101" in result.output


def test_select_ignore_and_exit_zero() -> None:
    assert run("--select", "LC2", str(BUGGY)).exit_code == 0
    assert run("--ignore", "LC101", str(BUGGY)).exit_code == 0
    assert run("--select", "LC1", str(BUGGY)).exit_code == 1
    assert run("--exit-zero", str(BUGGY)).exit_code == 0


def test_unknown_code_is_a_usage_error_with_a_suggestion() -> None:
    result = run("--select", "LC1011", str(BUGGY))
    assert result.exit_code == 2
    assert "LC1011" in result.output


def test_bad_files_are_reported_in_one_line_and_the_rest_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n    pass\n")
    latin = tmp_path / "latin.py"
    latin.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    empty = tmp_path / "empty.py"
    empty.write_text("")
    result = CliRunner().invoke(main, ["--output-format", "json", str(broken), str(latin), str(empty),
                                       str(tmp_path / "missing.py"), str(BUGGY)])
    assert result.exit_code == 2
    stderr_lines = [line for line in result.stderr.splitlines() if line]
    assert len(stderr_lines) == 3          # an empty file is a valid, clean file
    assert any("broken.py:1:7" in line and "syntax error" in line for line in stderr_lines)
    assert any("latin.py" in line and "decode" in line for line in stderr_lines)
    assert any("missing.py" in line and "no such file" in line for line in stderr_lines)
    assert "Traceback" not in result.output
    assert [f["code"] for f in json.loads(result.stdout)] == ["LC101"]


def test_noqa_and_ignore_file(tmp_path: Path) -> None:
    lines = BUGGY.read_text().splitlines()
    lines[44] += "  # noqa: LC101"
    suppressed = tmp_path / "a.py"
    suppressed.write_text("\n".join(lines) + "\n")
    assert run(str(suppressed)).exit_code == 0
    lines[44] = lines[44].replace("# noqa: LC101", "# noqa: LC202")
    suppressed.write_text("\n".join(lines) + "\n")
    assert run(str(suppressed)).exit_code == 1
    whole = tmp_path / "b.py"
    whole.write_text("# loopcheck: ignore-file\n" + BUGGY.read_text())
    assert run(str(whole)).exit_code == 0


def test_rule_and_rules_commands() -> None:
    listing = run("rules")
    assert listing.exit_code == 0 and "LC101  missing-zero-grad" in listing.output
    unknown = run("rule", "LC999")
    assert unknown.exit_code == 2


def test_version_and_help() -> None:
    assert __version__ in run("--version").output
    help_text = run("--help").output
    assert "Examples:" in help_text and "loopcheck rule LC101" in help_text


def test_static_checker_never_imports_torch() -> None:
    code = ("import sys; from loopcheck.cli import main; from loopcheck.checker import check_source;"
            f"check_source(open({str(BUGGY)!r}).read(), 'x.py');"
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
