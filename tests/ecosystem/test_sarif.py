"""SARIF 2.1.0 for GitHub code scanning, validated against the official schema."""
from __future__ import annotations

import hashlib
import json

import jsonschema
import pytest

from loopcheck import __version__
from loopcheck.catalogue import RULES
from loopcheck.report.sarif import SCHEMA_URI
from tests.ecosystem.helpers import BUGGY, CLEAN, Project
from tests.markers import ROOT

SCHEMA_PATH = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"   # vendored: see tests/data/README.md


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def sarif(project: Project, *args: str) -> dict:
    result = project.run("--output-format", "sarif", *args)
    return json.loads(result.stdout)


def assert_valid(validator: jsonschema.Draft4Validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_valid_against_the_official_schema(project: Project, validator: jsonschema.Draft4Validator) -> None:
    project.write("train.py", BUGGY)
    project.write("clean.py", CLEAN)
    log = sarif(project, ".")
    assert_valid(validator, log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "loopcheck" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert {r["id"] for r in driver["rules"]} == {r.code for r in RULES if r.static}
    assert {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]} == {
        ("LC104", 7), ("LC101", 10), ("LC401", 11)}


def test_rules_carry_documentation_and_levels(project: Project) -> None:
    project.write("clean.py", CLEAN)
    rules = {r["id"]: r for r in sarif(project, "clean.py")["runs"][0]["tool"]["driver"]["rules"]}
    lc101 = rules["LC101"]
    assert lc101["name"] == "MissingZeroGrad"
    assert lc101["shortDescription"]["text"].startswith("A training loop steps the optimizer")
    assert "optimizer.step()" in lc101["fullDescription"]["text"]
    assert "## Why is this bad?" in lc101["help"]["markdown"]
    assert "Why is this bad?" in lc101["help"]["text"] and "##" not in lc101["help"]["text"]
    assert lc101["defaultConfiguration"]["level"] == "error"
    assert rules["LC202"]["defaultConfiguration"]["level"] == "warning"


def test_results_reference_rules_and_levels(project: Project) -> None:
    project.write("train.py", BUGGY)
    run = sarif(project, "train.py")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == ("warning" if result["ruleId"] == "LC401" else "error")
        assert result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startColumn"] == 9


def test_missing_rule_docs_fall_back_to_the_summary(project: Project, validator: jsonschema.Draft4Validator,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import loopcheck.ruledocs

    monkeypatch.setattr(loopcheck.ruledocs, "docs_dir", lambda: project.root / "no-docs-here")
    project.write("train.py", BUGGY)
    log = sarif(project, "train.py")
    assert_valid(validator, log)
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["help"]["text"] and rule["fullDescription"]["text"]


def test_uris_are_relative_to_the_repository_root(project: Project, monkeypatch: pytest.MonkeyPatch,
                                                 validator: jsonschema.Draft4Validator) -> None:
    (project.root / ".git").mkdir()
    project.write("src/deep dir/train.py", BUGGY)
    monkeypatch.chdir(project.root / "src")
    log = sarif(project, "deep dir/train.py")
    assert_valid(validator, log)
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "src/deep%20dir/train.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.root.resolve().as_uri() + "/"


def fingerprints(log: dict) -> dict[str, str]:
    return {r["ruleId"]: r["partialFingerprints"]["loopcheck/v1"] for r in log["runs"][0]["results"]}


def test_fingerprints_survive_unrelated_lines_moving(project: Project) -> None:
    project.write("train.py", BUGGY)
    before = sarif(project, "train.py")
    shifted = BUGGY.replace("import torch\n", "import torch\nimport math\n\nEPOCHS = 3  # new lines above\n", 1)
    project.write("train.py", shifted)
    after = sarif(project, "train.py")
    lines = lambda log: sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
                               for r in log["runs"][0]["results"])
    assert lines(after) == [line + 3 for line in lines(before)]
    assert fingerprints(after) == fingerprints(before)
    assert len(set(fingerprints(before).values())) == 3


def test_fingerprints_differ_for_identical_lines(project: Project) -> None:
    twice = BUGGY + "\n\n" + BUGGY.split("\n\n\n", 1)[1].replace("def train", "def train_again")
    project.write("train.py", twice)
    results = sarif(project, "train.py")["runs"][0]["results"]
    lc401 = [r["partialFingerprints"]["loopcheck/v1"] for r in results if r["ruleId"] == "LC401"]
    assert len(lc401) == 2 and len(set(lc401)) == 2


def test_unreadable_files_become_notifications(project: Project, validator: jsonschema.Draft4Validator) -> None:
    project.write("broken.py", "def f(:\n")
    result = project.run("--output-format", "sarif", "broken.py")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    assert_valid(validator, log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "broken.py" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_no_findings_is_still_a_valid_log(project: Project, validator: jsonschema.Draft4Validator) -> None:
    project.write("clean.py", CLEAN)
    result = project.run("--output-format", "sarif", "clean.py")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert_valid(validator, log)
    assert log["runs"][0]["results"] == []


def test_schema_is_the_vendored_official_one() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"] == SCHEMA_URI
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() in (ROOT / "tests" / "data" / "README.md").read_text()
