"""Runs that end early: Ctrl-C and SIGTERM in the middle of a step, --max-steps (also in a
thread), --limit-batches. The report says where the run stopped, never concludes from the
unfinished iteration, and the exit status stays the one python would give."""
import pytest

torch = pytest.importorskip("torch")

import json  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

from tests.run.run_helpers import FIXTURES, REPO, cli_env  # noqa: E402

import loopcheck  # noqa: E402
from loopcheck.runtime.html import page_data  # noqa: E402
from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

STOPPED = FIXTURES / "realistic" / "stopped_mid_step.py"
# loopcheck's own modules (the checkout itself may sit in a folder named loopcheck, as in CI)
PACKAGE_DIR = str(Path(loopcheck.__file__).resolve().parent)


def _line(path, text):
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_sigterm_mid_step_reports_where_it_stopped_and_no_false_finding(capsys):
    result = run_script(RunOptions(str(STOPPED), ["--terminate-at", "11"]))
    assert result.outcome == "terminated" and result.signal == signal.SIGTERM
    assert result.script_exit_code == 143 and result.steps == 10
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL           # the handler is gone again
    report = result.report
    # Without the cut, the last forward (no backward yet) was an "evaluation in train mode" (LC201)
    assert report.findings == []
    assert report.summary["models"]["model"]["batchnorm_updated_in_evaluation"] == []
    forwards = [e for e in report.events if e.kind.value == "forward"]
    assert "phase" not in forwards[-1].facts and forwards[-2].facts["phase"] == "training"   # HTML timeline
    where = f"{STOPPED.relative_to(REPO)}:{_line(STOPPED, 'os.kill(')}"
    assert report.stopped == {"reason": "stopped by SIGTERM", "at": where, "unchecked_events": 2}
    assert f"loopcheck: the run was stopped by SIGTERM at {where}; the unfinished iteration" in str(report)
    assert result.to_json()["stopped_at"] == where
    assert page_data(report)["summary"][0] == ["stopped", report.stopped_line().removeprefix("loopcheck: ")]
    assert "Traceback" not in capsys.readouterr().err                  # python prints nothing on SIGTERM


def test_keyboard_interrupt_inside_watch_mid_step():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.Dropout(0.2),
                                torch.nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(KeyboardInterrupt):
        with loopcheck.watch(model, opt, quiet=True) as w:
            for step in range(5):
                opt.zero_grad()
                out = model(torch.randn(4, 4))
                if step == 3:
                    raise KeyboardInterrupt  # <stop>
                out.sum().backward()
                opt.step()
    assert w.report.findings == []
    assert w.report.stopped["reason"] == "interrupted (Ctrl-C)"
    here = REPO / "tests" / "run" / "test_stopped_runs.py"
    assert w.report.stopped["at"].endswith(f"test_stopped_runs.py:{_line(here, '<stop>')}")


def test_ctrl_c_mid_step_subprocess_like_python(tmp_path):
    """Deterministic: the script says when it is paused mid-step; only then is SIGINT sent."""
    out = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, "-m", "loopcheck", "run", "--output-format", "json", "--output", str(out),
                             str(STOPPED), "--pause-at", "3"], cwd=REPO, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()          # blocks until the script is paused (or has died)
        assert line == "paused at step 3\n", (line, proc.poll())
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGINT, err     # as python ends on an uncaught KeyboardInterrupt
    assert "KeyboardInterrupt" in err and PACKAGE_DIR not in err.split("KeyboardInterrupt")[0]
    data = json.loads(out.read_text())
    assert data["findings"] == []
    assert data["run"]["outcome"] == "interrupted" and data["run"]["optimizer_steps"] == 2
    # SIGINT may land while print() returns or in the sleep: both are the pause, mid-step
    pause = _line(STOPPED, "time.sleep(")
    assert data["run"]["stopped_at"] in {f"fixtures/realistic/stopped_mid_step.py:{n}" for n in (pause - 1, pause)}
    assert data["stopped"]["unchecked_events"] == 2


