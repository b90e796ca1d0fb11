"""Helpers for the ecosystem tests: sample sources, and the CLI run in-process inside a temporary project."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Optional

import pytest
from click.testing import CliRunner, Result

from loopcheck.cli import main
from tests.markers import FIXTURES

# A small script with three findings the analyser reports: LC104 (line 7), LC101 (line 10),
# LC401 (line 11). Safe fixes: LC104, LC401; unsafe: LC101.
BUGGY = textwrap.dedent('''\
    import torch


    def train(model, loader, optimizer, criterion, scheduler):
        total_loss = 0.0
        for x, y in loader:
            scheduler.step()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total_loss += loss
        return total_loss
''')

CLEAN = textwrap.dedent('''\
    import torch


    def train(model, loader, optimizer, criterion):
        total_loss = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
        return total_loss
''')


class Project:
    """A temporary folder used as the working directory of in-process CLI runs."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        monkeypatch.chdir(root)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def copy_fixture(self, name: str, to: Optional[str] = None) -> Path:
        target = self.root / (to or Path(name).name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / name, target)
        return target

    def run(self, *args: str, input: "str | bytes | None" = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
