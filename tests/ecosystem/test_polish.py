"""Progress bar (terminal only), help examples, suggestions, and no torch on the static path."""
from __future__ import annotations

import subprocess
import sys

import pytest

import loopcheck.progress
from tests.ecosystem.helpers import BUGGY, CLEAN, Project
from tests.markers import ROOT

MANY = loopcheck.progress.THRESHOLD + 1


def many_files(project: Project) -> None:
    for i in range(MANY):
        project.write(f"src/m{i:03d}.py", "x = 1\n")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stderr is a terminal (CliRunner's is not), outside CI."""
    import click._termui_impl

    monkeypatch.setattr(loopcheck.progress, "_stderr_isatty", lambda: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_progress_bar_on_a_terminal_for_many_files(project: Project, terminal: None) -> None:
    many_files(project)
    result = project.run("-j", "1", "src")
    assert result.exit_code == 0
    assert "Checking" in result.stderr and f"{MANY}/{MANY}" in result.stderr
    assert "Checking" not in result.stdout


def test_no_progress_bar_for_few_files(project: Project, terminal: None) -> None:
    project.write("a.py", CLEAN)
    assert project.run("a.py").stderr == ""


def test_no_progress_bar_in_ci(project: Project, terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    many_files(project)
    assert project.run("-j", "1", "src").stderr == ""


def test_no_progress_bar_in_a_pipe(project: Project) -> None:
    many_files(project)
    assert project.run("-j", "1", "src").stderr == ""


def test_help_shows_examples(project: Project) -> None:
    for args in (["--help"], ["check", "--help"]):
        output = project.run(*args).stdout
        assert "Examples:" in output
        for example in ("--output-format sarif", "--fix train.py", "--diff train.py", "nb.ipynb"):
            assert example in output, (args, example)


def test_option_typo_suggests_the_option(project: Project) -> None:
    project.write("a.py", CLEAN)
    result = project.run("--statistic", "a.py")
    assert result.exit_code == 2
    assert "--statistics" in result.stderr


def test_rule_typo_suggests_the_rule(project: Project) -> None:
    result = project.run("rule", "LC11")
    assert result.exit_code == 2 and "did you mean" in result.stderr


def test_fix_hint_in_summary(project: Project) -> None:
    project.write("a.py", BUGGY)
    output = project.run("a.py").stdout
    assert "2 fixable with --fix (see them first with --diff)" in output
    assert "1 more fixable with --fix --unsafe-fixes" in output


def test_static_path_never_imports_torch(tmp_path) -> None:  # noqa: ANN001
    """Run every output format, a notebook and --fix with torch made unimportable."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    (tmp_path / "train.py").write_text(BUGGY)
    nbformat.write(new_notebook(cells=[new_code_cell(BUGGY)]), str(tmp_path / "nb.ipynb"))
    (tmp_path / "pyproject.toml").write_text('[tool.loopcheck]\nignore = ["LC2"]\n')
    script = (
        "import sys; sys.modules['torch'] = None\n"
        "from loopcheck.cli import main\n"
        "for args in (['--output-format', f, '.'] for f in ('text', 'json', 'sarif', 'github')):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 1, (args, e.code)\n"
        "try:\n"
        "    main(['--fix', '--unsafe-fixes', '--statistics', '.'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 1, e.code\n"
        "assert not [m for m in sys.modules if m.startswith('torch') and sys.modules[m] is not None]\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "zero_grad" in (tmp_path / "train.py").read_text()


def test_a_reader_that_stops_early_ends_the_run_quietly(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """`loopcheck src | head`: the closed pipe is the reader's choice, not a loopcheck bug."""
    import loopcheck.cli

    def closed_pipe(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    project.write("train.py", BUGGY)
    monkeypatch.setattr(loopcheck.cli._Run, "execute", closed_pipe)
    result = project.run("train.py")
    assert result.exit_code == 1 and "error" not in result.stderr
