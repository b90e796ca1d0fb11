"""The same correct loop in every layout a script may have: where the model and optimizer live
(module globals, the __main__ block, main(), class attributes, closures) and which of them
outlives the other must not change the report (in-process, as `loopcheck run` runs it)."""
import pytest

pytest.importorskip("torch")

import textwrap  # noqa: E402

from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

HEAD = textwrap.dedent('''
    import torch
    from torch import nn

    def batch():
        return torch.randn(8, 4), torch.randn(8, 1)

    def make_model():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
''')

TRAINER = textwrap.dedent('''
    class Trainer:
        def __init__(self, model):
            self.model = model
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)

        def fit(self, steps=4):
            for _ in range(steps):
                x, y = batch()
                self.optimizer.zero_grad()
                loss = nn.functional.mse_loss(self.model(x), y)
                loss.backward()
                self.optimizer.step()
''')

LAYOUTS = {
    # The Trainer (and its optimizer) is freed after fit(); the model lives on in a module global.
    "main_block_trainer_freed": TRAINER + textwrap.dedent('''
        if __name__ == "__main__":
            model = make_model()
            Trainer(model).fit()
    '''),
    "main_block_trainer_kept": TRAINER + textwrap.dedent('''
        if __name__ == "__main__":
            trainer = Trainer(make_model())
            trainer.fit()
    '''),
    "main_function": TRAINER + textwrap.dedent('''
        def main():
            model = make_model()
            Trainer(model).fit()

        if __name__ == "__main__":
            main()
    '''),
    "module_globals": textwrap.dedent('''
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(4):
            x, y = batch()
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        del optimizer          # freed before the model
    '''),
    "class_attributes": textwrap.dedent('''
        class Setup:
            model = make_model()
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

        for _ in range(4):
            x, y = batch()
            Setup.optimizer.zero_grad()
            nn.functional.mse_loss(Setup.model(x), y).backward()
            Setup.optimizer.step()
        Setup.optimizer = None
    '''),
    # A script that watches its own loop, run by `loopcheck run`: its watch() joins the run's.
    "watch_inside_the_script": textwrap.dedent('''
        import loopcheck

        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        with loopcheck.watch(model, optimizer, quiet=True) as watcher:
            for _ in range(4):
                x, y = batch()
                optimizer.zero_grad()
                nn.functional.mse_loss(model(x), y).backward()
                optimizer.step()
        assert watcher.report.summary["steps"] == 4
    '''),
    "closure": textwrap.dedent('''
        def make_step(model):
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

            def step(x, y):
                optimizer.zero_grad()
                nn.functional.mse_loss(model(x), y).backward()
                optimizer.step()
            return step

        model = make_model()
        step = make_step(model)
        for _ in range(4):
            step(*batch())
        del step               # the optimizer goes with the closure
    '''),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_correct_loop_is_clean_in_every_layout(script, layout):
    path = script(f"{layout}.py", HEAD + LAYOUTS[layout])
    result = run_script(RunOptions(str(path), []))
    assert result.outcome == "completed", result.error
    assert result.steps == 4
    assert [(f.code, f.line) for f in result.report.findings] == []


def test_params_missing_from_the_optimizer_are_still_found_with_module_globals(script):
    path = script("head_only.py", HEAD + textwrap.dedent('''
        model = make_model()
        optimizer = torch.optim.SGD(model[2].parameters(), lr=0.1)   # model[0] is never updated
        for _ in range(4):
            x, y = batch()
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
    '''))
    result = run_script(RunOptions(str(path), []))
    assert [f.code for f in result.report.findings] == ["LC501"]
