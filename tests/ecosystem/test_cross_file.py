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


def test_fix_never_edits_a_file_the_run_does_not_check_and_says_so(project: Project) -> None:
    split_project(project)
    result = project.run("--fix", "--unsafe-fixes", "train.py")
    assert result.exit_code == 1
    assert "total += train_step(model, batch, optimizer).item()" in (project.root / "train.py").read_text()
    assert (project.root / "engine.py").read_text() == ENGINE
    assert ("loopcheck: note: engine.py:8:5: LC101 was found through train.py and is not fixed: "
            "fixes edit only the checked files, never the other files they import") in result.stderr
    assert "Found 1 problem" in result.stdout and "Fixed 1 problem." in result.stdout


def test_fix_reports_what_check_reports(project: Project) -> None:
    split_project(project)
    assert found(project.run("--fix", "--output-format", "json", ".")) == [("engine.py", "LC101", 8)]
    assert (project.root / "engine.py").read_text() == ENGINE   # LC101's fix is unsafe


def test_diff_shows_only_the_checked_file(project: Project) -> None:
    split_project(project)
    result = project.run("--diff", "--unsafe-fixes", "train.py")
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


# train_one_epoch never switches the model back to train mode after evaluate() switched it to
# eval: only train.py's loop shows it (LC203 at engine.py:8), and its safe fix goes into engine.py.
EPOCHS = textwrap.dedent('''\
    import torch
    import torch.nn.functional as F


    def train_one_epoch(model, loader, optimizer):
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(inputs), labels)
            loss.backward()
            optimizer.step()


    @torch.no_grad()
    def evaluate(model, loader):
        model.eval()
        return sum((model(inputs).argmax(1) == labels).sum().item() for inputs, labels in loader)
''')

FIT = textwrap.dedent('''\
    import torch
    import torch.nn as nn
    from engine import evaluate, train_one_epoch

    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = torch.utils.data.DataLoader([(torch.randn(4), 0)] * 8, batch_size=4)
    for epoch in range(2):
        train_one_epoch(model, loader, optimizer)
        print(evaluate(model, loader))
''')

FIXED_EPOCHS = EPOCHS.replace("    for inputs, labels in loader:\n        optimizer", "    model.train()\n"
                              "    for inputs, labels in loader:\n        optimizer")


def test_a_fix_is_made_in_an_imported_file_that_the_run_checks_too(project: Project) -> None:
    project.write("engine.py", EPOCHS)
    project.write("train.py", FIT)
    assert check(project, "--no-cache", ".") == [("engine.py", "LC203", 8)]
    assert "1 fixable with --fix" in project.run("--no-cache", ".").stdout
    diff = project.run("--diff", ".")
    assert diff.exit_code == 1
    assert "+++ b/engine.py" in diff.stdout and "+    model.train()" in diff.stdout and "train.py" not in diff.stdout
    assert "Would fix 1 problem; 0 would remain" in diff.stderr
    assert (project.root / "engine.py").read_text() == EPOCHS
    fixed = project.run("--fix", ".")
    assert fixed.exit_code == 0, fixed.output
    assert (project.root / "engine.py").read_text() == FIXED_EPOCHS
    assert (project.root / "train.py").read_text() == FIT


def test_the_order_of_the_files_does_not_change_the_fix(project: Project) -> None:
    project.write("engine.py", EPOCHS)
    project.write("train.py", FIT)
    assert project.run("--fix", "engine.py", "train.py").exit_code == 0
    assert (project.root / "engine.py").read_text() == FIXED_EPOCHS
    project.write("engine.py", EPOCHS)
    assert project.run("--fix", "train.py", "engine.py", "train.py").exit_code == 0
    assert (project.root / "engine.py").read_text() == FIXED_EPOCHS


def test_a_fix_in_an_imported_file_obeys_its_settings(project: Project) -> None:
    project.write("engine.py", EPOCHS)
    project.write("train.py", FIT)
    project.write("loopcheck.toml", 'per-file-ignores = {"engine.py" = ["LC203"]}\n')
    assert project.run("--fix", ".").exit_code == 0
    assert (project.root / "engine.py").read_text() == EPOCHS


def test_a_script_alone_leaves_the_imported_file_and_says_so(project: Project) -> None:
    project.write("engine.py", EPOCHS)
    project.write("train.py", FIT)
    assert "fixable" not in project.run("--no-cache", "train.py").stdout
    result = project.run("--fix", "train.py")
    assert result.exit_code == 1
    assert "engine.py:8:32: LC203 was found through train.py and is not fixed" in result.stderr
    assert (project.root / "engine.py").read_text() == EPOCHS


def test_findings_left_in_a_file_another_fix_changed_are_where_the_fixed_file_has_them(project: Project) -> None:
    tuning = textwrap.dedent('''\


        def fine_tune(model, loader, optimizer):
            for inputs, labels in loader:
                F.cross_entropy(model(inputs), labels).backward()
                optimizer.step()
    ''')
    project.write("engine.py", EPOCHS + tuning)
    project.write("train.py", FIT)
    step = len(EPOCHS.splitlines()) + 6
    assert check(project, "--no-cache", "engine.py") == [("engine.py", "LC101", step)]
    assert found(project.run("--fix", "--output-format", "json", "engine.py", "train.py")) == [
        ("engine.py", "LC101", step + 1)]
    assert (project.root / "engine.py").read_text() == FIXED_EPOCHS + tuning
