"""LC401 loss-kept-with-graph: accumulating loss tensors keeps every iteration's graph alive."""
from __future__ import annotations

import ast
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
                fix=hint(note.value),
            )


def hint(value: str) -> str:
    """Valid code: `loss / 4` becomes `(loss / 4).item()`, never `loss / 4.item()`."""
    try:
        node = ast.parse(value.strip(), mode="eval").body
    except SyntaxError:     # shortened in the message (`...`): no code to show
        return "accumulate a number instead: call .item() (or .detach()) on the accumulated value"
    receiver = value if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) else f"({value})"
    return f"accumulate a number instead: {receiver}.item() (or {receiver}.detach())"
