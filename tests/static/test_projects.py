"""Cross-file analysis: the fixture projects of fixtures/projects/ (a bug in one file, found
through the file that calls it) and the ways imports name project files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from loopcheck.cache import Cache
from loopcheck.checker import Settings, check_paths, check_source
from loopcheck.findings import Finding
from tests.markers import FIXTURES, expected

PROJECTS = sorted(p for p in (FIXTURES / "projects").glob("*/*") if p.is_dir())


def findings_of(path: Path) -> list[Finding]:
    return check_source(path.read_text(encoding="utf-8"), str(path), file=str(path))


def planted(project: Path) -> set[tuple[str, str, int]]:
    return {(str(path), code, line) for path in sorted(project.glob("*.py")) for code, line in expected(path)}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_project_reports_exactly_the_planted_bugs(project: Path) -> None:
    found = {(f.path, f.code, f.line) for path in sorted(project.glob("*.py")) for f in findings_of(path)}
    assert found == planted(project)


@pytest.mark.parametrize("project", [p for p in PROJECTS if p.parent.name == "buggy"], ids=lambda p: p.name)
def test_the_script_alone_reports_the_bug_in_the_imported_file_via_its_call(project: Path) -> None:
    script = project / "train.py"
    [finding] = findings_of(script)
    assert finding.path != str(script)
    assert f"(via {script}:" in finding.message


def test_without_a_file_on_disk_imports_stay_unknown() -> None:
    script = FIXTURES / "projects" / "buggy" / "engine_split" / "train.py"
    assert check_source(script.read_text(encoding="utf-8"), str(script)) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


STEP = """\
import torch.nn.functional as F


def train_step(model, batch, optimizer):
    inputs, labels = batch
    loss = F.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
"""

LOOP = """\
import torch
{imports}

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader([(torch.randn(4), 0)] * 8, batch_size=4)
for epoch in range(2):
    for batch in loader:
        {call}(model, batch, optimizer)
