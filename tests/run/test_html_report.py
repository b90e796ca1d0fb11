"""The HTML timeline: built from a real run, rendered by a real headless Chromium.

The browser test skips when no Chromium is installed (CI: apt-get install -y chromium).
Set LOOPCHECK_UPDATE_SCREENSHOT=1 to refresh docs/run-report.png from this test.
"""
import pytest

pytest.importorskip("torch")

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import textwrap  # noqa: E402

from tests.run.run_helpers import FIXTURES, REPO  # noqa: E402

from loopcheck.runtime.html import page_data, write_html  # noqa: E402
from loopcheck.runtime.run import RunOptions, run_script  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCREENSHOT_FIXTURE = FIXTURES / "buggy" / "LC203_train_mode_not_restored.py"


def _browser():
    return next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)


def _chromium(browser, tmp_path, *args, timeout=90):
    profile = tmp_path / "profile"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}"]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def buggy_report(tmp_path_factory):
    cwd = os.getcwd()
    os.chdir(SCREENSHOT_FIXTURE.parent)
    try:
        result = run_script(RunOptions(str(SCREENSHOT_FIXTURE), []))
    finally:
        os.chdir(cwd)
    assert result.report.findings, "the fixture's bug should be found"
    return result.report


def test_page_data_has_lanes_marks_and_findings_placed(buggy_report):
    data = page_data(buggy_report)
    kinds = {lane["kind"] for lane in data["lanes"]}
    assert kinds == {"model", "optimizer"}
    classes = {m["cls"] for m in data["marks"]}
    assert {"backward", "step", "mode"} <= classes
    assert any(c.startswith("fwd-train") for c in classes) and any(c.startswith("fwd-eval") for c in classes)
    for finding in data["findings"]:
        assert finding["doc"].endswith(f"{finding['code']}-{finding['name']}.md")
    lc203 = next(f for f in data["findings"] if f["code"] == "LC203")
    marked = {m["cls"] for m in data["marks"] if [m["col"], m["lane"]] in lc203["marks"]}
    assert marked == {"fwd-eval-grad"}, "LC203 is marked on the forwards that ran in eval mode, not the healthy ones"
    assert {c["phase"] for c in data["columns"]} == {"training", "evaluation"}
    assert data["summary"]


def test_page_is_self_contained(buggy_report, tmp_path):
    page = tmp_path / "r.html"
    buggy_report.to_html(page)
    text = page.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "<link" not in text and "@import" not in text
    assert "default-src 'none'" in text


def test_chromium_renders_lanes_and_findings(buggy_report, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium)")
    page = tmp_path / "report.html"
    write_html(buggy_report, page)
    proc = _chromium(browser, tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    dom = proc.stdout
    assert 'data-rendered="true"' in dom, proc.stderr[-2000:]
    lanes = re.findall(r'<g class="lane" data-lane="[^"]*" data-kind="(model|optimizer)"', dom)
    assert "model" in lanes and "optimizer" in lanes
    assert dom.count('class="mark ') >= 10
    codes = {f.code for f in buggy_report.findings}
    for code in codes:
        assert f'class="finding-link" data-code="{code}"' in dom    # marked on the timeline
        assert re.search(rf'href="[^"]*rules/{code}-[a-z0-9-]+\.md"', dom)   # linked to its documentation
    assert "<th>" in dom                                              # the summary table

    shot = tmp_path / "report.png"
    proc = _chromium(browser, tmp_path, "--virtual-time-budget=5000", "--hide-scrollbars",
                     "--window-size=1280,860", f"--screenshot={shot}", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    if os.environ.get("LOOPCHECK_UPDATE_SCREENSHOT"):
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(shot, REPO / "docs" / "run-report.png")


HOSTILE = "<!--<script>"


def test_hostile_names_leave_the_page_working(script, tmp_path):
    """A model class or a script file named `<!--<script>` must not stop the page's JavaScript."""
    path = script(f"train{HOSTILE}.py", textwrap.dedent(f'''
        import torch
        from torch import nn
        Net = type({HOSTILE!r}, (nn.Sequential,), {{}})
        model = Net(nn.Linear(4, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(3):
            model(torch.randn(2, 4)).sum().backward()
            optimizer.step()          # never cleared: LC101
    '''))
    report = run_script(RunOptions(str(path), [])).report
    assert [f.code for f in report.findings] == ["LC101"]
    page = tmp_path / "report.html"
    write_html(report, page)
    text = page.read_text()
    payload = text.split('<script type="application/json" id="loopcheck-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and json.loads(payload) == json.loads(json.dumps(page_data(report)))
    assert HOSTILE in json.loads(payload)["findings"][0]["path"]
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium)")
    dom = _chromium(browser, tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()).stdout
    assert 'data-rendered="true"' in dom
    assert 'class="finding-link" data-code="LC101"' in dom


def test_finding_marks_the_event_it_was_reported_on_not_its_line_neighbours(script):
    # forward and backward on one line: LC501 (reported on the backward) belongs on the optimizer's lane
    path = script("one_liner.py", textwrap.dedent('''
        import torch
        from torch import nn
        model = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model[0].parameters(), lr=0.1)
        for _ in range(3):
            optimizer.zero_grad()
            model(torch.randn(2, 4)).sum().backward()
            optimizer.step()
    '''))
    data = page_data(run_script(RunOptions(str(path), [])).report)
    lc501 = next(f for f in data["findings"] if f["code"] == "LC501")
    kinds = {lane["id"]: lane["kind"] for lane in data["lanes"]}
    assert lc501["marks"] and {kinds[lane] for _, lane in lc501["marks"]} == {"optimizer"}
    marked = {m["cls"] for m in data["marks"] if [m["col"], m["lane"]] in lc501["marks"]}
    assert marked == {"backward"}
