"""Fixtures for the ecosystem tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ecosystem.helpers import Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A temporary project folder that is the working directory for the test."""
    return Project(tmp_path, monkeypatch)
