"""LC202: run the evaluation forward without building an autograd graph.

An evaluation function (one that never calls backward() or step()) gets `@torch.no_grad()`;
otherwise the outermost loop around the forward that does no training — or the statement itself
— is wrapped in `with torch.no_grad():`.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from loopcheck.findings import Finding
from loopcheck.fixes.imports import add_import_torch, torch_name
from loopcheck.fixes.tree import Tree, method_calls, replace

_TRAINING = ("backward", "step", "zero_grad")
_NO_GRAD = ("no_grad", "inference_mode", "enable_grad", "set_grad_enabled")


def fix(tree: Tree, finding: Finding) -> Optional[cst.Module]:
    statement = tree.statement_at(finding.line)
    if statement is None or _already_guarded(tree, statement):
        return None
    no_grad, needs_import = torch_name(tree.module, "no_grad")
    scope = tree.scope_of(statement)
    if isinstance(scope, cst.FunctionDef) and not any(method_calls(scope.body, _TRAINING)):
        decorator = cst.Decorator(decorator=cst.parse_expression(f"{no_grad}()"))
        module = replace(tree, scope, scope.with_changes(decorators=(*scope.decorators, decorator)))
    else:
        module = _wrap(tree, statement, no_grad)
        if module is None:
            return None
    return add_import_torch(module) if needs_import else module


def _wrap(tree: Tree, statement: cst.BaseStatement, no_grad: str) -> Optional[cst.Module]:
    target: cst.BaseStatement = statement
    for loop in tree.loops_around(statement):
        if not any(method_calls(loop, _TRAINING)):
            target = loop
            break
    if tree.block_of(target) is None:
        return None
    with_statement = cst.With(
        items=[cst.WithItem(item=cst.parse_expression(f"{no_grad}()"))],
        body=cst.IndentedBlock(body=[target.with_changes(leading_lines=())]),
        leading_lines=target.leading_lines,
    )
    return replace(tree, target, with_statement)


def _already_guarded(tree: Tree, statement: cst.CSTNode) -> bool:
    """Inside `with torch.no_grad():` or a function decorated with it: a second run changes nothing."""
    for ancestor in tree.ancestors(statement):
        if isinstance(ancestor, cst.With) and any(method_calls(item.item, _NO_GRAD) for item in ancestor.items):
            return True
        if isinstance(ancestor, cst.FunctionDef):
            if any(_names_no_grad(tree, d.decorator) for d in ancestor.decorators):
                return True
            break
    return False


def _names_no_grad(tree: Tree, decorator: cst.BaseExpression) -> bool:
    return any(name in tree.code(decorator) for name in _NO_GRAD)