"""


def script_findings(root: Path, script: str = "train.py") -> list[tuple[str, str, int]]:
    path = root / script
    return [(os.path.relpath(f.path, root), f.code, f.line) for f in findings_of(path)]


@pytest.mark.parametrize("imports, call", [
    ("from engine import train_step", "train_step"),
    ("from engine import train_step as step", "step"),
    ("import engine", "engine.train_step"),
    ("import engine as E", "E.train_step"),
])
def test_import_forms_of_a_module_next_to_the_script(tmp_path: Path, imports: str, call: str) -> None:
    write(tmp_path, {"engine.py": STEP, "train.py": LOOP.format(imports=imports, call=call)})
    assert script_findings(tmp_path) == [("engine.py", "LC101", 8)]


@pytest.mark.parametrize("imports, call", [
    ("from pkg import train_step", "train_step"),                  # re-exported by pkg/__init__.py
    ("from pkg.engine import train_step", "train_step"),
    ("import pkg.engine", "pkg.engine.train_step"),
    ("from pkg import engine", "engine.train_step"),
])
def test_packages_in_a_src_layout(tmp_path: Path, imports: str, call: str) -> None:
    write(tmp_path, {"pyproject.toml": "", "src/pkg/__init__.py": "from .engine import *\n",
                     "src/pkg/engine.py": STEP, "scripts/train.py": LOOP.format(imports=imports, call=call)})
    assert script_findings(tmp_path, "scripts/train.py") == [("src/pkg/engine.py", "LC101", 8)]


def test_relative_imports_between_modules_of_a_package(tmp_path: Path) -> None:
    runner = LOOP.format(imports="from .steps.engine import train_step", call="train_step")
    write(tmp_path, {"setup.py": "", "pkg/__init__.py": "", "pkg/steps/__init__.py": "",
                     "pkg/steps/engine.py": STEP, "pkg/run.py": runner})
    assert script_findings(tmp_path, "pkg/run.py") == [("pkg/steps/engine.py", "LC101", 8)]


def test_third_party_imports_and_files_outside_the_project_stay_unknown(tmp_path: Path) -> None:
    write(tmp_path, {"engine.py": STEP, "project/.git/HEAD": "",
                     "project/train.py": LOOP.format(imports="from engine import train_step\n"
                                                     "from transformers import Trainer", call="train_step")})
    assert script_findings(tmp_path, "project/train.py") == []


def test_imported_files_are_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "was_run"
    write(tmp_path, {"engine.py": f"open({str(marker)!r}, 'w').close()\n" + STEP,
                     "train.py": LOOP.format(imports="from engine import train_step", call="train_step")})
    assert script_findings(tmp_path) == [("engine.py", "LC101", 9)]
    assert not marker.exists()


def test_a_noqa_in_the_imported_file_suppresses_the_finding_there(tmp_path: Path) -> None:
    write(tmp_path, {"engine.py": STEP.replace("optimizer.step()", "optimizer.step()  # noqa: LC101"),
                     "train.py": LOOP.format(imports="from engine import train_step", call="train_step")})
    assert script_findings(tmp_path) == []


OWN_LOOP = """\
def train_one_epoch(model, loader, optimizer, criterion):
    for inputs, labels in loader:
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
"""


def test_a_bug_both_checked_files_reach_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path, {"engine.py": OWN_LOOP, "train.py": LOOP.format(
        imports="from engine import train_one_epoch", call="train_one_epoch").replace(
        "(model, batch, optimizer)", "(model, loader, optimizer, torch.nn.CrossEntropyLoss())")})
    assert script_findings(tmp_path, "engine.py") == [("engine.py", "LC101", 5)]
    assert script_findings(tmp_path, "train.py") == [("engine.py", "LC101", 5)]
    results = list(check_paths([str(tmp_path)], Settings()))
    reported = [(os.path.relpath(f.path, tmp_path), f.code) for r in results for f in r.findings]
    assert reported == [("engine.py", "LC101")]


def test_the_result_cache_of_a_script_is_stale_once_a_file_it_imports_changes(tmp_path: Path) -> None:
    write(tmp_path, {"engine.py": STEP,
                     "train.py": LOOP.format(imports="from engine import train_step", call="train_step")})
    cache = Cache(tmp_path / "cache")
    script = str(tmp_path / "train.py")

    def codes() -> list[str]:
        return [f.code for r in check_paths([script], Settings(), cache=cache) for f in r.findings]

    assert codes() == ["LC101"]
    assert codes() == ["LC101"]   # from the cache
    (tmp_path / "engine.py").write_text(STEP.replace("    loss.backward()", "    optimizer.zero_grad()\n"
                                                                               "    loss.backward()"))
    assert codes() == []


class CountingCache(Cache):
    """A result cache that counts the keys it hashes and the results it is asked to keep."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        object.__setattr__(self, "counts", {"key": 0, "put": 0})

    def key(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.counts["key"] += 1
        return super().key(*args, **kwargs)

    def put(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.counts["put"] += 1
        return super().put(*args, **kwargs)


def cached_run(cache: CountingCache, script: Path) -> tuple[list[str], bool]:
    """The codes found, and whether the script was analysed (not answered from the cache)."""
    puts = cache.counts["put"]
    codes = [f.code for r in check_paths([str(script)], Settings(), cache=cache) for f in r.findings]
    return codes, cache.counts["put"] > puts


@pytest.mark.parametrize("before, created, script", [
    # train.py imports engine, which does not exist yet
    ({}, {"engine.py": STEP}, "train.py"),
    # a module next to the script shadows the one at the project root
    ({"pyproject.toml": "", "engine.py": STEP.replace("    loss.backward()", "    optimizer.zero_grad()\n    loss.backward()")},
     {"scripts/engine.py": STEP}, "scripts/train.py"),
    # pkg/ becomes a package whose __init__ re-exports the step
    ({"pkg/engine.py": STEP}, {"pkg/__init__.py": "from .engine import *\n"}, "train.py"),
    # a root marker above the script makes src/ a place that imports are found
    ({"proj/src/engine.py": STEP}, {"proj/setup.py": ""}, "proj/scripts/train.py"),
])
def test_a_cached_result_is_stale_once_a_file_its_imports_looked_for_appears(
        tmp_path: Path, before: dict[str, str], created: dict[str, str], script: str) -> None:
    imports = "from pkg import train_step" if "pkg/engine.py" in before else "from engine import train_step"
    write(tmp_path, {**before, script: LOOP.format(imports=imports, call="train_step")})
    cache = CountingCache(tmp_path / "cache")
    assert cached_run(cache, tmp_path / script) == ([], True)
    assert cached_run(cache, tmp_path / script) == ([], False)
    write(tmp_path, created)
    assert cached_run(cache, tmp_path / script) == (["LC101"], True)
    assert cached_run(cache, tmp_path / script) == (["LC101"], False)


def test_the_cache_key_of_a_file_is_hashed_once_per_check(tmp_path: Path) -> None:
    write(tmp_path, {"engine.py": STEP, "train.py": LOOP.format(imports="from engine import train_step",
                                                                  call="train_step")})
    cache = CountingCache(tmp_path / "cache")
    assert cached_run(cache, tmp_path / "train.py") == (["LC101"], True)
    assert cache.counts["key"] == 1
    assert cached_run(cache, tmp_path / "train.py") == (["LC101"], False)
    assert cache.counts["key"] == 2


BASE = """\
class BaseTrainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def fit(self, loader):
        for epoch in range(3):
            for batch in loader:
                self.train_step(batch)
"""

SUBCLASS = """\
from base import BaseTrainer


class Trainer(BaseTrainer):
    def train_step(self, batch):
        loss = self.model(batch).sum()
        loss.backward()
        self.optimizer.step()


if __name__ == "__main__":
    import torch
    model = torch.nn.Linear(4, 2)
    Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1)).fit([torch.randn(4)] * 4)
"""


def test_a_subclass_step_runs_in_the_loop_of_a_base_class_of_another_file(tmp_path: Path) -> None:
    write(tmp_path, {"base.py": BASE, "trainer.py": SUBCLASS})
    assert script_findings(tmp_path, "trainer.py") == [("trainer.py", "LC101", 8)]
    assert script_findings(tmp_path, "base.py") == []


def test_the_subclass_file_alone_reports_the_bug_in_the_loop_it_inherits() -> None:
    project = FIXTURES / "projects" / "buggy" / "trainer_hierarchy"
    [finding] = findings_of(project / "my_trainer.py")
    assert (finding.path, finding.code, finding.line) == (str(project / "my_trainer.py"), "LC101", 17)
    assert "(via" not in finding.message
    assert findings_of(FIXTURES / "projects" / "correct" / "trainer_hierarchy" / "my_trainer.py") == []


RUNNER = """\
class Runner:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def run_epoch(self, loader):
        for batch in loader:
            self.train_step(batch)

    def fit(self, loader, epochs):
        for epoch in range(epochs):
            self.model.train()
            self.run_epoch(loader)
"""


@pytest.mark.parametrize("imports, base", [
    ("from .runner import Runner", "Runner"),
    ("from . import runner", "runner.Runner"),
    ("from pkg.runner import Runner as Base", "Base"),
])
def test_a_loop_inherited_from_a_package_module_runs_the_override(tmp_path: Path, imports: str, base: str) -> None:
    trainer = SUBCLASS.replace("from base import BaseTrainer", imports).replace("(BaseTrainer)", f"({base})")
    trainer = trainer[:trainer.index("\n\nif __name__")] + "\n"
    write(tmp_path, {"setup.py": "", "pkg/__init__.py": "", "pkg/runner.py": RUNNER, "pkg/trainer.py": trainer})
    assert script_findings(tmp_path, "pkg/trainer.py") == [("pkg/trainer.py", "LC101", 8)]
    assert script_findings(tmp_path, "pkg/runner.py") == []


def test_a_finding_in_the_inherited_loop_names_the_subclass(tmp_path: Path) -> None:
    base = BASE.replace("                self.train_step(batch)", "                loss = self.compute_loss(batch)\n"
                                                                   "                loss.backward()\n"
                                                                   "                self.optimizer.step()")
    subclass = "from base import BaseTrainer\n\n\nclass Trainer(BaseTrainer):\n" \
               "    def compute_loss(self, batch):\n        return self.model(batch).sum()\n"
    write(tmp_path, {"base.py": base, "trainer.py": subclass})
    [finding] = findings_of(tmp_path / "trainer.py")
    assert (os.path.relpath(finding.path, tmp_path), finding.code, finding.line) == ("base.py", "LC101", 11)
    assert finding.message.endswith(f"(via {tmp_path / 'trainer.py'}:4)")


def test_run_in_the_project_folder_on_the_script_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"engine.py": STEP,
                     "train.py": LOOP.format(imports="from engine import train_step", call="train_step")})
    monkeypatch.chdir(tmp_path)
    [result] = check_paths(["train.py"], Settings())
    [finding] = result.findings
    assert (finding.path, finding.line) == ("engine.py", 8)
    assert finding.message.endswith("(via train.py:9)")


