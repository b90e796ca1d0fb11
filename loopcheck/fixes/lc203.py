"""LC203: put the model back in train mode at the top of the training phase.

The finding points at the training forward `model(x)`. `model.train()` goes:
- at the top of the epoch loop's body when the forward sits in nested loops (epoch > batch);
- at the top of the training function when it has a single loop (`def train_one_epoch(...)`);
- at the top of that single loop's body when the function already calls `model.train()` before
  it and the loop visibly can switch to eval (evaluation every N steps inside the loop).
"""
from __future__ import annotations

from typing import Optional, Union

import libcst as cst

from loopcheck.findings import Finding
from loopcheck.fixes.tree import Block, Tree, body_start, insert, is_call_statement, method_calls, statement, walk


def fix(tree: Tree, finding: Finding) -> Optional[cst.Module]:
    call = tree.call_at(finding.line, finding.column)
    forward = tree.statement_at(finding.line)
    if call is None or forward is None or _not_a_forward(call):
        return None
    model = tree.code(call.func)
    loops = tree.loops_around(forward)
    scope = tree.scope_of(forward)
    for block, index in _candidates(tree, forward, loops, scope, model):
        start = index if index is not None else body_start(block)
        if start < len(block.body) and is_call_statement(block.body[start], model, "train", tree):
            continue                                  # already there: idempotent
        return insert(tree, block, start, statement(f"{model}.train()"))
    return None


def _candidates(tree: Tree, forward: cst.BaseStatement, loops: list, scope: Union[cst.FunctionDef, cst.Module],
                model: str) -> list[tuple[Block, Optional[int]]]:
    if len(loops) >= 2:
        return [(loops[0].body, None)]
    if len(loops) == 1:
        loop = loops[0]
        if isinstance(scope, cst.FunctionDef) and not _trains_before(tree, scope, loop, model):
            return [(scope.body, None)]
        # train() already runs before the loop, so evaluation must happen inside it (every N
        # steps): restore train mode each iteration, if the loop visibly can switch to eval.
        return [(loop.body, None)] if _may_switch_to_eval(tree, loop, model) else []
    block = tree.block_of(forward)
    if block is None:
        return []
    return [(block, list(block.body).index(forward))]


def _may_switch_to_eval(tree: Tree, loop: cst.CSTNode, model: str) -> bool:
    for call in walk(loop, cst.Call):
        func = tree.code(call.func)
        if func == f"{model}.eval" or any(tree.code(arg.value) == model for arg in call.args):
            return True
        if model.startswith("self.") and func.startswith("self.") and func != model and not (
                isinstance(call.func, cst.Attribute) and call.func.attr.value in _TENSOR_METHODS):
            return True                      # a trainer's own method may evaluate self.model
    return False


def _trains_before(tree: Tree, scope: cst.FunctionDef, loop: cst.CSTNode, model: str) -> bool:
    body = scope.body
    top = tree.top_statement_in(body, loop) if isinstance(body, cst.IndentedBlock) else None
    if top is None:
        return False
    for statement_ in body.body:
        if statement_ is top:
            return False
        if any(tree.code(c.func) == f"{model}.train" for c in method_calls(statement_, ("train",))):
            return True
    return False


_TENSOR_METHODS = frozenset({"to", "cuda", "cpu", "item", "detach", "view", "reshape", "size", "argmax", "sum",
                             "mean", "backward", "step", "zero_grad", "append", "float", "long", "train", "eval"})


def _not_a_forward(call: cst.Call) -> bool:
    """`x.to(device)` on the reported line is not the model call (a stale or approximate position)."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in _TENSOR_METHODS
