"""LC304 to-result-discarded: `x.to(device)` on a tensor as a statement moves nothing."""
from __future__ import annotations

from typing import Iterator

from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.static.notes import StaticNotes


class ToResultDiscarded(Rule):
    code = "LC304"

    def check_notes(self, notes: StaticNotes) -> Iterator[Finding]:
        for note in notes.discarded_moves:
            yield self.finding(
                note.location,
                f"`{note.call}` returns a moved copy that is thrown away: Tensor.to() is not in-place "
                f"(only Module.to() is), so {note.tensor} stays where it was",
                fix=f"assign the result: {note.tensor} = {note.call}",
            )
