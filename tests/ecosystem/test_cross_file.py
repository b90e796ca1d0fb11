"""Cross-file analysis from the command line: a finding in an imported file obeys that file's own
configuration and comments, as if it were checked itself, and --fix never edits it."""
from __future__ import annotations

import json
import textwrap

from click.testing import Result

from tests.ecosystem.helpers import Project

ENGINE = textwrap.dedent('''\
    import torch.nn.functional as F


    def train_step(model, batch, optimizer):
        inputs, labels = batch
        loss = F.cross_entropy(model(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss
''')

# LC401 of its own at line 10 (safe fix); LC101 at engine.py:8, reached through line 10.
TRAIN = textwrap.dedent('''\
    import torch
    from {module} import train_step

    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = torch.utils.data.DataLoader([(torch.randn(4), 0)] * 8, batch_size=4)
    total = 0.0
    for epoch in range(2):
        for batch in loader:
            total += train_step(model, batch, optimizer)
''')

BOTH = [("engine.py", "LC101", 8), ("train.py", "LC401", 10)]


def split_project(project: Project, folder: str = "") -> None:
    project.write(f"{folder}engine.py", ENGINE)
    project.write("train.py", TRAIN.format(module=f"{folder.replace('/', '.')}engine"))


def found(result: Result) -> list[tuple[str, str, int]]:
    assert result.exit_code in (0, 1), result.output
    return sorted((f["path"].replace("\\", "/"), f["code"], f["line"]) for f in json.loads(result.stdout))


def check(project: Project, *args: str) -> list[tuple[str, str, int]]:
    return found(project.run("--output-format", "json", *args))


def test_the_imported_file_is_read_when_only_the_script_is_named(project: Project) -> None:
    split_project(project)
    assert check(project, "--no-cache", "train.py") == BOTH
    [via] = [f for f in json.loads(project.run("--output-format", "json", "train.py").stdout) if f["code"] == "LC101"]
    assert via["message"].endswith("(via train.py:10)")


def test_per_file_ignores_of_the_imported_file_apply_to_what_is_found_through_it(project: Project) -> None:
    split_project(project)
    project.write("pyproject.toml", '[tool.loopcheck]\nper-file-ignores = {"engine.py" = ["LC101"]}\n')
    assert check(project, "train.py") == [("train.py", "LC401", 10)]
    assert check(project, ".") == [("train.py", "LC401", 10)]


def test_per_file_ignores_of_the_script_leave_the_imported_file_alone(project: Project) -> None:
    split_project(project)
    project.write("pyproject.toml", '[tool.loopcheck]\nper-file-ignores = {"train.py" = ["LC101", "LC401"]}\n')
    assert check(project, "train.py") == [("engine.py", "LC101", 8)]


def test_the_configuration_nearest_to_the_imported_file_applies_to_it(project: Project) -> None:
    split_project(project, "lib/")
    project.write("lib/loopcheck.toml", 'select = ["LC2"]\n')
    assert check(project, "train.py") == [("train.py", "LC401", 10)]
    project.write("lib/loopcheck.toml", 'ignore = ["LC401"]\n')
    assert check(project, "train.py") == [("lib/engine.py", "LC101", 8), ("train.py", "LC401", 10)]


def test_select_and_ignore_on_the_command_line_apply_to_imported_files(project: Project) -> None:
    split_project(project)
    project.write("engine.py", ENGINE)
    assert check(project, "--select", "LC4", "train.py") == [("train.py", "LC401", 10)]
    assert check(project, "--ignore", "LC401", "train.py") == [("engine.py", "LC101", 8)]
    project.write("pyproject.toml", '[tool.loopcheck]\nselect = ["LC4"]\n')
    assert check(project, "--select", "LC1", "train.py") == [("engine.py", "LC101", 8)]


def test_comments_of_the_imported_file_apply_to_it(project: Project) -> None:
    split_project(project)
    project.write("engine.py", ENGINE + "# loopcheck: ignore-file\n")
    assert check(project, "train.py") == [("train.py", "LC401", 10)]
    project.write("engine.py", ENGINE.replace("optimizer.step()", "optimizer.step()  # noqa: LC101"))
    assert check(project, "train.py") == [("train.py", "LC401", 10)]
    project.write("engine.py", ENGINE.replace("optimizer.step()", "optimizer.step()  # noqa: LC102"))
    assert check(project, "train.py") == BOTH


def test_a_configuration_change_of_the_imported_file_is_seen_through_a_cached_result(project: Project) -> None:
    split_project(project)
    assert check(project, "train.py") == BOTH
    assert check(project, "train.py") == BOTH      # from the cache
    project.write("loopcheck.toml", 'per-file-ignores = {"engine.py" = ["LC101"]}\n')
    assert check(project, "train.py") == [("train.py", "LC401", 10)]


def test_fix_edits_only_the_checked_file_and_says_why_the_imported_one_is_left(project: Project) -> None:
    split_project(project)
    result = project.run("--fix", "--unsafe-fixes", "train.py")
    assert result.exit_code == 1
    assert "total += train_step(model, batch, optimizer).item()" in (project.root / "train.py").read_text()
    assert (project.root / "engine.py").read_text() == ENGINE
    assert ("loopcheck: note: engine.py:8:5: LC101 was found through train.py and is not fixed: "
            "fixes edit only the checked file, never the files it imports") in result.stderr
    assert "Found 1 problem" in result.stdout and "Fixed 1 problem." in result.stdout


def test_fix_reports_what_check_reports(project: Project) -> None:
    split_project(project)
    assert found(project.run("--fix", "--output-format", "json", ".")) == [("engine.py", "LC101", 8)]
    assert (project.root / "engine.py").read_text() == ENGINE


def test_diff_shows_only_the_checked_file(project: Project) -> None:
    split_project(project)
    result = project.run("--diff", "--unsafe-fixes", ".")
    assert result.exit_code == 1
    assert "+++ b/train.py" in result.stdout and "engine.py" not in result.stdout
    assert "Would fix 1 problem; 1 would remain" in result.stderr
    assert "engine.py:8:5: LC101 was found through train.py and is not fixed" in result.stderr
    assert (project.root / "engine.py").read_text() == ENGINE


def test_fixes_are_offered_only_for_findings_in_the_checked_files(project: Project) -> None:
    split_project(project)
    result = project.run("train.py")
    assert "1 fixable with --fix" in result.stdout
    assert "--unsafe-fixes" not in result.stdout     # LC101 is in engine.py, which --fix leaves alone
