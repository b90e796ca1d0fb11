"""Facts the static producer records for the static-only rules (LC302, LC304, LC401, and the
pattern rules of loopcheck.static.patterns).

Plain data: the rules that read these never see libcst nodes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loopcheck.findings import Location


@dataclass(frozen=True)
class DiscardedMove:
    location: Location
    tensor: str       # `inputs` in `inputs.to(device)`
    call: str         # the whole statement text


@dataclass(frozen=True)
class Accumulation:
    location: Location
    accumulator: str  # `total_loss`
    value: str        # `loss`
    append: bool      # `losses.append(loss)` rather than `+=`


@dataclass(frozen=True)
class OffDeviceTensor:
    location: Location
    call: str         # `torch.zeros(n)`
    where: str        # "loop" or "forward"


@dataclass(frozen=True)
class PatternMatch:
    code: str         # the pattern rule that matched
    location: Location
    subject: str      # the object at fault: `scaler`, `scheduler`, `CrossEntropyLoss`
    detail: str = ""  # what the rule's message names besides: the clip function, the scheduler class
    evidence: str = ""  # runtime: what was observed (`it stepped 4 times in one epoch, step_size=1`)


@dataclass
class StaticNotes:
    discarded_moves: list[DiscardedMove] = field(default_factory=list)
    accumulations: list[Accumulation] = field(default_factory=list)
    off_device: list[OffDeviceTensor] = field(default_factory=list)
    backwarded: set[str] = field(default_factory=set)   # names whose value reaches a backward()
    patterns: list[PatternMatch] = field(default_factory=list)
