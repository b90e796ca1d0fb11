"""LC101 (unsafe): clear the gradients in every iteration, right before the backward pass.

Unsafe because it changes what the step applies: code that accumulates on purpose without
clearing (rare, and then usually a bug) would change behaviour.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from loopcheck.findings import Finding
from loopcheck.fixes.tree import Tree, insert, is_call_statement, method_calls, receiver, statement

_BACKWARD = ("backward",)


def fix(tree: Tree, finding: Finding) -> Optional[cst.Module]:
    step_statement = tree.statement_at(finding.line)
    step = tree.call_at(finding.line, finding.column)
    if step_statement is None or step is None:
        return None
    optimizer = _optimizer(tree, step)
    loops = tree.loops_around(step_statement)
    if optimizer is None or not loops:
        return None
    block = loops[-1].body
    if not isinstance(block, cst.IndentedBlock):
        return None
    body = list(block.body)
    index = next((i for i, s in enumerate(body) if any(method_calls(s, _BACKWARD))), 0)
    if index > 0 and is_call_statement(body[index - 1], optimizer, "zero_grad", tree):
        return None                                   # already cleared there: idempotent
    return insert(tree, block, index, statement(f"{optimizer}.zero_grad()"))


def _optimizer(tree: Tree, step: cst.Call) -> Optional[str]:
    """`optimizer.step()` -> optimizer; `scaler.step(optimizer)` -> optimizer."""
    if not isinstance(step.func, cst.Attribute) or step.func.attr.value != "step":
        step = next(iter(method_calls(step, ("step",))), None)  # the finding may point at the statement
        if step is None:
            return None
    target = receiver(step)
    if target is None:
        return None
    if step.args and not step.args[0].keyword and "scaler" in tree.code(target).lower():
        return tree.code(step.args[0].value)
    return tree.code(target)
