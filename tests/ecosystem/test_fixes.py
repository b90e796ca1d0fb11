"""`--fix`, `--unsafe-fixes`, `--diff`: libcst codemods that are correct, idempotent, re-checked,
formatting-preserving, and written atomically without clobbering concurrent edits."""
from __future__ import annotations

import difflib
import json
import os
import stat
from dataclasses import replace

import pytest

import loopcheck.fixes.runner
import loopcheck.fixes.writer
from loopcheck.checker import check_python
from loopcheck.fixes import apply_one
from tests.ecosystem.helpers import BUGGY, Project

# fixture -> (code, options, a line that must be in the fixed file)
FIXABLE = {
    "buggy/LC104_scheduler_before_optimizer.py": ("LC104", ["--fix"], None),
    "buggy/LC104_scheduler_before_step_per_batch.py": ("LC104", ["--fix"], None),
    "buggy/LC202_validate_without_no_grad.py": ("LC202", ["--fix"], "@torch.no_grad()\ndef evaluate("),
    "buggy/LC203_train_mode_not_restored.py": ("LC203", ["--fix"], "def train(model, loader, optimizer, criterion, device):\n    model.train()\n"),
    "buggy/LC401_loss_kept_with_graph.py": ("LC401", ["--fix"], "running_loss += loss.detach()  # expect: LC401"),
    "buggy/LC101_no_zero_grad.py": ("LC101", ["--unsafe-fixes", "--fix"], "        optimizer.zero_grad()\n        loss.backward()"),
    "buggy/LC101_zero_grad_once.py": ("LC101", ["--fix", "--unsafe-fixes"], "        optimizer.zero_grad()\n        loss.backward()"),
}


def codes_in(project: Project, name: str) -> list[str]:
    return [f["code"] for f in json.loads(project.run("--output-format", "json", name).stdout)]


@pytest.mark.parametrize("fixture", sorted(FIXABLE))
def test_fix_removes_the_finding_keeps_the_rest_and_is_idempotent(project: Project, fixture: str) -> None:
    code, options, expected = FIXABLE[fixture]
    path = project.copy_fixture(fixture, "train.py")
    original = path.read_text()
    assert code in codes_in(project, "train.py")

    result = project.run(*options, "train.py")
    fixed = path.read_text()
    assert result.exit_code == 0, result.output      # re-checked after fixing: nothing left
    assert "Fixed 1 problem" in result.stdout
    assert code not in codes_in(project, "train.py")
    if expected:
        assert expected in fixed
    assert "# expect: " + code in fixed or "expect: " + code in fixed   # comments survive
    # Formatting preserved: the only changed lines are the fix's own.
    changed = [line for line in difflib.ndiff(original.splitlines(), fixed.splitlines()) if line[:2] in ("+ ", "- ")]
    assert 1 <= len(changed) <= 2, changed

    again = project.run(*options, "train.py")        # idempotent
    assert path.read_text() == fixed
    assert "Fixed" not in again.stdout


def test_each_fixer_is_idempotent_by_itself(project: Project) -> None:
    """Applying a fix twice for the same finding (followed to its line's new position) changes
    nothing the second time, whatever the analyser would say."""
    for fixture, (code, _, _) in FIXABLE.items():
        source = project.copy_fixture(fixture, "x.py").read_text()
        finding = next(f for f in check_python(source, "x.py") if f.code == code)
        once = apply_one(source, finding)
        assert once is not None, fixture
        reported_line = source.splitlines()[finding.line - 1]
        reported_line = reported_line.replace("+= loss ", "+= loss.detach() ")   # LC401 edits the line itself
        new_line = once.splitlines().index(reported_line) + 1
        moved = replace(finding, location=replace(finding.location, line=new_line, end_line=new_line))
        assert apply_one(once, moved) is None, fixture


