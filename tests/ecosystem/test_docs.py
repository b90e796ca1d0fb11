"""The snippets in docs/ecosystem.md are valid: the configuration examples load, the YAML parses."""
from __future__ import annotations

import re

import yaml

from loopcheck.config import load_config
from tests.ecosystem.helpers import Project
from tests.markers import ROOT

DOC = (ROOT / "docs" / "ecosystem.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.DOTALL)


def test_configuration_examples_load(project: Project) -> None:
    toml_blocks = blocks("toml")
    assert len(toml_blocks) == 2
    pyproject = project.write("pyproject.toml", toml_blocks[0])
    config = load_config(pyproject)
    assert config.select == ("LC1", "LC2", "LC401") and config.per_file_ignores
    standalone = project.write("loopcheck.toml", toml_blocks[1])
    assert load_config(standalone).per_file_ignores == (("scripts/legacy_*.py", ("LC101",)),)


def test_yaml_examples_parse() -> None:
    documents = [yaml.safe_load(block) for block in blocks("yaml")]
    assert documents[0]["repos"][0]["hooks"][0]["id"] == "loopcheck"
    steps = documents[1]["jobs"]["loopcheck"]["steps"]
    assert any("--output-format sarif" in step.get("run", "") for step in steps)
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
