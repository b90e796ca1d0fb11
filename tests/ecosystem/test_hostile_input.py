"""Hostile and odd input (issue 12, "Faults and hostile input"): every file ends in a correct result
or one clear line, the other files are still checked, and the exit code says which."""
from __future__ import annotations

import json
import os
import time

import pytest

from loopcheck import files, globs
from tests.ecosystem.helpers import BUGGY, CLEAN, Project

BUGGY_CODES = ["LC101", "LC104", "LC401"]


def codes(result) -> list[str]:  # noqa: ANN001
    return sorted(f["code"] for f in json.loads(result.stdout))


def error_lines(result) -> list[str]:  # noqa: ANN001
    return [line for line in result.stderr.splitlines() if line.startswith("loopcheck: error:")]


def with_deep_code(body: str) -> str:
    """BUGGY with `body` (deep but valid code) at module level."""
    return BUGGY + "\n\n" + body


# ---- 1. nesting that crashes libcst's native parser, and deep code that must still be checked --

@pytest.mark.parametrize("name, source", [
    ("parens.py", "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n"),
    ("chain.py", "x = a" + ".b" * 20_000 + "\n"),
    ("terms.py", "x = " + "+".join(["1"] * 200_000) + "\n"),
], ids=["parens", "chain", "terms"])
def test_nesting_that_would_crash_the_parser_is_one_line_and_the_rest_is_checked(
        project: Project, name: str, source: str) -> None:
    project.write(name, source)
    project.write("train.py", BUGGY)
    result = project.run("--output-format", "json", name, "train.py")
    assert result.exit_code == 2
    assert codes(result) == BUGGY_CODES
    [line] = error_lines(result)
    assert name in line and ("nested" in line or "syntax error" in line)


@pytest.mark.parametrize("body", [
    "def branches(x):\n    if x == 0:\n        return 0\n"
    + "".join(f"    elif x == {i}:\n        return {i}\n" for i in range(1, 800)),
    "total = " + " + ".join(["1"] * 500) + "\n",
    "text = (" + " ".join(['"a"'] * 1000) + ")\n",
], ids=["800-elif", "500-terms", "1000-literals"])
def test_deep_valid_code_is_checked(project: Project, body: str) -> None:
    project.write("train.py", with_deep_code(body))
    result = project.run("--output-format", "json", "train.py")
    assert result.exit_code == 1, result.stderr
    assert codes(result) == BUGGY_CODES


def test_thousands_of_adjacent_literals_without_a_loop_are_clean(project: Project) -> None:
    project.write("strings.py", "x = (" + " ".join(['"a"'] * 6000) + ")\n")
    result = project.run("strings.py")
    assert result.exit_code == 0, result.stderr


def test_valid_python_that_libcst_cannot_read_says_so(project: Project) -> None:
    project.write("train.py", with_deep_code("text = (" + " ".join(['"a"'] * 6000) + ")\n"))
    result = project.run("train.py")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "valid Python" in line and "invalid syntax" not in line


@pytest.mark.parametrize("source", [
    "x = (\ny = a" + ".b" * 2400 + "\n",           # found by the fuzzer: minutes in libcst, then an error
    "s = '\\u12'\nfor x in loader:\n    loss.backward()\n",   # libcst reads it, evaluating it crashes
], ids=["chain-after-syntax-error", "truncated-escape"])
def test_libcst_never_sees_a_file_python_rejects(project: Project, source: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("libcst was asked to parse a file Python rejects")

    monkeypatch.setattr(libcst, "parse_module", refuse)
    project.write("bad.py", source)
    result = project.run("bad.py")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "syntax error" in line


# ---- 2. globs: linear time, invalid ones are one line ------------------------------------------

def test_glob_matching_is_linear_on_a_backtracking_pattern() -> None:
    glob = globs.compile_glob("*a*a*a*a*a*a*a*a*a*a*a*b")
    started = time.process_time()
    assert not glob.matches("a" * 5000, False)
    assert glob.matches("a" * 5000 + "b", False)
    assert time.process_time() - started < 5     # a backtracking regex takes hours here


@pytest.mark.parametrize("pattern, name, expected", [
    ("*.py", "a.py", True), ("*.py", "a.pyc", False), ("build", "build", True),
    ("**/data", "x/y/data", True), ("**/data", "data", True), ("**/data", "xdata", False),
    ("a/**", "a/b/c", True), ("a/**/b", "a/b", True), ("a/**/b", "a/x/y/b", True),
    ("[ab]?.py", "bx.py", True), ("[!ab]*", "a", False), ("*a*b", "xxaxxb", True), ("*a*b", "xxa/b", False),
    ("\\*.py", "*.py", True), ("\\*.py", "a.py", False),
])
def test_glob_semantics(pattern: str, name: str, expected: bool) -> None:
    assert globs.compile_glob(pattern).matches(name, False) is expected


def test_invalid_globs_in_gitignore_config_and_flags_are_one_line(project: Project) -> None:
    project.write("src/train.py", BUGGY)
    (project.root / ".git").mkdir()
    project.write(".gitignore", "[z-a]\n*.log\n")
    result = project.run("--output-format", "json", "src")
    assert result.exit_code == 2 and codes(result) == BUGGY_CODES
    [line] = error_lines(result)
    assert ".gitignore:1" in line and "[z-a]" in line

    flag = project.run("--exclude", "[]", "src")
    assert flag.exit_code == 2 and "Traceback" not in flag.output and "[]" in flag.stderr

    project.write("loopcheck.toml", 'extend-exclude = ["[z-a]"]\n')
    config = project.run("src")
    assert config.exit_code == 2 and "extend-exclude" in config.stderr and "reversed range" in config.stderr


def test_toml_nested_thousands_deep_is_one_line(project: Project) -> None:
    project.write("a.py", CLEAN)
    project.write("loopcheck.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    result = project.run("a.py")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "loopcheck.toml" in result.stderr
    assert "Traceback" not in result.output


# ---- 3. only regular files are read ------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_device_symlink_in_a_walked_folder_are_reported_and_skipped(project: Project) -> None:
    project.write("src/train.py", BUGGY)
    os.mkfifo(project.root / "src" / "fifo.py")
    os.symlink("/dev/zero", project.root / "src" / "zero.py")
    result = project.run("--output-format", "json", "src")
    assert result.exit_code == 2
    assert codes(result) == BUGGY_CODES
    lines = error_lines(result)
    assert len(lines) == 2
    assert any("fifo.py" in line and "FIFO" in line for line in lines)
    assert any("zero.py" in line and "character device" in line for line in lines)


def test_files_over_the_size_limit_are_skipped(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(files.MAX_BYTES, ".py", 100)
    project.write("big.py", "x = 1\n" * 100)
    result = project.run("big.py")
    assert result.exit_code == 2 and "larger than" in result.stderr


# ---- 4. notebooks that are not quite notebooks -------------------------------------------------

@pytest.mark.parametrize("notebook", [
    {"cells": [{"cell_type": "code", "source": [1, 2], "metadata": {}}], "metadata": {}, "nbformat": 4},
    {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}}], "metadata": "python", "nbformat": 4},
    {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}}],
     "metadata": {"language_info": "python", "kernelspec": 3}, "nbformat": 4},
])
def test_odd_notebook_metadata_is_no_traceback(project: Project, notebook: dict) -> None:
    project.write("nb.ipynb", json.dumps(notebook))
    result = project.run("nb.ipynb")
    assert result.exit_code in (0, 2) and "Traceback" not in result.output
    assert "internal error" not in result.stderr


