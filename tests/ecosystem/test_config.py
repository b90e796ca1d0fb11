"""Configuration files, excludes and .gitignore: precedence, and one-line errors (exit 2)."""
from __future__ import annotations

import json

import pytest

from tests.ecosystem.helpers import BUGGY, CLEAN, Project


def codes(result) -> list[str]:  # noqa: ANN001
    return sorted(f["code"] for f in json.loads(result.stdout))


def test_pyproject_select_and_ignore(project: Project) -> None:
    project.write("train.py", BUGGY)
    assert codes(project.run("--output-format", "json", "train.py")) == ["LC101", "LC104", "LC401"]
    project.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.loopcheck]\nselect = ["LC1"]\nignore = ["LC104"]\n')
    assert codes(project.run("--output-format", "json", "train.py")) == ["LC101"]


def test_loopcheck_toml_uses_top_level_keys_and_beats_pyproject_in_same_folder(project: Project) -> None:
    project.write("train.py", BUGGY)
    project.write("pyproject.toml", '[tool.loopcheck]\nselect = ["LC1"]\n')
    project.write("loopcheck.toml", 'select = ["LC4"]\n')
    assert codes(project.run("--output-format", "json", "train.py")) == ["LC401"]


def test_nearest_config_above_the_file_wins(project: Project) -> None:
    project.write("pyproject.toml", '[tool.loopcheck]\nignore = ["LC401"]\n')
    project.write("a/train.py", BUGGY)
    project.write("b/loopcheck.toml", 'ignore = ["LC101"]\n')
    project.write("b/train.py", BUGGY)
    result = project.run("--output-format", "json", ".")
    found = {(f["path"].replace("\\", "/"), f["code"]) for f in json.loads(result.stdout)}
    assert found == {("a/train.py", "LC101"), ("a/train.py", "LC104"),
                     ("b/train.py", "LC104"), ("b/train.py", "LC401")}


def test_pyproject_without_tool_table_is_skipped(project: Project) -> None:
    project.write("loopcheck.toml", 'select = ["LC401"]\n')
    project.write("pkg/pyproject.toml", '[project]\nname = "pkg"\n')
    project.write("pkg/train.py", BUGGY)
    assert codes(project.run("--output-format", "json", "pkg/train.py")) == ["LC401"]


def test_cli_flags_override_config(project: Project) -> None:
    project.write("train.py", BUGGY)
    project.write("loopcheck.toml", 'select = ["LC401"]\n')
    assert codes(project.run("--output-format", "json", "--select", "LC104", "train.py")) == ["LC104"]
    project.write("loopcheck.toml", 'ignore = ["LC401", "LC104"]\n')
    assert codes(project.run("--output-format", "json", "--ignore", "LC101", "train.py")) == ["LC104", "LC401"]
    assert codes(project.run("--output-format", "json", "--isolated", "train.py")) == ["LC101", "LC104", "LC401"]


def test_explicit_config_file(project: Project) -> None:
    project.write("train.py", BUGGY)
    project.write("ci/strict.toml", 'select = ["LC104"]\n')
    assert codes(project.run("--output-format", "json", "--config", "ci/strict.toml", "train.py")) == ["LC104"]


def test_per_file_ignores(project: Project) -> None:
    project.write("pyproject.toml", '[tool.loopcheck.per-file-ignores]\n"scripts/*" = ["LC4"]\n"legacy_*.py" = ["LC101", "LC104"]\n')
    project.write("scripts/train.py", BUGGY)
    project.write("legacy_train.py", BUGGY)
    project.write("train.py", BUGGY)
    result = project.run("--output-format", "json", ".")
    found = sorted((f["path"].replace("\\", "/"), f["code"]) for f in json.loads(result.stdout))
    assert found == [("legacy_train.py", "LC401"),
                     ("scripts/train.py", "LC101"), ("scripts/train.py", "LC104"),
                     ("train.py", "LC101"), ("train.py", "LC104"), ("train.py", "LC401")]


