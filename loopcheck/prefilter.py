"""A cheap test on a file's raw text: can any rule fire here at all?

Every rule needs one of a few words in the source: an optimizer step or a backward (LC1xx, LC401,
LC5xx), a mode switch, a gradient context or a forward (LC2xx), a device move (LC3xx), a loader or
sampler, a checkpoint load, softmax or dropout (the pattern rules). A file that contains none of
these words (case-insensitive, anywhere: code, strings and comments alike, so the test errs on the
side of analysing) has no finding, and its full analysis is skipped. The accuracy corpus, its
mutants, the fixtures and every rule's test cases check that the skip never changes a finding.
"""
from __future__ import annotations

import re

ANCHORS = ("backward", "step", "grad", "optim", "train", "eval", "forward", "loss", "device", "cuda",
           "to(", "load", "sampler", "softmax", "dropout", "inference")
_ANCHOR = re.compile("|".join(re.escape(word) for word in ANCHORS), re.IGNORECASE)


def may_have_findings(source: str) -> bool:
    return _ANCHOR.search(source) is not None
