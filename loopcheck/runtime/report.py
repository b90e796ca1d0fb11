"""The watcher's report: findings in the static checker's format plus the behaviour summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loopcheck.events import Event
from loopcheck.findings import Finding, Severity


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    # The first and last recorded events (metadata only, labels resolved, facts["seq"] =
    # position in the run), for the HTML timeline.
    events: list[Event] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def to_json(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary}

    def to_html(self, path: Any) -> None:
        from loopcheck.runtime.html import write_html

        write_html(self, path)

    def __str__(self) -> str:
        from loopcheck.report.text import format_finding
        from loopcheck.runtime.summary import text

        parts = [format_finding(f) for f in self.findings]
        if self.findings:
            errors = len(self.errors)
            parts.append(f"loopcheck: {len(self.findings)} problem{'s' if len(self.findings) != 1 else ''} "
                         f"({errors} error{'s' if errors != 1 else ''}) seen while the loop ran")
        else:
            parts.append("loopcheck: no problems seen while the loop ran")
        parts.append(text(self.summary))
        return "\n".join(parts)