def test_default_excludes_and_gitignore(project: Project) -> None:
    for folder in (".venv/lib", "venv", "build", "dist", "__pycache__", ".tox", "node_modules", ".git", "x.egg-info"):
        project.write(f"{folder}/train.py", BUGGY)
    project.write(".gitignore", "# generated\nexperiments/\n*_generated.py\n!keep_generated.py\n/top_only.py\n")
    project.write("experiments/run1/train.py", BUGGY)
    project.write("model_generated.py", BUGGY)
    project.write("keep_generated.py", CLEAN)
    project.write("top_only.py", BUGGY)
    project.write("sub/top_only.py", CLEAN)
    project.write("src/.gitignore", "local.py\n")
    project.write("src/local.py", BUGGY)
    project.write("src/train.py", CLEAN)
    result = project.run("-q", ".")
    assert result.exit_code == 0, result.output
    result = project.run("--output-format", "json", ".")
    assert json.loads(result.stdout) == []
    summary = project.run(".").stdout
    assert "(3 files checked)" in summary        # keep_generated.py, sub/top_only.py, src/train.py


def test_gitignore_of_the_repository_root_applies_in_subfolders(project: Project) -> None:
    (project.root / ".git").mkdir()
    project.write(".gitignore", "generated/\n")
    project.write("pkg/generated/train.py", BUGGY)
    project.write("pkg/train.py", CLEAN)
    result = project.run("pkg")
    assert result.exit_code == 0 and "(1 file checked)" in result.stdout


def test_exclude_replaces_defaults_and_extend_exclude_adds(project: Project) -> None:
    project.write("build/train.py", BUGGY)
    project.write("notebooks/old/train.py", BUGGY)
    project.write("pyproject.toml", '[tool.loopcheck]\nextend-exclude = ["notebooks/old"]\n')
    assert project.run("-q", ".").exit_code == 0
    project.write("pyproject.toml", '[tool.loopcheck]\nexclude = ["notebooks"]\n')
    assert {f["path"].replace("\\", "/") for f in json.loads(project.run("--output-format", "json", ".").stdout)} == {"build/train.py"}
    assert project.run("-q", "--extend-exclude", "build", ".").exit_code == 0
    assert project.run("-q", "--isolated", "--exclude", "notebooks", ".").exit_code == 1


def test_named_files_are_checked_unless_force_exclude(project: Project) -> None:
    project.write("pyproject.toml", '[tool.loopcheck]\nextend-exclude = ["vendored"]\n')
    project.write("vendored/train.py", BUGGY)
    assert project.run("-q", "vendored/train.py").exit_code == 1
    result = project.run("--force-exclude", "vendored/train.py")
    assert result.exit_code == 0 and "(0 files checked)" in result.stdout


@pytest.mark.parametrize("filename,content,expected", [
    ("pyproject.toml", "[tool.loopcheck]\nselct = ['LC1']\n",
     "pyproject.toml: [tool.loopcheck] unknown key 'selct' (did you mean 'select'?)"),
    ("loopcheck.toml", "per_file_ignores = {}\n",
     "loopcheck.toml: unknown key 'per_file_ignores' (did you mean 'per-file-ignores'?)"),
    ("pyproject.toml", "[tool.loopcheck]\nselect = ['LC10l']\n",
     "pyproject.toml: [tool.loopcheck] select: unknown rule code 'LC10L' (did you mean LC101?)"),
    ("loopcheck.toml", "[per-file-ignores]\n'tests/*' = ['XX1']\n",
     "loopcheck.toml: per-file-ignores.'tests/*': unknown rule code 'XX1'"),
    ("loopcheck.toml", "select = 'LC1'\n", "loopcheck.toml: select: must be a list of strings"),
    ("pyproject.toml", "[tool.loopcheck\nselect = ['LC1']\n", "pyproject.toml: invalid TOML: "),
    ("loopcheck.toml", "select = [\n", "loopcheck.toml: invalid TOML: "),
])
def test_config_errors_are_one_line_exit_2(project: Project, filename: str, content: str, expected: str) -> None:
    project.write("train.py", CLEAN)
    project.write(filename, content)
    result = project.run("train.py")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("loopcheck: error: ") and expected in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_config_error_in_a_subfolder_found_while_walking(project: Project) -> None:
    project.write("train.py", CLEAN)
    project.write("sub/loopcheck.toml", "ignore = [1]\n")
    project.write("sub/train.py", CLEAN)
    result = project.run(".")
    assert result.exit_code == 2
    assert "sub/loopcheck.toml: ignore: must be a list of strings" in result.stderr.replace("\\", "/")


def test_unknown_code_on_the_command_line_suggests_the_nearest(project: Project) -> None:
    project.write("train.py", CLEAN)
    result = project.run("--select", "LC1O1", "train.py")
    assert result.exit_code == 2
    assert "unknown rule code 'LC1O1' (did you mean LC101?)" in result.stderr
