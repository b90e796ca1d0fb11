"""LC301 batch-not-on-device: batch tensors reach a model on an accelerator without being moved."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


class BatchNotOnDevice(Rule):
    code = "LC301"

    def check(self, stream: Stream) -> Iterator[Finding]:
        for event in stream.events:
            if event.kind not in (Kind.FORWARD, Kind.DATA):
                continue
            unmoved = event.facts.get("unmoved_inputs")
            if not unmoved:
                continue
            names = ", ".join(unmoved)
            device = event.facts.get("device", "the accelerator")
            callee = event.label or event.facts.get("callee", "the model")
            # The script's own device expression when the analysis saw it (`model.to(dev)`);
            # else a placeholder that is still valid code.
            code = event.facts.get("device_code") or "device"
            yield self.finding(
                event,
                f"{names} reach{'es' if len(unmoved) == 1 else ''} {callee} without being moved to "
                f"{device}, where the model's parameters are: this fails on an accelerator, or the "
                "batch silently stays on the CPU",
                fix=f"move the batch first: {move(unmoved[0], code)}",
            )


def move(name: str, device: str) -> str:
    """The statement that moves `name`: `**batch` and `*inputs` are unpacked containers."""
    if name.startswith("**"):
        return f"{name[2:]} = {{k: v.to({device}) for k, v in {name[2:]}.items()}}"
    if name.startswith("*"):
        return f"{name[1:]} = [t.to({device}) for t in {name[1:]}]"
    return f"{name} = {name}.to({device})"
