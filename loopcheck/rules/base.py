"""The base of every rule: metadata from the catalogue and a finding factory."""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator, Optional

from loopcheck.catalogue import RuleInfo, rule_info
from loopcheck.events import Stream
from loopcheck.findings import Finding, Location

if TYPE_CHECKING:
    from loopcheck.static.notes import StaticNotes


class Rule:
    """Stream rules implement `check` over events; static-only rules implement `check_notes`
    over the facts the static producer records. Neither knows how its input was made."""

    code: ClassVar[str]

    @property
    def info(self) -> RuleInfo:
        return rule_info(self.code)

    def check(self, stream: Stream) -> Iterator[Finding]:
        return iter(())

    def check_notes(self, notes: "StaticNotes") -> Iterator[Finding]:
        return iter(())

    def finding(self, at: "object", message: str, fix: Optional[str] = None) -> Finding:
        location: Location = at if isinstance(at, Location) else at.location  # type: ignore[attr-defined]
        info = self.info
        return Finding(code=info.code, name=info.name, severity=info.severity, message=message,
                       location=location, fix=fix)
