"""The base of the runtime pattern checks that wrap functions of `torch.nn.functional` while the
watcher is active (LC109's losses, LC113's dropouts): the loss and dropout modules call them
through the module attribute, so one patch there sees both `F.f(...)` and `nn.F()(...)`.

A subclass names the functions (`functions`), may refuse one (`original` returns None), and
builds each wrapper (`wrap`); its matches go into `found`, one per user line."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from torch.nn import functional

from loopcheck.findings import Location
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches
from loopcheck.static.notes import PatternMatch


class FunctionalWrapperCheck:
    functions: Iterable[str] = ()

    def __init__(self, obs: Observer, safe: Callable[..., Any]) -> None:
        self.obs = obs
        self.safe = safe
        self.active = False
        self.found: dict[Location, PatternMatch] = {}

    def install(self, patches: Patches) -> "FunctionalWrapperCheck":
        self.active = True
        patches.handle(self)  # remove(): a wrapper bound during the run by `from ... import f` goes quiet
        for name in sorted(self.functions):
            original = self.original(name)
            if original is not None:
                patches.set_attr(functional, name, self.wrap(name, original))
        return self

    def remove(self) -> None:
        self.active = False

    def original(self, name: str) -> Optional[Callable[..., Any]]:
        function = getattr(functional, name, None)
        return function if callable(function) else None

    def wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        raise NotImplementedError

    def matches(self) -> list[PatternMatch]:
        return list(self.found.values())
