"""The base of the pattern rules: each reads the matches of its code that loopcheck.static.patterns
recorded and words them; the decision itself is made there, where the syntax is."""
from __future__ import annotations

from typing import Iterator, Optional

from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.static.notes import PatternMatch, StaticNotes


class PatternRule(Rule):
    def check_notes(self, notes: StaticNotes) -> Iterator[Finding]:
        for match in notes.patterns:
            if match.code == self.code:
                yield self.finding(match.location, self.message(match), self.fix(match))

    def message(self, match: PatternMatch) -> str:
        raise NotImplementedError

    def fix(self, match: PatternMatch) -> Optional[str]:
        return None
