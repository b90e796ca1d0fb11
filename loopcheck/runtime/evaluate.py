"""Run the shared rules over what was recorded.

The stored stream is turned into an ordinary `Stream` (labels resolved, each event's
location tagged with its stored position) and handed to the very rule objects the static
checker uses. Each finding is then weighted by the multiplier of the event it was
reported on, so a finding on a folded iteration counts every repetition.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from loopcheck.events import Event, Kind, Stream
from loopcheck.findings import Finding, Location
from loopcheck.rules import STREAM_RULES, merge
from loopcheck.rules.source import RUNTIME_PATTERN_RULES
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.recorder import SeqLocation

_TOKEN = re.compile(r"\{([a-z]+:\d+)\}")
# How the watched run ended: ran to its end ("complete"), ran to its end with DataLoader
# iterations cut by --limit-batches ("cut"), or not ("early": stopped, interrupted, failed, or a
# report taken while the loop still runs).
RunEnd = Literal["complete", "cut", "early"]


def label_call(call: str, labels: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: labels.get(m.group(1), m.group(1)), call)


def _relabel(event: Event, labels: dict[str, str], location: Location) -> Event:
    facts = event.facts
    call = facts.get("call")
    if isinstance(call, str) and "{" in call:
        facts = dict(facts)
        facts["call"] = label_call(call, labels)
    label = labels.get(event.target, "") if event.target else ""
    return Event(event.kind, location, event.target, label, event.optimizers, event.guards, facts)


def _end_facts(obs: Observer, labels: dict[str, str], run_end: RunEnd) -> dict[str, Any]:
    obs.sample_unoptimized()
    facts: dict[str, Any] = {}
    if obs.amp is not None:
        facts.update(obs.amp.end_facts(labels, run_end != "early"))
    facts.update(obs.before_first_step.end_facts(obs, labels, run_end))
    unoptimized = [
        (labels.get(token, token), tuple(sorted(names)))
        for token, names in obs.unoptimized.items() if names
    ]
    if unoptimized:
        facts["params_not_in_optimizer"] = tuple(unoptimized)
    broadcasts = obs.loss_shapes.facts()
    if broadcasts:
        facts["loss_broadcasts"] = broadcasts
    never = obs.never_fed()
    if never:
        facts["params_without_grad"] = tuple(
            (token, labels.get(token, token), tuple(label_call(n, labels) for n in names))
            for token, names in never.items()
        )
    matches = [match for check in obs.pattern_checks for match in check.matches()]
    if matches:
        facts["pattern_matches"] = tuple(replace(m, subject=label_call(m.subject, labels)) for m in matches)
    return facts


def build(obs: Observer, end: Location, unfinished: bool = False,
          run_end: RunEnd = "early") -> tuple[Stream, list[int], list[Event], int]:
    """(stream, multiplier per event, the recorded event behind each stream event, events
    left out). With `unfinished` (the run was interrupted mid-iteration) the events after
    the last optimizer step are left out: their iteration never completed. Checks of the
    whole run (LC112 at exit, LC115) depend on `run_end`."""
    originals, mult = obs.rec.stored()
    left_out = 0
    if unfinished:
        keep = next((i + 1 for i in range(len(originals) - 1, -1, -1) if originals[i].kind is Kind.STEP), 0)
        left_out = sum(mult[keep:])
        originals, mult = originals[:keep], mult[:keep]
    labels = obs.labels.resolve()
    events = []
    for index, event in enumerate(originals):
        loc = event.location
        tagged = SeqLocation(loc.path, loc.line, loc.column, loc.end_line, loc.end_column, loc.cell, seq=index)
        events.append(_relabel(event, labels, tagged))
    end_loc = SeqLocation(end.path, end.line, end.column, end.end_line, end.end_column, end.cell, seq=len(events))
    events.append(Event(Kind.END, end_loc, facts=_end_facts(obs, labels, run_end)))
    return Stream(events, origin="runtime", path=end.path), mult + [1], originals, left_out


def findings(stream: Stream, mult: list[int]) -> list[Finding]:
    weighted = []
    # One rule object may be in both lists (LC601 reads the END event and words static matches).
    rules = list({id(rule): rule for rule in STREAM_RULES + RUNTIME_PATTERN_RULES}.values())
    for rule in rules:
        for finding in rule.check(stream):
            loc = finding.location
            seq = getattr(loc, "seq", -1)
            count = finding.count * (mult[seq] if 0 <= seq < len(mult) else 1)
            plain = Location(loc.path, loc.line, loc.column, loc.end_line, loc.end_column, loc.cell)
            weighted.append(Finding(finding.code, finding.name, finding.severity, finding.message,
                                    plain, finding.fix, count, finding.extra))
    return merge(weighted)
