"""LC104: step the LR scheduler after the optimizer.

- Per batch (`scheduler.step()` before `optimizer.step()` in the same block): the scheduler line
  moves to just after the optimizer step (and after a following `scaler.update()`).
- Per epoch (`scheduler.step()` at the top of the epoch, before the training that steps the
  optimizer): it moves to the end of the epoch loop's body, before a trailing break/continue/return.
The moved line keeps its comments; blank lines stay where they were.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from loopcheck.findings import Finding
from loopcheck.fixes.tree import Tree, method_calls, receiver, replace, with_body

_EXITS = (cst.Break, cst.Continue, cst.Return, cst.Raise)


def fix(tree: Tree, finding: Finding) -> Optional[cst.Module]:
    moved = tree.statement_at(finding.line)
    if not isinstance(moved, cst.SimpleStatementLine):
        return None
    block = tree.block_of(moved)
    if not isinstance(block, cst.IndentedBlock) or not isinstance(tree.parents.get(block), (cst.For, cst.While)):
        return None
    scheduler = _stepped(tree, moved)
    if scheduler is None:
        return None
    body = list(block.body)
    index = body.index(moved)
    later = body[index + 1:]
    if any(_steps_optimizer(tree, s, scheduler) for s in body[:index]) and not any(
            _steps_optimizer(tree, s, scheduler) for s in later):
        return None                                       # already after the optimizer step
    anchor = next((i for i, s in enumerate(later) if _steps_optimizer(tree, s, scheduler)), None)
    if anchor is not None and isinstance(later[anchor], cst.SimpleStatementLine):
        after = anchor + 1
        while after < len(later) and any(method_calls(later[after], ("update",))) and \
                "scaler" in tree.code(later[after]).lower():
            after += 1
    else:
        after = len(later)
        while after > 0 and _is_exit(later[after - 1]):
            after -= 1
        if after == 0:
            return None                                   # nothing to move past: leave it alone
    blank = tuple(line for line in moved.leading_lines if line.comment is None)
    kept_comments = tuple(line for line in moved.leading_lines if line.comment is not None)
    rest = list(later)
    if rest and blank:
        rest[0] = rest[0].with_changes(leading_lines=(*blank, *rest[0].leading_lines))
    rest.insert(after, moved.with_changes(leading_lines=kept_comments))
    return replace(tree, block, with_body(block, [*body[:index], *rest]))


def _stepped(tree: Tree, statement: cst.SimpleStatementLine) -> Optional[str]:
    calls = list(method_calls(statement, ("step",)))
    target = receiver(calls[0]) if calls else None
    return tree.code(target) if target is not None else None


def _steps_optimizer(tree: Tree, statement: cst.BaseStatement, scheduler: str) -> bool:
    for call in method_calls(statement, ("step",)):
        target = receiver(call)
        if target is not None and tree.code(target) != scheduler and "sched" not in tree.code(target).lower():
            return True
    return False


def _is_exit(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, _EXITS) for s in statement.body)
