"""Automatic fixes: libcst codemods keyed by a finding's code and location.

`--fix` applies the safe ones; `--fix --unsafe-fixes` also those that change behaviour on purpose
(`--unsafe-fixes` only widens what `--fix` and `--diff` do, as in ruff).
Each fixer receives the parsed tree and one finding and returns the edited module, or None when
it cannot see a clear fix (or the fix is already there: fixers are idempotent by themselves).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Optional

from loopcheck.findings import Finding


@dataclass(frozen=True)
class FixInfo:
    code: str
    module: str
    safe: bool
    summary: str


FIXES: dict[str, FixInfo] = {info.code: info for info in (
    FixInfo("LC101", "lc101", False, "insert optimizer.zero_grad() before the backward"),
    FixInfo("LC104", "lc104", True, "move scheduler.step() after the optimizer step"),
    FixInfo("LC202", "lc202", True, "add @torch.no_grad() / wrap the evaluation loop in torch.no_grad()"),
    FixInfo("LC203", "lc203", True, "insert model.train() at the top of the training phase"),
    FixInfo("LC401", "lc401", True, "accumulate loss.item() (or loss.detach()) instead of the tensor"),
)}


def fixable(code: str, unsafe: bool) -> bool:
    info = FIXES.get(code)
    return info is not None and (info.safe or unsafe)


def apply_one(source: str, finding: Finding) -> Optional[str]:
    """`source` with `finding` fixed, or None. The result always parses."""
    import libcst as cst

    from loopcheck.fixes.tree import Tree

    info = FIXES.get(finding.code)
    if info is None:
        return None
    fixer = importlib.import_module(f"loopcheck.fixes.{info.module}")
    try:
        tree = Tree(source)
        module = fixer.fix(tree, finding)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    if module is None:
        return None
    fixed = module.code
    try:
        cst.parse_module(fixed)      # never write a file that no longer parses
    except cst.ParserSyntaxError:
        return None
    return fixed if fixed != source else None
