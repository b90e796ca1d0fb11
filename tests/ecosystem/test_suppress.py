"""Suppression comments count only when they are real comments, never text inside a string."""
from __future__ import annotations

from loopcheck.checker import check_python
from loopcheck.suppress import comments, ignores_file
from tests.ecosystem.helpers import BUGGY


def codes(source: str) -> list[str]:
    return sorted(f.code for f in check_python(source, "train.py"))


def test_ignore_file_comment_silences_the_file() -> None:
    assert codes(BUGGY + "# loopcheck: ignore-file\n") == []
    assert codes(BUGGY + "x = 1  # loopcheck: ignore-file\n") == []


def test_ignore_file_inside_a_string_does_not() -> None:
    docstring = '"""Put `# loopcheck: ignore-file` in a file to skip it."""\n' + BUGGY
    assert codes(docstring) == ["LC101", "LC104", "LC401"]
    template = BUGGY + 'HEADER = "# loopcheck: ignore-file\\n"\nTEXT = """\n# loopcheck: ignore-file\n"""\n'
    assert codes(template) == ["LC101", "LC104", "LC401"]


def test_noqa_inside_a_string_on_the_line_does_not_suppress() -> None:
    quoted = BUGGY.replace("optimizer.step()", 'optimizer.step(); log("# noqa")')
    assert "LC101" in codes(quoted)
    commented = BUGGY.replace("optimizer.step()", 'optimizer.step()  # noqa: LC101')
    assert "LC101" not in codes(commented)


def test_source_that_does_not_tokenize_falls_back_to_comment_lines() -> None:
    broken = "x = (1,\n# loopcheck: ignore-file\n"
    assert comments(broken) == {2: "# loopcheck: ignore-file"}
    assert ignores_file(broken)
    assert not ignores_file('s = """\n# loopcheck: ignore-file\n"""\n')
