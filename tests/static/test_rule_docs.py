"""Every rule has a documentation file, and its examples behave as documented.

The Example of a static rule must be reported exactly on its `# error: LCxxx` lines; the
Use-instead code must produce no finding at all. Runtime-only rules mark their code
fences ```python runtime and are not analysed statically.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopcheck.catalogue import BY_CODE, RULES, RuleInfo
from loopcheck.checker import check_source

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "rules"
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Known legitimate patterns")
_FENCE = re.compile(r"^```python( runtime)?[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_ERROR = re.compile(r"#\s*error:\s*((?:LC\d{3}[\s,]*)+)")


@dataclass
class Doc:
    rule: RuleInfo
    text: str
    title: str
    sections: dict[str, str]

    def code_block(self, section: str) -> tuple[str, bool]:
        """(code, runtime_only) of the first python block of `section`."""
        match = _FENCE.search(self.sections[section])
        assert match is not None, f"{self.rule.code}: no ```python block under '## {section}'"
        return match.group(2), bool(match.group(1))


def load(rule: RuleInfo) -> Doc:
    path = DOCS / rule.doc_filename
    assert path.is_file(), f"missing documentation file rules/{rule.doc_filename}"
    text = path.read_text(encoding="utf-8")
    title = text.splitlines()[0]
    sections: dict[str, str] = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        sections[heading.strip()] = body
    return Doc(rule, text, title, sections)


def error_lines(code: str) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(code.splitlines(), start=1):
        for codes in _ERROR.findall(line):
            found.update((c, number) for c in re.findall(r"LC\d{3}", codes))
    return found


def findings(code: str, rule: RuleInfo) -> set[tuple[str, int]]:
    return {(f.code, f.line) for f in check_source(code, f"{rule.code}_example.py")}


ids = [r.code for r in RULES]
STATIC = [r for r in RULES if r.static]


def test_every_doc_file_belongs_to_a_rule() -> None:
    names = {r.doc_filename for r in RULES}
    assert {p.name for p in DOCS.glob("*.md")} <= names


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_doc_has_title_severity_and_sections(rule: RuleInfo) -> None:
    doc = load(rule)
    assert doc.title == f"# {rule.code} {rule.name}"
    where = ", ".join(w for w, on in (("static", rule.static), ("runtime", rule.runtime)) if on)
    assert f"Severity: {rule.severity.value} · Checked: {where}" in doc.text
    for section in SECTIONS:
        assert doc.sections.get(section, "").strip(), f"{rule.code}: empty or missing '## {section}'"
    if rule.runtime:
        assert doc.sections.get("At runtime", "").strip(), f"{rule.code}: missing '## At runtime'"


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_example_marks_the_expected_finding(rule: RuleInfo) -> None:
    doc = load(rule)
    code, runtime_only = doc.code_block("Example")
    assert runtime_only == (not rule.static), f"{rule.code}: mark the fences ```python runtime iff runtime-only"
    marked = error_lines(code)
    assert marked and {c for c, _ in marked} == {rule.code}


@pytest.mark.parametrize("rule", STATIC, ids=[r.code for r in STATIC])
def test_example_is_reported_on_its_error_lines(rule: RuleInfo) -> None:
    code, _ = load(rule).code_block("Example")
    assert findings(code, rule) == error_lines(code)


@pytest.mark.parametrize("rule", STATIC, ids=[r.code for r in STATIC])
def test_use_instead_is_clean(rule: RuleInfo) -> None:
    code, _ = load(rule).code_block("Use instead")
    assert not error_lines(code)
    assert findings(code, rule) == set()


@pytest.mark.parametrize("rule", [r for r in RULES if not r.static], ids=[r.code for r in RULES if not r.static])
def test_runtime_only_examples_still_parse(rule: RuleInfo) -> None:
    doc = load(rule)
    for section in ("Example", "Use instead"):
        code, runtime_only = doc.code_block(section)
        assert runtime_only
        compile(code, f"{rule.code}-{section}.py", "exec")


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_cli_rule_prints_the_doc(rule: RuleInfo) -> None:
    from loopcheck.cli import main

    result = CliRunner().invoke(main, ["rule", rule.code])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (DOCS / rule.doc_filename).read_text(encoding="utf-8").strip()


def test_readme_rule_table_matches_catalogue() -> None:
    readme = ROOT / "README.md"
    rows = [line for line in readme.read_text(encoding="utf-8").splitlines() if line.startswith("| LC")] \
        if readme.is_file() else []
    if not rows:
        pytest.skip("README has no rule table yet")
    table = {}
    for row in rows:
        cells = [c.strip().strip("`") for c in row.strip().strip("|").split("|")]
        table[cells[0]] = cells
    assert set(table) == set(BY_CODE)
    for code, cells in table.items():
        info = BY_CODE[code]
        assert info.name in cells[1], f"README row {code}: name {cells[1]!r} != {info.name!r}"
        assert info.severity.value in cells, f"README row {code}: severity {info.severity.value!r} missing"
