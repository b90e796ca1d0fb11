"""Every `help:` hint shows valid code: what it tells the user to write would parse."""
from __future__ import annotations

import ast
import textwrap

import pytest

from loopcheck.checker import check_python
from loopcheck.events import Event, Kind, Stream
from loopcheck.findings import Location
from loopcheck.rules import evaluate
from tests.markers import FIXTURES, ROOT

LOOP = textwrap.dedent('''\
    import torch


    def train(model, loader, optimizer, criterion, dev):
        model.to(dev)
        total = 0
        for features, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(features.to(dev)), y.to(dev))
            loss.backward()
            optimizer.step()
            total += {accumulated}
        return total
''')


def fix_of(source: str, code: str) -> str:
    return next(f.fix for f in check_python(source, "train.py") if f.code == code)


@pytest.mark.parametrize("accumulated, receiver", [
    ("loss / 4", "(loss / 4)"), ("loss", "loss"), ("loss * w + reg", "(loss * w + reg)"),
    ("loss.mean()", "loss.mean()"), ("-loss", "(-loss)"), ("criterion(model(x), y)", "criterion(model(x), y)"),
])
def test_lc401_hint_is_a_valid_expression(accumulated: str, receiver: str) -> None:
    fix = fix_of(LOOP.format(accumulated=accumulated), "LC401")
    assert fix == f"accumulate a number instead: {receiver}.item() (or {receiver}.detach())"
    ast.parse(f"{receiver}.item()", mode="eval")


def test_lc401_shortened_expression_shows_no_broken_code() -> None:
    long = " + ".join(["loss * 1234567890"] * 4)
    fix = fix_of(LOOP.format(accumulated=long), "LC401")
    assert "..." not in fix and ".item()" in fix


def test_lc301_static_hint_uses_the_scripts_device_name() -> None:
    source = LOOP.format(accumulated="loss.item()").replace("features.to(dev)", "features")
    assert fix_of(source, "LC301") == "move the batch first: features = features.to(dev)"


def test_lc301_static_hint_for_cuda_and_string_devices() -> None:
    source = LOOP.format(accumulated="loss.item()").replace("features.to(dev)", "features")
    assert fix_of(source.replace("model.to(dev)", "model.cuda()"), "LC301").endswith("features.to(\"cuda\")")
    assert fix_of(source.replace("model.to(dev)", "model.to('cuda:1')"), "LC301").endswith("features.to('cuda:1')")


def test_lc301_runtime_hint_is_valid_code() -> None:
    """The runtime knows the device (`cpu`, `cuda:0`), not the script's name for it."""
    events = [Event(Kind.FORWARD, Location("t.py", 3, 1), "model", "model", None, frozenset(),
                    {"model": "model", "grad_enabled": True, "unmoved_inputs": ["features"], "device": "cpu"}),
              Event(Kind.END, Location("t.py", 4, 1), "", "", None, frozenset(), {})]
    finding = next(f for f in evaluate(Stream(events, origin="runtime")) if f.code == "LC301")
    assert finding.fix == "move the batch first: features = features.to(device)"


def test_every_hint_on_the_fixtures_has_no_placeholder_prose() -> None:
    """No `<tensor>` or `the model's device` inside code; code after `: ` parses (fixtures and cases)."""
    cases = ROOT / "tests" / "static" / "cases"
    bad_cases = [path for code in ("LC301", "LC302", "LC304", "LC401") for path in sorted((cases / code).glob("bad_*.py"))]
    for path in sorted(FIXTURES.rglob("*.py")) + bad_cases:
        for finding in check_python(path.read_text(encoding="utf-8"), str(path)):
            assert finding.fix and "<" not in finding.fix and "the model's" not in finding.fix, finding
            if finding.code in ("LC301", "LC304", "LC401"):
                code = finding.fix.split(": ", 1)[1].split(" (or ", 1)[0]
                ast.parse(code)
