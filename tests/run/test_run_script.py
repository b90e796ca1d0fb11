"""In-process behaviour of run_script: the script's view of sys, DataLoader truncation,
--max-steps, outcomes, and that everything is restored afterwards."""
import pytest

torch = pytest.importorskip("torch")

import json  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

from torch.utils.data import DataLoader  # noqa: E402

from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

TRAIN = textwrap.dedent('''
    import argparse, json, os, sys
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("--epochs", type=int, default=2)
        parser.add_argument("--workers", type=int, default=0)
        parser.add_argument("--out", required=True)
        args = parser.parse_args()
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        data = TensorDataset(torch.randn(40, 4), torch.randn(40, 1))
        loader = DataLoader(data, batch_size=4, num_workers=args.workers)
        batches = []
        for epoch in range(args.epochs):
            n = 0
            for x, y in loader:
                optimizer.zero_grad()
                loss = nn.functional.mse_loss(model(x), y)
                loss.backward()
                optimizer.step()
                n += 1
            batches.append(n)
        with open(args.out, "w") as f:
            json.dump({"batches": batches, "argv": sys.argv, "path0": sys.path[0], "name": __name__,
                       "file": __file__, "len": len(loader)}, f)

    if __name__ == "__main__":
        main()
''')


def _restored_state():
    from torch.optim.optimizer import _global_optimizer_post_hooks
    return (sys.argv[:], sys.path[:], DataLoader.__dict__.get("__iter__"), len(_global_optimizer_post_hooks),
            sys.modules["__main__"])


def test_script_sees_argv_main_and_path_like_python(script, tmp_path):
    path = script("train.py", TRAIN)
    out = tmp_path / "out.json"
    before = _restored_state()
    result = run_script(RunOptions(str(path), ["--epochs", "1", "--out", str(out)]))
    assert _restored_state() == before
    seen = json.loads(out.read_text())
    assert seen["argv"] == [str(path), "--epochs", "1", "--out", str(out)]
    assert seen["name"] == "__main__"
    assert seen["path0"] == str(tmp_path)
    assert seen["file"] == str(path)
    assert seen["batches"] == [10]
    assert result.outcome == "completed" and result.script_exit_code == 0
    assert result.steps == 10
    assert result.report.findings == []


@pytest.mark.parametrize("workers", [0, 2])
def test_limit_batches_truncates_every_epoch(script, tmp_path, workers):
    path = script("train.py", TRAIN)
    out = tmp_path / "out.json"
    before = _restored_state()
    result = run_script(RunOptions(str(path), ["--epochs", "3", "--workers", str(workers), "--out", str(out)],
                                   limit_batches=3))
    assert _restored_state() == before
    seen = json.loads(out.read_text())
    assert seen["batches"] == [3, 3, 3]
    assert seen["len"] == 10            # nothing else about the loader changes
    assert result.steps == 9


def test_limit_batches_with_persistent_workers(script):
    path = script("persistent.py", textwrap.dedent('''
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        loader = DataLoader(TensorDataset(torch.arange(64.)), batch_size=4, num_workers=2, persistent_workers=True)
        seen = [[int(b[0][0]) for b in loader] for _ in range(3)]
        assert seen == [[0, 4]] * 3, seen
    '''))
    result = run_script(RunOptions(str(path), [], limit_batches=2))
    assert result.outcome == "completed", result.error


def test_max_steps_stops_the_script(script, tmp_path):
    path = script("train.py", TRAIN)
    out = tmp_path / "out.json"
    result = run_script(RunOptions(str(path), ["--epochs", "5", "--out", str(out)], max_steps=7))
    assert result.outcome == "max-steps"
    assert result.steps == 7
    assert result.script_exit_code == 0
    assert not out.exists()             # the script stopped before its end
    from torch.optim.optimizer import _global_optimizer_post_hooks
    assert not _global_optimizer_post_hooks


def test_max_steps_is_not_swallowed_by_except_exception(script):
    path = script("swallow.py", textwrap.dedent('''
        import torch
        p = torch.nn.Parameter(torch.ones(2))
        opt = torch.optim.SGD([p], lr=0.1)
        for i in range(100):
            try:
                opt.zero_grad(); (p * 2).sum().backward(); opt.step()
            except Exception:
                pass
        raise AssertionError("ran past --max-steps")
    '''))
    result = run_script(RunOptions(str(path), [], max_steps=3))
    assert result.outcome == "max-steps" and result.steps == 3


def test_module_form_like_python_m(tmp_path, monkeypatch):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "train.py").write_text(TRAIN)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.json"
    result = run_script(RunOptions("mypkg.train", ["--epochs", "1", "--out", str(out)], module=True, limit_batches=2))
    seen = json.loads(out.read_text())
    assert result.outcome == "completed", result.error
    assert seen["argv"] == [str(pkg / "train.py"), "--epochs", "1", "--out", str(out)]
    assert seen["path0"] == str(tmp_path) and seen["name"] == "__main__"
    assert seen["batches"] == [2]


def test_exception_is_shown_like_python_and_reported(script, capsys):
    path = script("boom.py", textwrap.dedent('''
        import torch
        def step():
            raise ValueError("bad batch")
        step()
    '''))
    result = run_script(RunOptions(str(path), []))
    err = capsys.readouterr().err
    assert result.outcome == "exception" and result.script_exit_code == 1
    assert isinstance(result.error, ValueError)
    assert err.startswith("Traceback (most recent call last):\n")
    assert f'File "{path}", line 5, in <module>' in err and 'line 4, in step' in err
    assert "ValueError: bad batch" in err
    assert "runpy" not in err and "loopcheck" not in err
    assert result.report is not None


def test_syntax_error_in_script(script, capsys):
    path = script("bad.py", "def f(:\n    pass\n")
    result = run_script(RunOptions(str(path), []))
    err = capsys.readouterr().err
    assert result.script_exit_code == 1
    assert "SyntaxError" in err and "runpy" not in err and str(path) in err


@pytest.mark.parametrize("code,expected", [("None", 0), ("0", 0), ("3", 3), ("'fatal: no data'", 1)])
def test_sys_exit_codes(script, capsys, code, expected):
    path = script("exits.py", f"import sys\nsys.exit({code})\n")
    result = run_script(RunOptions(str(path), []))
    assert result.outcome == "exit" and result.script_exit_code == expected
    if expected == 1:
        assert "fatal: no data" in capsys.readouterr().err


def test_keyboard_interrupt_in_process(script, capsys):
    path = script("ctrlc.py", "raise KeyboardInterrupt\n")
    result = run_script(RunOptions(str(path), []))
    assert result.outcome == "interrupted" and result.script_exit_code == 130
    assert "KeyboardInterrupt" in capsys.readouterr().err


def test_classes_defined_in_the_script_pickle_with_workers(script):
    # DataLoader workers and torch.save pickle objects of the script's __main__
    path = script("pickles.py", textwrap.dedent('''
        import io, torch
        from torch.utils.data import DataLoader, Dataset
        class Squares(Dataset):
            def __len__(self): return 16
            def __getitem__(self, i): return torch.tensor([float(i * i)])
        if __name__ == "__main__":
            total = sum(float(b.sum()) for b in DataLoader(Squares(), batch_size=4, num_workers=2))
            buffer = io.BytesIO(); torch.save(Squares(), buffer)
            assert total == sum(i * i for i in range(8)), total
    '''))
    result = run_script(RunOptions(str(path), [], limit_batches=2))
    assert result.outcome == "completed", result.error
