"""LC109 at runtime: softmax probabilities given to a loss that wants logits or log-probabilities.

`torch.nn.functional.cross_entropy` and `nll_loss` (which `nn.CrossEntropyLoss` and `nn.NLLLoss`
call through the module attribute) are wrapped while the watcher is active. A call looks at its
input's autograd node only: the node softmax leaves (`SoftmaxBackward0`), possibly behind views,
copies and dtype casts, means the input is probabilities. Nothing reads a tensor's values, so
nothing synchronises with the GPU; an input without a graph (under no_grad, or not derived from
parameters) is not judged, and a call from an installed package is that package's own choice.
"""
from __future__ import annotations

import sys
from types import FrameType
from typing import Any, Callable, Optional

import torch

from loopcheck.runtime.functional_wrappers import FunctionalWrapperCheck
from loopcheck.runtime.locate import installed
from loopcheck.runtime.loss_shapes import module_name
from loopcheck.runtime.patches import mirror
from loopcheck.static.idioms import LOGIT_LOSSES, SOFTMAX_NODES, VALUE_PRESERVING_NODES
from loopcheck.static.notes import PatternMatch

_LOOK_BACK = 4   # value-preserving nodes looked through between softmax and the loss
_SUSPECT = SOFTMAX_NODES | VALUE_PRESERVING_NODES   # the input's own node: anything else is not softmax's
_is_compiling = getattr(torch.compiler, "is_compiling", lambda: False)


def from_softmax(node: Any) -> bool:
    """Whether autograd node `node` (a tensor's grad_fn) is softmax's, possibly behind views,
    copies and casts: the tensor holds probabilities."""
    for _ in range(_LOOK_BACK + 1):
        if node is None:
            return False
        kind = type(node).__name__
        if kind in SOFTMAX_NODES:
            return True
        if kind not in VALUE_PRESERVING_NODES:
            return False
        node = node.next_functions[0][0] if node.next_functions else None
    return False


class SoftmaxLossCheck(FunctionalWrapperCheck):
    functions = LOGIT_LOSSES

    def wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        check, safe = self, self.safe

        def loss(*args: Any, **kwargs: Any) -> Any:
            # Under torch.compile the wrapper is traced: it only calls through (reading grad_fn
            # would break the graph).
            if check.active and not _is_compiling():
                given = args[0] if args else kwargs.get("input")
                if type(given) is torch.Tensor:
                    node = given.grad_fn
                    if node is not None and type(node).__name__ in _SUSPECT and from_softmax(node):
                        safe(check.probabilities, name, sys._getframe(1))
            return original(*args, **kwargs)

        return mirror(loss, original)

    def probabilities(self, name: str, caller: FrameType) -> None:
        """`name` got softmax output: a finding at the user's line, unless an installed package made the call."""
        frame: Optional[FrameType] = caller
        while frame is not None and self.obs.loc.is_internal(frame.f_code):
            frame = frame.f_back
        if frame is None or installed(frame.f_code.co_filename):
            return
        loc = self.obs.loc.location(frame)
        if loc not in self.found:
            subject = module_name(caller) or name
            self.found[loc] = PatternMatch("LC109", loc, subject, "softmax",
                                            evidence="its input's autograd graph ends in softmax")