def test_safe_fix_leaves_unsafe_ones_and_reports_the_rest(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    result = project.run("--fix", "train.py")
    assert result.exit_code == 1
    assert "LC101" in result.stdout and "LC104" not in result.stdout and "LC401" not in result.stdout
    assert "Fixed 2 problems." in result.stdout
    text = path.read_text()
    assert "total_loss += loss.item()" in text and "zero_grad" not in text
    assert text.index("optimizer.step()") < text.index("scheduler.step()")

    result = project.run("--fix", "--unsafe-fixes", "train.py")
    assert result.exit_code == 0 and "Fixed 1 problem." in result.stdout
    assert "optimizer.zero_grad()\n        loss.backward()" in path.read_text()


def test_unsafe_fixes_alone_writes_nothing(project: Project) -> None:
    """As in ruff: --unsafe-fixes widens what --fix and --diff do; by itself it only reports."""
    path = project.write("train.py", BUGGY)
    result = project.run("--unsafe-fixes", "train.py")
    assert result.exit_code == 1 and path.read_text() == BUGGY
    assert "3 fixable with --fix --unsafe-fixes (see them first with --diff --unsafe-fixes)." in result.stdout
    assert "more fixable" not in result.stdout


def test_fix_without_unsafe_names_the_hidden_fixes(project: Project) -> None:
    project.write("train.py", BUGGY)
    result = project.run("--fix", "train.py")
    assert "Fixed 2 problems.\n1 more fixable with --fix --unsafe-fixes." in result.stdout


def test_diff_prints_and_writes_nothing(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    result = project.run("--diff", "train.py")
    assert result.exit_code == 1
    assert path.read_text() == BUGGY
    assert result.stdout.startswith("--- a/train.py\n+++ b/train.py\n@@ ")
    assert "\n-        total_loss += loss\n" in result.stdout
    assert "\n+        total_loss += loss.item()\n" in result.stdout
    assert "zero_grad" not in result.stdout                   # unsafe: not without --unsafe-fixes
    assert "Would fix 2 problems; 1 would remain" in result.stderr
    assert "+        optimizer.zero_grad()" in project.run("--diff", "--unsafe-fixes", "train.py").stdout


def test_diff_of_clean_file_exits_zero(project: Project) -> None:
    project.write("train.py", BUGGY.replace("scheduler.step()\n", "pass\n").replace(
        "loss.backward()", "optimizer.zero_grad()\n        loss.backward()").replace("+= loss\n", "+= loss.item()\n"))
    result = project.run("--diff", "train.py")
    assert result.exit_code == 0 and result.stdout == ""


def test_formatting_and_comments_are_preserved(project: Project) -> None:
    odd = BUGGY.replace("def train(model, loader, optimizer, criterion, scheduler):",
                        "def train(model,   loader,optimizer , criterion, scheduler):  # odd spacing") \
        .replace("        loss = criterion(model(x), y)", "        # forward\n        loss = criterion( model(x),y )") \
        .replace("        total_loss += loss", "        total_loss  +=  loss   # keep me")
    path = project.write("train.py", odd)
    project.run("--fix", "train.py")
    fixed = path.read_text()
    assert "def train(model,   loader,optimizer , criterion, scheduler):  # odd spacing" in fixed
    assert "        # forward\n        loss = criterion( model(x),y )" in fixed
    assert "        total_loss  +=  loss.item()   # keep me" in fixed


def test_stdin_prints_the_fixed_code(project: Project) -> None:
    result = project.run("--fix", "-", input=BUGGY)
    assert "total_loss += loss.item()" in result.stdout
    assert result.stdout.startswith("import torch\n")
    assert "LC101" in result.stderr and "LC101" not in result.stdout
    assert result.exit_code == 1


def test_encoding_bom_and_newlines_are_kept(project: Project) -> None:
    path = project.root / "train.py"
    path.write_bytes(b"\xef\xbb\xbf" + BUGGY.replace("\n", "\r\n").encode("utf-8"))
    project.run("--fix", "train.py")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"total_loss += loss.item()\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_written_atomically_via_a_temp_file_in_the_same_folder(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project.write("pkg/train.py", BUGGY)
    os.chmod(path, 0o640)
    calls = []
    real_replace = os.replace

    def spy(src: str, dst: "os.PathLike[str]") -> None:
        calls.append((src, str(dst)))
        assert os.path.dirname(src) == str(path.parent)           # same filesystem: rename is atomic
        assert path.read_text() == BUGGY                          # original untouched until the rename
        real_replace(src, dst)

    monkeypatch.setattr(loopcheck.fixes.writer.os, "replace", spy)
    project.run("--fix", "pkg/train.py")
    assert len(calls) == 1 and os.path.samefile(calls[0][1], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["train.py"]


def test_failed_write_leaves_the_original_and_no_temp_file(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project.write("train.py", BUGGY)

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(loopcheck.fixes.writer.os, "replace", broken)
    result = project.run("--fix", "train.py")
    assert result.exit_code == 2
    assert "train.py: No space left on device" in result.stderr
    assert path.read_text() == BUGGY
    assert sorted(p.name for p in project.root.iterdir()) == ["train.py"]


def test_file_changed_while_fixing_is_not_overwritten(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project.write("train.py", BUGGY)
    edited = BUGGY + "# saved by the editor meanwhile\n"
    real_fix_source = loopcheck.fixes.runner.fix_source

    def fix_while_someone_edits(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        outcome = real_fix_source(*args, **kwargs)
        path.write_text(edited)
        return outcome

    monkeypatch.setattr(loopcheck.fixes.runner, "fix_source", fix_while_someone_edits)
    result = project.run("--fix", "train.py")
    assert result.exit_code == 2
    assert "changed on disk while fixing; not overwritten" in result.stderr
    assert path.read_text() == edited


def test_same_size_same_mtime_edit_is_still_detected(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    snapshot = loopcheck.fixes.writer.read_snapshot(path, "train.py")
    before = path.stat()
    path.write_text(BUGGY.replace("total_loss", "total_lossX", 1).replace("model, loader", "model,loader", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    with pytest.raises(loopcheck.fixes.writer.FileChanged):
        loopcheck.fixes.writer.write_atomic(snapshot, "x = 1\n")


def test_a_fix_the_analyser_does_not_accept_stops_and_is_reported(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixes are re-checked: if the analyser still reports the problem, it is shown, and fixing stops."""
    import loopcheck.static
    from loopcheck.findings import Finding, Location, Severity

    def stubborn(source: str, path: str, notes: object = None, file: object = None) -> list:
        line = next(i for i, text in enumerate(source.splitlines(), 1) if "total_loss +=" in text)
        return [Finding("LC401", "loss-kept-with-graph", Severity.WARNING, "still", Location(path, line, 9))]

    monkeypatch.setattr(loopcheck.static, "analyse", stubborn)
    path = project.write("train.py", BUGGY)
    result = project.run("--fix", "train.py")
    assert result.exit_code == 1
    assert "train.py:11:9: LC401" in result.stdout and "Fixed 1 problem." in result.stdout
    assert path.read_text().count(".item()") == 1                  # not `.item().item()`


def test_notebooks_are_checked_but_not_fixed(project: Project) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    path = project.root / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(BUGGY)]), str(path))
    before = path.read_text()
    result = project.run("--fix", "nb.ipynb")
    assert result.exit_code == 1 and "nb.ipynb:cell 1:11:9: LC401" in result.stdout
    assert path.read_text() == before


INLINE = '''\
import torch
from torch import nn

model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,)))]
val_loader = train_loader

for epoch in range(3):
    # train
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    for x, y in val_loader:
        correct += (model(x).argmax(1) == y).sum().item()
    print(epoch, correct)
'''


def test_inline_epoch_loop_gets_train_mode_and_a_no_grad_block(project: Project) -> None:
    path = project.write("train.py", INLINE)
    assert sorted(codes_in(project, "train.py")) == ["LC202", "LC203"]
    result = project.run("--fix", "train.py")
    assert result.exit_code == 0, result.output
    assert "for epoch in range(3):\n    model.train()\n    # train\n" in path.read_text()
    assert ("    with torch.no_grad():\n        for x, y in val_loader:\n"
            "            correct += (model(x).argmax(1) == y).sum().item()\n    print(epoch, correct)\n") in path.read_text()


def _finding(code: str, line: int, column: int):  # noqa: ANN202
    from loopcheck.catalogue import rule_info
    from loopcheck.findings import Finding, Location

    info = rule_info(code)
    return Finding(code, info.name, info.severity, "m", Location("x.py", line, column))


def test_no_grad_spelled_as_the_file_imports_it() -> None:
    evaluate = "def evaluate(model, loader):\n    model.eval()\n    for x in loader:\n        model(x)\n"
    aliased = apply_one("import torch as T\n\n\n" + evaluate, _finding("LC202", 7, 9))
    assert aliased is not None and "@T.no_grad()\ndef evaluate" in aliased
    direct = apply_one("from torch import no_grad\n\n\n" + evaluate, _finding("LC202", 7, 9))
    assert direct is not None and "@no_grad()\ndef evaluate" in direct
    missing = apply_one('"""Doc."""\nfrom __future__ import annotations\nimport torch.nn as nn\n\n\n' + evaluate,
                        _finding("LC202", 9, 9))
    assert missing is not None
    assert missing.startswith('"""Doc."""\nfrom __future__ import annotations\nimport torch.nn as nn\nimport torch\n')
    assert "@torch.no_grad()\ndef evaluate" in missing


def test_list_accumulation_is_detached_not_itemised() -> None:
    source = "def f(loader, model, losses):\n    for x in loader:\n        loss = model(x)\n        losses.append(loss)\n"
    fixed = apply_one(source, _finding("LC401", 4, 9))
    assert fixed is not None and "losses.append(loss.detach())" in fixed
    expression = "def f(loader, model):\n    total = 0\n    for x in loader:\n        total += model(x) * 2\n"
    fixed = apply_one(expression, _finding("LC401", 4, 9))
    assert fixed is not None and "total += (model(x) * 2).item()" in fixed


def test_scaler_step_gets_zero_grad_for_its_optimizer() -> None:
    source = ("def f(loader, model, opt, scaler):\n    for x in loader:\n"
              "        with autocast():\n            loss = model(x)\n"
              "        scaler.scale(loss).backward()\n        scaler.step(opt)\n        scaler.update()\n")
    fixed = apply_one(source, _finding("LC101", 6, 9))
    assert fixed is not None
    assert "    for x in loader:\n        with autocast():\n            loss = model(x)\n        opt.zero_grad()\n        scaler.scale(loss).backward()\n" in fixed
    assert apply_one(fixed, _finding("LC101", 7, 9)) is None


def test_per_batch_scheduler_moves_after_scaler_update() -> None:
    source = ("def f(loader, opt, sched, scaler):\n    for x in loader:\n        sched.step()\n"
              "        scaler.step(opt)\n        scaler.update()\n        log(x)\n")
    fixed = apply_one(source, _finding("LC104", 3, 9))
    assert fixed is not None
    assert "        scaler.step(opt)\n        scaler.update()\n        sched.step()\n        log(x)\n" in fixed


def test_no_fix_without_a_clear_place() -> None:
    assert apply_one("optimizer.step()\n", _finding("LC101", 1, 1)) is None          # not in a loop
    assert apply_one("scheduler.step()\n", _finding("LC104", 1, 1)) is None          # not in a loop
    assert apply_one("x = 1\n", _finding("LC401", 1, 1)) is None


# ---- file identity (issue 12, fault 7) -----------------------------------------------------
FIXED_LINE = "total_loss += loss.item()"


def test_symlink_is_written_through_to_its_target(project: Project) -> None:
    target = project.write("real/train.py", BUGGY)
    link = project.root / "train.py"
    link.symlink_to(target)
    result = project.run("--fix", "train.py")
    assert "Fixed 2 problems." in result.stdout
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert FIXED_LINE in target.read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["train.py"]


def test_hard_links_stay_one_file(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    other = project.root / "same.py"
    os.link(path, other)
    inode = path.stat().st_ino
    project.run("--fix", "train.py")
    assert path.stat().st_ino == inode and os.path.samefile(path, other)
    assert FIXED_LINE in other.read_text() and path.stat().st_nlink == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_and_mode_are_kept(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    os.chown(path, 4321, 4322)
    os.chmod(path, 0o664)
    project.run("--fix", "train.py")
    info = path.stat()
    assert FIXED_LINE in path.read_text()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o664)


def test_read_only_file_is_refused_with_a_message(project: Project) -> None:
    path = project.write("train.py", BUGGY)
    os.chmod(path, 0o444)
    result = project.run("--fix", "train.py")
    assert result.exit_code == 2
    assert result.stderr.strip() == "loopcheck: error: train.py: file is read-only; not fixed"
    assert path.read_text() == BUGGY


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(project: Project) -> None:
    """SIGKILL inside the write window leaves `.train.py.loopcheck-<pid>-<token>.tmp`; the pid
    in its name tells the next run that nobody is writing it any more."""
    path = project.write("train.py", BUGGY)
    stale = project.write(f".train.py.loopcheck-{_dead_pid()}-abc123.tmp", BUGGY[:40])
    other = project.write(f".other.py.loopcheck-{_dead_pid()}-def456.tmp", "x")
    mine = project.write(f".train.py.loopcheck-{os.getppid()}-abc123.tmp", "a live writer's file")
    project.run("--fix", "train.py")
    assert FIXED_LINE in path.read_text()
    assert not stale.exists() and not other.exists() and mine.exists()


def test_stdin_with_a_syntax_error_is_echoed_unchanged(project: Project) -> None:
    broken = b"import torch\ndef f(:\n    pass\n"
    result = project.run("--fix", "-", input=broken)
    assert result.exit_code == 2
    assert result.stdout_bytes == broken
    assert "loopcheck: error: -:" in result.stderr and "syntax" in result.stderr


def test_stdin_in_latin_1_comes_back_in_latin_1(project: Project) -> None:
    source = "# -*- coding: latin-1 -*-\n# café\n" + BUGGY
    result = project.run("--fix", "-", input=source.encode("latin-1"))
    assert result.stdout_bytes.startswith("# -*- coding: latin-1 -*-\n# café\n".encode("latin-1"))
    assert FIXED_LINE.encode() in result.stdout_bytes
    assert "é".encode("utf-8") not in result.stdout_bytes      # not re-encoded as UTF-8


def test_stdin_that_is_not_utf8_without_a_cookie_is_echoed_unchanged(project: Project) -> None:
    data = ("# café\n" + BUGGY).encode("latin-1")
    result = project.run("--fix", "-", input=data)
    assert result.exit_code == 2 and result.stdout_bytes == data
    assert "cannot decode" in result.stderr
