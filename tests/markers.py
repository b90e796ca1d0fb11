"""Read `# expect: LC101` / `# expect-runtime: LC101` markers from fixture files."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
_MARKER = re.compile(r"(?<![\w-])(expect|expect-runtime):\s*((?:LC\d{3}[\s,]*)+)")


def expected(path: Path, kind: str = "expect") -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for marker, codes in _MARKER.findall(comment):
            if marker == kind:
                found.update((code, number) for code in re.findall(r"LC\d{3}", codes))
    return found


def fixture_files(group: str) -> list[Path]:
    return sorted((FIXTURES / group).glob("*.py"))
