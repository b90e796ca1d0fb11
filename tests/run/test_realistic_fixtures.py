"""Real-shaped training scripts (fixtures/realistic/) run under `loopcheck run` exactly as under
`python`: same stdout, same exit code, and a report without findings. They imitate the scripts
the watcher once broke or misread: whole-model and scheduler checkpoints, EMA and best-model
deep copies, a DCGAN, layer-wise optimizers, an ensemble in a list, GradScaler with
accumulation, a TorchScript model, LBFGS with early stopping, an LSTM with accumulation and
OneCycleLR, a Trainer run from the `__main__` block with frozen BatchNorm."""
import pytest

torch = pytest.importorskip("torch")

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import runpy  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from tests.run.run_helpers import FIXTURES, cli_env, run_cli  # noqa: E402

from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

REALISTIC = FIXTURES / "realistic"
PLAIN_RUNS = [REALISTIC / name for name in (
    "checkpoint_ema_scheduler.py", "dcgan_two_optimizers.py", "layerwise_forward_forward.py",
    "ensemble_nets_in_a_list.py", "amp_gradscaler_accumulation.py", "torchscript_model.py",
    "lbfgs_closure_early_stopping.py", "lstm_onecycle_accumulation.py", "trainer_in_main_block.py",
)]
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.s:FutureWarning")


@pytest.fixture(autouse=True)
def one_thread():
    # tiny models: intra-op threads only contend for the test machine's cores
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _plain_stdout(path) -> str:
    out = io.StringIO()
    saved = sys.argv[:]
    sys.argv[:] = [str(path)]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv[:] = saved
    return out.getvalue()


@pytest.mark.parametrize("path", PLAIN_RUNS, ids=lambda p: p.stem)
def test_same_output_as_python_and_no_finding(path):
    plain = _plain_stdout(path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = run_script(RunOptions(str(path), []))
    assert result.outcome == "completed", result.error
    assert out.getvalue() == plain
    findings = result.report.findings
    assert findings == [], "\n".join(f"{f.path}:{f.line}: {f.code} {f.message}" for f in findings)
    assert "accumulation" not in json.dumps(result.report.summary).replace("not accumulation", "") \
        or path.stem.endswith("accumulation")


@pytest.mark.parametrize("steps", [1, 3])
def test_max_steps_with_a_grad_scaler_counts_the_last_step(steps):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = run_script(RunOptions(str(REALISTIC / "amp_gradscaler_accumulation.py"), [], max_steps=steps))
    assert result.outcome == "max-steps" and result.steps == steps
    summary = result.report.summary
    assert summary["steps"] == steps and summary["optimizers"]["optimizer"]["steps"] == steps
    assert f"optimizer (AdamW): {steps} step" in str(result.report)
    # stopped inside scaler.step(), before the update() the script calls next: not LC112
    assert result.report.findings == []


@pytest.mark.slow
def test_subprocess_like_python(tmp_path):
    # a real process: the whole-model checkpoint pickles classes of the script's __main__
    path = REALISTIC / "checkpoint_ema_scheduler.py"
    plain = subprocess.run([sys.executable, str(path)], cwd=tmp_path, env=cli_env(OMP_NUM_THREADS="1"),
                           capture_output=True, text=True, timeout=180)
    report = tmp_path / "report.json"
    watched = run_cli("--output-format", "json", "--output", str(report), str(path), cwd=tmp_path, OMP_NUM_THREADS="1")
    assert (watched.returncode, watched.stdout) == (plain.returncode, plain.stdout), watched.stderr
    assert plain.returncode == 0, plain.stderr
    assert json.loads(report.read_text())["findings"] == []
