"""The base of the pattern rules: each reads the matches of its code that loopcheck.static.patterns
recorded and words them; the decision itself is made there, where the syntax is.

A pattern rule with a runtime counterpart (`runtime=True` in the catalogue) also reads the matches
the watcher observed, which it attaches to the END event (facts["pattern_matches"]), with what it
saw as the match's `evidence`."""
from __future__ import annotations

from typing import Iterator, Optional

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.static.notes import PatternMatch, StaticNotes


class PatternRule(Rule):
    def check_notes(self, notes: StaticNotes) -> Iterator[Finding]:
        for match in notes.patterns:
            if match.code == self.code:
                yield self.finding(match.location, self.message(match), self.fix(match))

    def check(self, stream: Stream) -> Iterator[Finding]:
        end = stream.events[-1] if stream.events else None
        if end is None or end.kind is not Kind.END:
            return
        for match in end.facts.get("pattern_matches", ()):
            if match.code == self.code:
                message = self.message(match)
                if match.evidence:
                    message = f"{message} (seen at runtime: {match.evidence})"
                yield self.finding(match.location, message, self.fix(match))

    def message(self, match: PatternMatch) -> str:
        raise NotImplementedError

    def fix(self, match: PatternMatch) -> Optional[str]:
        return None
