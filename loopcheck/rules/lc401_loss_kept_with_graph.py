"""LC401 loss-kept-with-graph: accumulating loss tensors keeps every iteration's graph alive."""
from __future__ import annotations

from typing import Iterator

from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.static.notes import StaticNotes


class LossKeptWithGraph(Rule):
    """Silent when the accumulated value is itself backpropagated (several losses, one step)."""

    code = "LC401"

    def check_notes(self, notes: StaticNotes) -> Iterator[Finding]:
        seen = set()
        for note in notes.accumulations:
            if note.accumulator in notes.backwarded or note.location in seen:
                continue
            seen.add(note.location)
            how = f"{note.accumulator}.append({note.value})" if note.append else f"{note.accumulator} += {note.value}"
            yield self.finding(
                note.location,
                f"`{how}` keeps the autograd graph of every iteration alive: memory grows each step "
                "and the graphs are never freed",
                fix=f"accumulate a number instead: {note.value}.item() (or {note.value}.detach())",
            )