def test_sigterm_subprocess_exit_status_and_text_report(tmp_path):
    out = tmp_path / "report.txt"
    proc = subprocess.run([sys.executable, "-m", "loopcheck", "run", "--output", str(out), str(STOPPED),
                           "--terminate-at", "11"], cwd=REPO, env=cli_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGTERM, proc.stderr   # what `python stopped_mid_step.py` gives
    assert proc.stdout == "epoch 0: val accuracy 0.31\n"     # the script's own output, untouched
    text = out.read_text()
    assert "the run was stopped by SIGTERM at" in text and "no problems seen" in text


# The script fails, and SIGTERM comes while loopcheck prints its traceback: what a surviving
# torchrun rank sees when the rank it waited for in a collective dies (torchrun then stops it).
LATE_SIGTERM = textwrap.dedent('''
    import os, signal

    class CollectiveFailed(RuntimeError):
        def __str__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            return "connection closed by peer"

    raise CollectiveFailed()
''')


def test_sigterm_after_the_script_failed_is_held_until_the_report_is_out(script, capsys):
    result = run_script(RunOptions(str(script("late.py", LATE_SIGTERM)), []))
    assert result.outcome == "exception" and result.script_exit_code == 1
    assert result.signal == signal.SIGTERM                               # re-raised by the command
    assert "CollectiveFailed: connection closed by peer" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_sigterm_after_the_script_failed_still_writes_the_report_subprocess(script, tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "loopcheck", "run", "--output-format", "json", "--output", str(out),
                           str(script("late.py", LATE_SIGTERM))], cwd=REPO, env=cli_env(), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert json.loads(out.read_text())["run"]["outcome"] == "exception"


TRAIN = textwrap.dedent('''
    import threading
    import torch
    from torch.utils.data import DataLoader, TensorDataset
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(torch.randn(40, 4)), batch_size=4)

    def train():
        for _ in range(3):
            for (x,) in loader:
                optimizer.zero_grad()
                model(x).sum().backward()
                optimizer.step()  # <step>

    if THREADED:
        worker = threading.Thread(target=train)
        worker.start()
        worker.join()
        print("main thread goes on")
    else:
        train()
''')


@pytest.mark.parametrize("threaded", [False, True])
def test_max_steps_says_where_it_stopped_also_in_a_thread(script, capsys, threaded):
    path = script("train.py", f"THREADED = {threaded}\n" + TRAIN)
    hook = threading.excepthook
    result = run_script(RunOptions(str(path), [], max_steps=3))
    captured = capsys.readouterr()
    assert threading.excepthook is hook
    assert result.outcome == "max-steps" and result.steps == 3 and result.script_exit_code == 0
    assert "Traceback" not in captured.err and "MaxSteps" not in captured.err
    assert ("main thread goes on" in captured.out) is threaded
    where = f"{path}:{_line(path, '<step>')}"
    assert result.report.stopped == {"reason": "cut short by --max-steps 3", "at": where}
    assert f"loopcheck: the run was cut short by --max-steps 3 at {where}" in str(result.report)
    assert result.to_json() == {"outcome": "max-steps", "script_exit_code": 0, "optimizer_steps": 3,
                                "limit_batches": None, "max_steps": 3, "stopped_at": where}


def test_limit_batches_is_recorded_and_noted(script):
    path = script("train.py", "THREADED = False\n" + TRAIN)
    result = run_script(RunOptions(str(path), [], limit_batches=2))
    assert result.outcome == "completed" and result.steps == 6
    assert result.to_json()["limit_batches"] == 2
    assert "--limit-batches 2: 3 DataLoader iterations were cut short" in result.report.summary["notes"]
    uncut = run_script(RunOptions(str(path), [], limit_batches=10))     # the loader has 10 batches
    assert uncut.steps == 30 and not any("limit-batches" in n for n in uncut.report.summary.get("notes", []))


def test_sigterm_in_a_forked_child_kills_it_as_without_loopcheck(script, capsys):
    # DataLoader workers are forked: they inherit the run's SIGTERM handler and must die as usual
    path = script("fork.py", textwrap.dedent('''
        import os, signal, time
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        time.sleep(0.2)
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        print("child killed by", os.WIFSIGNALED(status) and os.WTERMSIG(status))
    '''))
    result = run_script(RunOptions(str(path), []))
    captured = capsys.readouterr()
    assert result.outcome == "completed", result.error
    assert f"child killed by {int(signal.SIGTERM)}" in captured.out and "Traceback" not in captured.err


NO_STEP = textwrap.dedent('''
    import sys
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    ACCUMULATE = "accumulate" in sys.argv
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
    for epoch in range(2):
        for i, (x, y) in enumerate(loader):
            if not ACCUMULATE or i % 4 == 0:
                optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()  # <backward>
            if ACCUMULATE and i % 4 == 3:
                optimizer.step()
''')


@pytest.mark.parametrize("ending, limit, args, reported", [
    ("", None, [], True), ("sys.exit(0)", None, [], True), ("sys.exit(3)", None, [], False),
    ("raise ValueError('boom')", None, [], False), ("", 3, [], True), ("", 3, ["accumulate"], False),
], ids=["completed", "exit-0", "exit-3", "exception", "limit-batches", "limit-batches-before-the-step"])
def test_backward_without_step_only_from_a_run_that_ran_to_its_end(script, capsys, ending, limit, args, reported):
    """LC115 needs the whole run: a failing script proves nothing, and where --limit-batches
    cut the loader before an accumulation step, only gradients a clear discarded count."""
    path = script("train.py", NO_STEP + ending + "\n")
    result = run_script(RunOptions(str(path), args, limit_batches=limit))
    capsys.readouterr()
    got = [(f.code, f.line) for f in result.report.findings]
    assert got == ([("LC115", _line(path, "<backward>"))] if reported else [])
