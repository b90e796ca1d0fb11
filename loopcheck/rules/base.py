"""The base of every rule: metadata from the catalogue, a check over one event stream."""
from __future__ import annotations

from typing import ClassVar, Iterator, Optional

from loopcheck.catalogue import RuleInfo, rule_info
from loopcheck.events import Event, Stream
from loopcheck.findings import Finding


class Rule:
    """Subclasses set `code` and implement `check`; they read events and their facts only."""

    code: ClassVar[str]

    @property
    def info(self) -> RuleInfo:
        return rule_info(self.code)

    def check(self, stream: Stream) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, event: Event, message: str, fix: Optional[str] = None) -> Finding:
        info = self.info
        return Finding(
            code=info.code,
            name=info.name,
            severity=info.severity,
            message=message,
            location=event.location,
            fix=fix,
        )
