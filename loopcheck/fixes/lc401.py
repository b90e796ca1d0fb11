"""LC401: accumulate the loss's value, not the tensor with its graph.

`total += loss` becomes `total += loss.item()`, or `total += loss.detach()` when the accumulator
must stay a tensor (it is later used as one, e.g. `total.item()`, or it is a list being appended
to, which code like `torch.stack(losses)` expects to hold tensors).
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from loopcheck.findings import Finding
from loopcheck.fixes.tree import Tree, walk

_DONE = ("item", "detach", "tolist", "cpu", "numpy")


def fix(tree: Tree, finding: Finding) -> Optional[cst.Module]:
    statement = tree.statement_at(finding.line)
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        if isinstance(small, cst.AugAssign):
            method = _method_for(tree, small, tree.code(small.target))
            new_value = _released(small.value, method)
            return None if new_value is None else tree.module.deep_replace(small.value, new_value)
        if isinstance(small, cst.Assign) and isinstance(small.value, cst.BinaryOperation):
            target = tree.code(small.targets[0].target)
            operation = small.value
            side = operation.right if tree.code(operation.left) == target else (
                operation.left if tree.code(operation.right) == target else None)
            if side is None:
                continue
            new_value = _released(side, _method_for(tree, small, target))
            return None if new_value is None else tree.module.deep_replace(side, new_value)
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            if isinstance(call.func, cst.Attribute) and call.func.attr.value in ("append", "extend") and call.args:
                new_value = _released(call.args[0].value, "detach")
                return None if new_value is None else tree.module.deep_replace(call.args[0].value, new_value)
    return None


def _method_for(tree: Tree, node: cst.CSTNode, accumulator: str) -> str:
    """`item` when the accumulator is a plain number, `detach` when later code needs a tensor."""
    scope = tree.scope_of(node)
    for attribute in walk(scope, cst.Attribute):
        if tree.code(attribute.value) == accumulator:
            return "detach"      # `total.item()`, `total.backward()`...: keep it a tensor
    return "item"


def _released(value: cst.BaseExpression, method: str) -> Optional[cst.BaseExpression]:
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in _DONE:
        return None              # already released: nothing to do (idempotent)
    if not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and not value.lpar:
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.Call(func=cst.Attribute(value=value, attr=cst.Name(method)))