# ---- 5. exit codes: crashes are 2, Ctrl-C is 130, --exit-zero hides neither ---------------------

def test_an_internal_error_in_one_file_is_exit_2_even_with_exit_zero(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import loopcheck.checker

    real = loopcheck.checker.check_file

    def broken(source: str, display: str, *args: object) -> object:
        if display.endswith("bad.py"):
            raise KeyError("boom")
        return real(source, display, *args)

    monkeypatch.setattr(loopcheck.checker, "check_file", broken)
    project.write("bad.py", CLEAN)
    project.write("train.py", BUGGY)
    result = project.run("--exit-zero", "--output-format", "json", "bad.py", "train.py")
    assert result.exit_code == 2
    assert codes(result) == BUGGY_CODES
    [line] = error_lines(result)
    assert "bad.py" in line and "internal error" in line and "KeyError" in line


def test_a_crash_outside_any_file_is_exit_2_in_one_line(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import loopcheck.checker

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(loopcheck.checker, "collect", crash)
    project.write("a.py", CLEAN)
    result = project.run("--exit-zero", "a.py")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: unexpected" in result.stderr and "Traceback" not in result.output


def test_an_internal_error_is_an_escaped_command_in_github_format(project: Project,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import loopcheck.checker

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bad\n::stop-commands::x")

    monkeypatch.setattr(loopcheck.checker, "collect", crash)
    project.write("a.py", CLEAN)
    result = project.run("--output-format", "github", "a.py")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("::error")
    assert "internal error: RuntimeError: bad%0A::stop-commands::x" in result.stderr


def test_ctrl_c_exits_130(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import loopcheck.checker

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(loopcheck.checker, "check_file", interrupted)
    project.write("a.py", CLEAN)
    result = project.run("--exit-zero", "a.py")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr and "Traceback" not in result.output


# ---- 6. unreadable paths are reported, the rest checked, exit 2 ---------------------------------

def deny(monkeypatch: pytest.MonkeyPatch, function: str, suffix: str) -> None:
    """Make `os.<function>` fail with EACCES on paths ending in `suffix` (tests run as root too)."""
    real = getattr(os, function)

    def denying(path: "str | os.PathLike[str]" = ".", *args: object, **kwargs: object) -> object:
        if str(path).endswith(suffix):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, denying)


def test_unreadable_file_named_on_the_command_line(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("secret.py", CLEAN)
    project.write("train.py", BUGGY)
    deny(monkeypatch, "open", "secret.py")
    result = project.run("--output-format", "json", "secret.py", "train.py")
    assert result.exit_code == 2 and codes(result) == BUGGY_CODES
    [line] = error_lines(result)
    assert "secret.py" in line and "Permission denied" in line


def test_unreadable_subfolder_is_reported(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("src/private/hidden.py", BUGGY)
    project.write("src/train.py", BUGGY)
    deny(monkeypatch, "scandir", "private")
    result = project.run("--output-format", "json", "src")
    assert result.exit_code == 2 and codes(result) == BUGGY_CODES
    [line] = error_lines(result)
    assert "private" in line and "cannot list folder" in line


# ---- 10. an empty file is a clean file -----------------------------------------------------------

def test_empty_file_named_on_the_command_line_is_clean(project: Project) -> None:
    project.write("empty.py", "")
    result = project.run("empty.py")
    assert result.exit_code == 0 and "All checks passed (1 file checked)" in result.stdout
