"""The README's claims, checked where a test can: commands, example output, install notes."""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from click.testing import CliRunner

from loopcheck.cli import main
from tests.markers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_the_first_two_commands_are_exactly_the_documented_ones() -> None:
    """CI runs the second one verbatim (.ci/run); a new user copies both."""
    first, second = blocks("bash")[:2]
    assert first == "python -m pip install . && loopcheck fixtures/buggy/\n"
    assert second == 'python -m pip install -e ".[test,runtime]" torchvision -c constraints/ci.txt && python -m pytest\n'
    assert second.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_static_example_output_is_what_loopcheck_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    example = next(block for block in blocks("text") if block.startswith("$ loopcheck fixtures/"))
    command, expected = example.split("\n", 1)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, command.split()[2:])
    assert result.exit_code == 1
    assert result.stdout == expected


def test_documented_options_exist() -> None:
    help_text = CliRunner().invoke(main, ["check", "--help"]).stdout
    documented = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", "\n".join(blocks("bash")[2:3])))
    assert documented and all(option in help_text for option in documented), documented


def test_no_install_step_assumes_a_release() -> None:
    """No PyPI package and no tags yet: installs come from a clone or a git URL at a commit."""
    commands = "\n".join(blocks("bash") + blocks("yaml"))
    assert not re.search(r"pip install (-U )?[\"']?loopcheck\b(?!\s*@)", commands)
    assert not re.search(r"rev:\s*v\d", commands)
    assert 'pip install "loopcheck @ git+https://github.com/loopcheck/loopcheck@' in README


def test_pre_commit_example_pins_a_commit_of_this_repository() -> None:
    config = next(yaml.safe_load(block) for block in blocks("yaml") if "repos:" in block)
    repo = config["repos"][0]
    assert repo["hooks"][0]["id"] == "loopcheck"
    rev = repo["rev"]
    assert re.fullmatch(r"[0-9a-f]{40}", rev)
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    if not (ROOT / ".git").exists() or shallow.stdout.strip() != "false":
        pytest.skip("not a full git checkout: the commit may be missing from it")
    known = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
    assert known.returncode == 0, f"{rev} is not a commit of this repository"


def test_cpu_only_torch_command_matches_the_ci_pins() -> None:
    line = next(line for line in README.splitlines() if "download.pytorch.org/whl/cpu" in line)
    pins = dict(re.findall(r"^(torch|torchvision)==(\S+)", (ROOT / "constraints" / "ci.txt").read_text(), re.MULTILINE))
    assert dict(re.findall(r"(torch|torchvision)==([\w.]+)", line)) == pins
    assert "--index-url https://download.pytorch.org/whl/cpu" in line


def test_chromium_note_matches_the_browser_test() -> None:
    test = (ROOT / "tests" / "run" / "test_html_report.py").read_text(encoding="utf-8")
    browsers = re.search(r"BROWSERS = \((.*?)\)", test).group(1)
    assert "pytest.skip(" in test
    assert "skipped without one" in README
    for name in re.findall(r'"([\w-]+)"', browsers)[:3]:
        assert f"`{name}`" in README