def test_findings_at_the_same_line_of_two_notebook_cells_are_two_findings(tmp_path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    loop = LOOP.format(imports="", call="step").replace("        step(model, batch, optimizer)",
                                                          "        model(batch[0]).sum().backward()\n"
                                                          "        optimizer.step()")
    nbformat.write(new_notebook(cells=[new_code_cell(loop), new_code_cell(loop)]), str(tmp_path / "two.ipynb"))
    [result] = check_paths([str(tmp_path / "two.ipynb")], Settings())
    assert [(f.code, f.location.cell, f.line) for f in result.findings] == [("LC101", 1, 10), ("LC101", 2, 10)]


FP16 = """\
class MixedPrecisionTrainer:
    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def optimize(self, opt):
        if check_overflow(self.grad_norm()):
            self.lg_loss_scale -= 1
            return False
        opt.step()
        return True
"""

RUN_STEP = """\
from fp16_util import MixedPrecisionTrainer


class TrainLoop:
    def __init__(self, model, opt):
        self.model, self.opt = model, opt
        self.mp_trainer = MixedPrecisionTrainer()

    def run_loop(self, data):
        for batch in data:
            self.mp_trainer.zero_grad()
            self.model(batch).mean().backward()
            self.mp_trainer.optimize(self.opt)
"""


def test_a_step_skipped_on_overflow_in_another_file_is_no_accumulation(tmp_path: Path) -> None:
    write(tmp_path, {"fp16_util.py": FP16, "train_util.py": RUN_STEP})
    assert script_findings(tmp_path, "train_util.py") == []
