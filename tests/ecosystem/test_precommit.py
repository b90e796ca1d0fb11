"""The pre-commit hook, run for real: `pre-commit try-repo <this repo> loopcheck --all-files`.

try-repo clones a committed repository, so the working tree of this checkout (tracked files and
untracked, non-ignored ones) is copied into a temporary git repository and committed there.
pre-commit then builds its own hook environment from it with pip (network: PyPI).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.ecosystem.helpers import BUGGY, CLEAN
from tests.markers import ROOT

pytestmark = pytest.mark.slow

GIT = ["git", "-c", "user.name=loopcheck tests", "-c", "user.email=tests@loopcheck.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def snapshot_of_this_checkout(target: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot for the pre-commit test")
    return target


def try_repo(hook_repo: Path, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "loopcheck",
                           "--all-files", "--color", "never"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_hook_fails_on_buggy_file_and_passes_once_fixed(tmp_path: Path) -> None:
    hook_repo = snapshot_of_this_checkout(tmp_path / "loopcheck")
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    (project / "train.py").write_text(BUGGY)
    (project / "pkg").mkdir()
    (project / "pkg" / "__init__.py").write_text("")      # an empty file must not fail the hook
    notebook = new_notebook(cells=[new_code_cell(CLEAN)])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(notebook, str(project / "explore.ipynb"))
    git(project, "add", "-A")

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)

    failed = try_repo(hook_repo, project, env)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "loopcheck" in output and "Failed" in output
    assert "train.py:10:9: LC101 [missing-zero-grad]" in output
    assert "Traceback" not in output

    (project / "train.py").write_text(CLEAN)
    git(project, "add", "-A")
    passed = try_repo(hook_repo, project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout



def test_hook_definition_pulls_no_torch() -> None:
    """try-repo builds its hook environment in a temporary store it deletes, so check the inputs
    of that environment: the hook's definition and the package's own dependencies."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib

    import yaml  # pre-commit depends on PyYAML

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "loopcheck")
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    assert hook["entry"].split()[0] == "loopcheck"
    assert not any("torch" in dep for dep in hook.get("additional_dependencies", []))
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any(dep.lower().startswith("torch") for dep in dependencies), dependencies
