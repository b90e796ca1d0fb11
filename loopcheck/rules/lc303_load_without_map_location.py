"""LC303 load-without-map-location: a checkpoint loaded onto the devices it was saved from."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class LoadWithoutMapLocation(PatternRule):
    code = "LC303"

    def message(self, match: PatternMatch) -> str:
        return ("torch.load() without map_location restores each tensor on the device it was saved from: "
                "this script falls back to the CPU, where a checkpoint saved on a GPU fails to load")

    def fix(self, match: PatternMatch) -> str:
        return "pass map_location=device (or map_location=\"cpu\" and move the model afterwards)"
