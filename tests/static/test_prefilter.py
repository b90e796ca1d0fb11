"""The pre-filter on Python's syntax tree (loopcheck.prefilter.worth_analysing): files it skips,
and the look-alikes it must keep because some rule can fire there. Cheap: no libcst, no subprocess."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from loopcheck import notebooks
from loopcheck.checker import check_file
from loopcheck.limits import check_parseable
from loopcheck.prefilter import worth_analysing


def kept(source: str, file: "str | None" = None, display: str = "x.py") -> bool:
    source = textwrap.dedent(source)
    return worth_analysing(check_parseable(source, display), source, file)


# ---- skipped: library code with the broad words of the raw-text test ----------------------------
def test_skips_library_code_whose_training_words_are_in_comments_strings_and_names() -> None:
    assert not kept('''
        """Utilities to train faster: step through the gradient of the loss on the device."""
        import torch

        def pad(x, steps, device):   # train, eval, backward, step: only in comments
            message = "call optimizer.step() after loss.backward()"
            return torch.nn.functional.pad(x, (0, steps)).to(device=device)
    ''')


def test_skips_a_module_definition_without_any_training() -> None:
    assert not kept('''
        import torch
        from torch import nn

        class Block(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.proj = nn.Linear(dim, dim)

            def forward(self, x):
                for _ in range(2):
                    x = self.proj(x).relu()
                return x
    ''')


def test_skips_calls_handed_self_when_nothing_is_imported_from_the_project(tmp_path: Path) -> None:
    file = tmp_path / "ops.py"
    file.write_text("")
    assert not kept('''
        from torch.utils import hooks

        class Op:
            def run(self, model):
                hooks.register(self, model)
    ''', str(file))


def test_skips_a_model_called_once_outside_any_loop_or_evaluation() -> None:
    assert not kept('''
        import torch

        def shapes(model, x):
            return model(x).shape
    ''')


# ---- kept: look-alikes ---------------------------------------------------------------------------
def test_keeps_each_training_call() -> None:
    for call in ("loss.backward()", "optimizer.step()", "opt.zero_grad()", "model.train()", "model.eval()",
                 "accelerator.backward(loss)"):
        assert kept(f"def f(model, loss, optimizer, opt, accelerator):\n    {call}\n"), call


def test_keeps_a_file_whose_only_finding_is_a_pattern_rule() -> None:
    # LC303: torch.load without map_location, no loop at all
    assert kept('''
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
        state = torch.load("checkpoint.pt")
    ''')
    assert kept("import torch.nn.functional as F\n\ndef f(x):\n    return F.dropout(x, 0.5)\n")   # LC113
    assert kept("from torch.nn.functional import softmax as sm\n")                            # LC109, aliased


def test_keeps_a_bare_tensor_move_and_an_accumulated_loss() -> None:
    assert kept("def f(x, device):\n    x.to(device)\n")                                         # LC304
    assert kept('''
        def run(batches, net, criterion):
            total = 0
            for x, y in batches:
                total += criterion(net(x), y)
    ''')                                                                                       # LC401


def test_keeps_an_off_device_factory_only_where_an_accelerator_is_used() -> None:
    snippet = '''
        import torch

        class Net(torch.nn.Module):
            def forward(self, x):
                return x + torch.zeros(4)
        {tail}
    '''
    assert kept(snippet.format(tail="net = Net().cuda()"))                                    # LC302
    assert not kept(snippet.format(tail="net = Net()"))


def test_keeps_an_evaluation_over_held_out_data_without_any_training_call() -> None:
    # LC202: a validation loop with grad enabled, and no eval(), no step, no backward in the file
    assert kept('''
        def score(model, val_loader):
            correct = 0
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum()
            return correct
    ''')
    assert kept('''
        def score(net, test_x):
            return [net(test_x) for _ in range(3)]
    ''')


def test_keeps_a_loader_loop_where_a_model_is_moved() -> None:
    # LC301: batches reach a model on the GPU
    assert kept('''
        model = build().cuda()
        for x, y in train_loader:
            out = model(x)
    ''')


def test_keeps_a_file_that_only_hands_a_model_to_a_helper_of_another_project_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "engine.py").write_text("def fit_epoch(model, batches):\n    pass\n")
    script = tmp_path / "run.py"
    source = '''
        from engine import fit_epoch
        from nets import Net

        model = Net()
        fit_epoch(model, batches)
    '''
    script.write_text(textwrap.dedent(source))
    assert kept(source, str(script))
    # the same calls, but `engine` is not a file of the project (an installed package): skipped
    (tmp_path / "engine.py").unlink()
    assert not kept(source, str(script))


def test_keeps_a_subclass_and_an_object_of_a_project_class(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("")
    (tmp_path / "base.py").write_text("class Trainer:\n    pass\n")
    subclass = tmp_path / "mine.py"
    assert kept("from base import Trainer\n\nclass Mine(Trainer):\n    def hook(self):\n        pass\n", str(subclass))
    assert kept("from base import Trainer\n\nt = Trainer()\nt.go()\n", str(subclass))
    assert kept("from base import Trainer\n\nTrainer().go()\n", str(subclass))


def test_keeps_a_notebook_by_the_code_of_its_cells(tmp_path: Path) -> None:
    def notebook(*cells: str) -> str:
        return json.dumps({"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": [],
                                      "execution_count": None} for cell in cells],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    training = notebook("import torch\nmodel = torch.nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), 0.1)",
                        "for x, y in data:\n    loss = ((model(x) - y) ** 2).mean()\n    loss.backward()\n    opt.step()")
    program = notebooks.load(training, "nb.ipynb").source
    assert kept(program, display="nb.ipynb")
    findings, _ = check_file(training, "nb.ipynb")
    assert [f.code for f in findings] == ["LC101"]
    # the words only in markdown and a string: skipped before libcst
    prose = json.dumps({"cells": [{"cell_type": "markdown", "source": "call loss.backward() then step()", "metadata": {}},
                                  {"cell_type": "code", "source": "print('optimizer.step()')", "metadata": {},
                                   "outputs": [], "execution_count": None}],
                        "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    assert not kept(notebooks.load(prose, "nb.ipynb").source, display="nb.ipynb")


def test_a_skipped_file_never_reaches_the_libcst_analysis(monkeypatch) -> None:  # noqa: ANN001
    import loopcheck.static

    def analyse(*args: object, **kwargs: object) -> None:
        raise AssertionError("analysed")

    monkeypatch.setattr(loopcheck.static, "analyse", analyse)
    assert check_file("import os\n\nfor name in os.listdir('.'):\n    print(name)  # loss.backward()\n", "x.py") == ([], [])
