"""What the pattern pass (loopcheck.static.patterns) records of a scope, in source order: calls
with where they sit, assignments and returns. Plain records over libcst nodes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

import libcst as cst

ModuleScope = Union[cst.Module, cst.FunctionDef]


@dataclass
class Site:
    """A call and where it sits."""
    node: cst.Call
    name: str                     # `F.softmax` resolved through imports: `torch.nn.functional.softmax`
    leaf: str                     # method or function name
    receiver: Optional[str]       # `scaler` in `scaler.step(opt)`
    scope: ModuleScope
    cls: Optional[str]
    loops: tuple[cst.CSTNode, ...]   # enclosing loops in this scope, outermost first
    conditions: tuple[cst.BaseExpression, ...]   # tests of the `if`s between the innermost loop and the call
    cuda_guarded: bool            # inside the body of an `if` that tests for CUDA
    training_guarded: bool        # inside the body of an `if` (or `x if ... else`) that tests self.training
    # The `if` bodies and `else` blocks of its scope around the call: an assignment in a block
    # the call is not in may not have run before it.
    branches: frozenset[tuple[int, str]] = frozenset()


@dataclass
class Assignment:
    targets: tuple[str, ...]
    value: Optional[cst.BaseExpression]   # None: bound by unpacking, a for target, `+=`
    branches: frozenset[tuple[int, str]] = frozenset()   # the `if`/`else` blocks around it (see Site)
    # Unpacking (`x, y = batch`, `for x, y in loader`): the target as written, what is
    # unpacked, and whether that is iterated (a for target) rather than assigned.
    pattern: Optional[cst.BaseExpression] = None
    source: Optional[cst.BaseExpression] = None
    iterated: bool = False


@dataclass
class Return:
    value: Optional[cst.BaseExpression]
    branches: frozenset[tuple[int, str]] = frozenset()   # as for Site


Step = Union[Site, Assignment, Return]
