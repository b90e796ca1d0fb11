"""The files one --fix or --diff run edits, and their texts until they are written.

A finding that the analysis of a checked file reaches in a file it imports (cross-file analysis)
is fixed in that file when the run checks it too, as ruff fixes each file it checks, and when the
finding is selected there (that file's configuration). A file the run does not check is never
edited. Edited texts stay in memory, where the analysis reads them in place of the files, until
every file has been fixed: then each is written once, or shown as one diff.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Optional

from loopcheck.checker import Settings, file_of
from loopcheck.files import Target, UnreadableFile
from loopcheck.findings import Finding
from loopcheck.fixes.scope import key
from loopcheck.fixes.writer import Snapshot, read_snapshot
from loopcheck.rules import select


class Edits:
    def __init__(self, checked: "list[Target]", settings_of: Callable[[Target], Settings]) -> None:
        self.checked = {key(target.path): target for target in checked}
        self.settings_of = settings_of
        self.snapshots: dict[Path, Snapshot] = {}
        self.texts: dict[Path, str] = {}
        self.crossed = False          # a fix edited a file other than the one being fixed

    def text(self, path: Path) -> str:
        """The file's text as this run has it (read once; raises UnreadableFile or OSError)."""
        if path not in self.texts:
            snapshot = read_snapshot(path, self.checked[path].display)
            self.snapshots[path] = snapshot
            self.texts[path] = snapshot.text
        return self.texts[path]

    def editable(self, finding: Finding, display: str, file: str) -> Optional[Path]:
        """The file of a finding in another file, when this run may fix it there."""
        path = key(file_of(finding.path, display, file))
        target = self.checked.get(path)
        if target is None:
            return None
        theirs = self.settings_of(target)
        if not select([finding], theirs.select, theirs.ignore):
            return None
        try:
            self.text(path)
        except (UnreadableFile, OSError):
            return None
        return path

    def edit(self, path: Path, text: str) -> None:
        """A fix made in another file than the one being fixed."""
        self.texts[path] = text
        self.crossed = True

    def keep(self, path: Path, text: str) -> None:
        """A checked file's text once its own fixes are made; an unchanged one is let go (a run over
        a large tree would otherwise hold every file), and read again if another fix needs it."""
        if text == self.snapshots[path].text:
            del self.texts[path], self.snapshots[path]
        else:
            self.texts[path] = text

    def changed(self) -> Iterator[tuple[Path, Snapshot, str]]:
        for path, text in self.texts.items():
            if text != self.snapshots[path].text:
                yield path, self.snapshots[path], text
