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
    # How the run ended early, when it did: {"reason", "at" (path:line)[, "unchecked_events"]}
    stopped: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def to_json(self) -> dict[str, Any]:
        data = {"findings": [f.to_dict() for f in self.findings], "summary": self.summary}
        if self.stopped:
            data["stopped"] = self.stopped
        return data

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
            parts.append(self._verdict())
        if self.stopped:
            parts.append(self.stopped_line())
        parts.append(text(self.summary))
        return "\n".join(parts)

    def stopped_line(self) -> str:
        """One line: the run was cut short, where, and what was left unchecked."""
        stop = self.stopped
        line = f"loopcheck: the run was {stop.get('reason', 'cut short')}"
        if stop.get("at"):
            line += f" at {stop['at']}"
        if stop.get("unchecked_events"):
            n = stop["unchecked_events"]
            line += (f"; the unfinished iteration ({n} event{'s' if n != 1 else ''} after the last "
                     "optimizer step) was not checked")
        return line

    def _verdict(self) -> str:
        """No finding: say so only where the rules could apply."""
        summary = self.summary
        if not summary:  # the report could not be built (an internal error, noted below)
            return "loopcheck: no problems seen while the loop ran"
        ran = any(model.get("forwards") for model in summary.get("models", {}).values())
        subprocesses = "training in subprocesses (mp.spawn, multiprocessing) is not seen"
        if not summary.get("optimizers"):
            if not ran:
                return f"loopcheck: nothing to check: no model ran and no optimizer was watched ({subprocesses})"
            return ("loopcheck: no problems seen in the forwards, but no optimizer was watched: "
                    "the training rules could not apply")
        if not summary.get("steps"):
            return (f"loopcheck: no problems seen, but no optimizer stepped in this process: the training "
                    f"rules could not apply ({subprocesses})")
        return "loopcheck: no problems seen while the loop ran"
