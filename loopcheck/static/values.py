"""What the walker knows about a value: batch data not yet moved, autograd graph or none.

Each assigned name carries a `Value`; expressions combine the values of their parts.
Unknown stays unknown: only a value whose whole history is seen can make a rule fire.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from loopcheck.findings import Location


@dataclass(frozen=True)
class Value:
    tensor: bool = False
    raw: bool = False                 # batch data straight from a DataLoader, never moved
    graph: Optional[bool] = None      # True: has an autograd graph; False: surely none
    why_graphless: str = ""
    loss: bool = False                # produced by a loss function (or named like a loss)
    off_device: Optional[Location] = None   # created by a torch factory without device=
    # A whole batch as the loader yields it: it may be a dict-like object (transformers'
    # BatchEncoding) whose .to() works in place, so it is not surely a tensor.
    whole_batch: bool = False
    constant: bool = False            # a literal (`0.99`, `"mean"`): never carries a graph
    forward: bool = False             # a model's output: its elements and attributes (`logits, h =
                                      # model(x)`, `out.loss`) are tensors with the same graph
    items: Optional[tuple["Value", ...]] = None   # a tuple's elements (`return loss, acc`)
    # Forwards run under no_grad() whose output this value carries (walker.forward numbers them):
    # a DQN's target Q values, a teacher's pseudo-labels. A backward of such a value makes those
    # forwards part of training, not evaluations.
    no_grad_forwards: frozenset[int] = frozenset()

    def moved(self) -> "Value":
        return replace(self, raw=False, off_device=None)

    def part(self) -> "Value":
        """An element of this value (`batch[0]`, `x, y = batch`)."""
        return replace(self, whole_batch=False)

    def element(self) -> "Value":
        """What unpacking this value gives each target (`x, y = batch`, `logits, h = model(x)`):
        a part of a batch or of a model's output, anything else unknown."""
        if self.raw:
            return self.part()
        return replace(self, items=None) if self.forward else UNKNOWN


UNKNOWN = Value()
CONSTANT = Value(constant=True)


def combine(values: list[Value]) -> Value:
    """The value of an operation over `values` (arithmetic, torch.cat, tensor methods)."""
    known = [v for v in values if v.tensor]
    if not known:
        return UNKNOWN
    graphs = [v.graph for v in known]
    # A part whose value is unknown (an untracked name, a call we cannot see) may carry a
    # graph: the result is graphless only when every non-literal part surely is.
    unknown = any(not v.tensor and not v.constant for v in values)
    if any(g is True for g in graphs):
        graph: Optional[bool] = True
    elif all(g is False for g in graphs) and not unknown:
        graph = False
    else:
        graph = None
    why = next((v.why_graphless for v in known if v.why_graphless), "")
    off = next((v.off_device for v in known if v.off_device is not None), None)
    return Value(
        tensor=True,
        raw=any(v.raw for v in known),
        graph=graph,
        why_graphless=why if graph is False else "",
        loss=any(v.loss for v in known),
        off_device=off,
        no_grad_forwards=frozenset().union(*(v.no_grad_forwards for v in known)),
    )
