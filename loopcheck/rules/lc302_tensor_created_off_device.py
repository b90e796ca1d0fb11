"""LC302 tensor-created-off-device: a new tensor meets accelerator tensors from the CPU."""
from __future__ import annotations

from typing import Iterator

from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.static.notes import StaticNotes


class TensorCreatedOffDevice(Rule):
    code = "LC302"

    def check_notes(self, notes: StaticNotes) -> Iterator[Finding]:
        seen = set()
        for note in notes.off_device:
            if note.location in seen:
                continue
            seen.add(note.location)
            where = "forward()" if note.where == "forward" else "the training loop"
            device = "device=x.device, the device of an input x of forward()," if note.where == "forward" \
                else "device=device"
            yield self.finding(
                note.location,
                f"a tensor created in {where} without device= lives on the CPU and is then combined "
                f"with tensors on the accelerator ({note.call}): this fails on a GPU, or forces a copy "
                "every iteration",
                fix=f"create {note.call} with {device} (or use torch.zeros_like / x.new_zeros)",
            )
