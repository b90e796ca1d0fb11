"""`loopcheck run` end to end in a subprocess: exit codes, reports written on every outcome,
tracebacks, argument passthrough, output formats (Ctrl-C and SIGTERM: test_stopped_runs.py)."""
import pytest

pytest.importorskip("torch")

import json  # noqa: E402
import textwrap  # noqa: E402

from tests.run.run_helpers import FIXTURES, run_cli  # noqa: E402

LOOP = textwrap.dedent('''
    import sys
    import torch
    from torch import nn
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for i in range(5):
        optimizer.zero_grad()
        model(torch.randn(2, 4)).sum().backward()
        optimizer.step()
''')


def test_correct_fixture_exits_zero(tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("--limit-batches", "2", "--output-format", "json", "--output", str(out),
                   str(FIXTURES / "correct" / "image_classifier.py"), "--epochs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "epoch 0" in proc.stdout          # the script's own output is untouched
    assert json.loads(out.read_text())["findings"] == []


def test_buggy_fixture_exits_one_and_exit_zero(tmp_path):
    target = str(FIXTURES / "buggy" / "LC101_no_zero_grad.py")
    out = tmp_path / "report.json"
    proc = run_cli("--output-format", "json", "--output", str(out), target)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(out.read_text())
    assert {"findings", "summary", "run"} <= set(data)
    assert any(f["code"] == "LC101" and f["line"] == 45 and f["path"].endswith("LC101_no_zero_grad.py")
               for f in data["findings"])
    assert data["run"]["outcome"] == "completed"
    assert run_cli("--exit-zero", "--quiet", target).returncode == 0


def test_report_paths_are_checked_before_the_script_runs(script, tmp_path):
    ran = tmp_path / "ran"
    path = script("loop.py", f"open({str(ran)!r}, 'w').close()\n")
    for args in (["--output-format", "json", "--output", str(tmp_path / "missing" / "r.json")],
                 ["--html", str(tmp_path / "missing" / "r.html")],
                 ["--output-format", "json"]):            # JSON needs a file: stdout is the script's
        proc = run_cli(*args, str(path))
        assert proc.returncode == 2 and proc.stderr.strip().splitlines()[-1].startswith("Error: "), proc.stderr
        assert "Traceback" not in proc.stderr
        assert not ran.exists()


def test_script_args_pass_through_unchanged(script):
    # options that loopcheck also has, given after the script, belong to the script
    path = script("args.py", textwrap.dedent('''
        import argparse, sys
        p = argparse.ArgumentParser()
        p.add_argument("--epochs", type=int); p.add_argument("--lr", type=float)
        p.add_argument("--max-steps"); p.add_argument("-m"); p.add_argument("rest", nargs="*")
        a = p.parse_args()
        print("ARGS", a.epochs, a.lr, a.max_steps, a.m, a.rest, sys.argv[0])
    '''))
    proc = run_cli(str(path), "--epochs", "3", "--lr", "0.1", "--max-steps", "9", "-m", "x", "--", "tail")
    assert proc.returncode == 0, proc.stderr
    assert f"ARGS 3 0.1 9 x ['tail'] {path}" in proc.stdout


def test_module_form(tmp_path):
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "mypkg" / "train.py").write_text(LOOP + "print('argv', sys.argv[1:])\n")
    proc = run_cli("-m", "mypkg.train", "--config", "cfg.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "argv ['--config', 'cfg.yaml']" in proc.stdout


def test_exception_exit_one_traceback_and_report(script, tmp_path):
    path = script("crash.py", LOOP + "raise RuntimeError('loader exhausted')\n")
    out = tmp_path / "r.json"
    proc = run_cli("--output-format", "json", "--output", str(out), str(path))
    assert proc.returncode == 1
    assert "Traceback (most recent call last):" in proc.stderr
    assert f'File "{path}", line 11, in <module>' in proc.stderr
    assert proc.stderr.count('File "') == 1          # no runpy / loopcheck / click frames
    assert "RuntimeError: loader exhausted" in proc.stderr
    data = json.loads(out.read_text())
    assert data["run"]["outcome"] == "exception" and data["run"]["optimizer_steps"] == 5


def test_sys_exit_3_keeps_the_code_and_writes_report(script, tmp_path):
    path = script("exit3.py", LOOP + "sys.exit(3)\n")
    out = tmp_path / "r.json"
    proc = run_cli("--output-format", "json", "--output", str(out), str(path))
    assert proc.returncode == 3, proc.stderr
    run = json.loads(out.read_text())["run"]
    assert run["outcome"] == "exit" and run["script_exit_code"] == 3


def test_script_failure_wins_over_findings(script):
    buggy = (FIXTURES / "buggy" / "LC101_no_zero_grad.py").read_text()
    path = script("buggy_exit.py", buggy.replace('if __name__ == "__main__":\n    main()',
                                                 'if __name__ == "__main__":\n    main()\n    raise SystemExit(4)'))
    assert run_cli(str(path)).returncode == 4


def test_html_option_writes_a_self_contained_page(script, tmp_path):
    path = script("loop.py", LOOP)
    page = tmp_path / "report.html"
    proc = run_cli("--html", str(page), str(path))
    assert proc.returncode == 0, proc.stderr
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "loopcheck-data" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "<link" not in text and "src=" not in text


def test_usage_errors():
    assert run_cli().returncode == 2
    missing = run_cli("no_such_script.py")
    assert missing.returncode == 2 and "no such file" in missing.stderr
