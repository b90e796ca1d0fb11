"""Conditions that choose between the accelerator and the CPU: `if use_cuda:`,
`if torch.cuda.is_available():`, `if not args.gpu:`, `if device == "cpu":`.

Code often has both versions of a line, one per arm (`x.cuda()` in one, `x` in the other): what the
CPU arm creates meets only CPU tensors, so it is no evidence of a device mismatch.
"""
from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

from loopcheck.static.idioms import CUDA_WORDS
from loopcheck.static.names import children, names_in


def mentions_accelerator(test: cst.BaseExpression) -> bool:
    texts = list(names_in(test)) + [s.value for s in _strings(test)]
    return any(word in text.lower() for text in texts for word in CUDA_WORDS)


def cpu_only_arm(test: cst.BaseExpression) -> Optional[str]:
    """"body" or "orelse": the arm of `if test:` that runs only without an accelerator; None when
    the test is not (only) a device choice."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = cpu_only_arm(test.expression)
        return None if inner is None else ("orelse" if inner == "body" else "body")
    if isinstance(test, cst.Comparison):
        if len(test.comparisons) != 1:
            return None
        target = test.comparisons[0]
        words = {s.value.strip("'\"").lower() for s in _strings(target.comparator)}
        equal = isinstance(target.operator, (cst.Equal, cst.Is))
        if not equal and not isinstance(target.operator, (cst.NotEqual, cst.IsNot)):
            return None
        if words == {"cpu"}:
            return "body" if equal else "orelse"
        if words and words <= {"cuda", "gpu", "mps"}:
            return "orelse" if equal else "body"
        return None
    if isinstance(test, (cst.Name, cst.Attribute, cst.Call)) and mentions_accelerator(test):
        return "orelse"
    return None


def _strings(node: cst.CSTNode) -> Iterator[cst.SimpleString]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.SimpleString):
            yield current
        stack.extend(children(current))
