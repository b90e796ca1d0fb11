"""LC113 at runtime: functional dropout left on (its `training=True` default) in a module in eval mode.

`torch.nn.functional.dropout` (and the other functional dropouts whose `training` defaults to
True) is replaced in its module while the watcher is active. `nn.Dropout` and correct code pass
`training` explicitly and go straight through (one Python frame); only a call that leaves it
out with p > 0 looks at its caller: a method of a module of a watched model that is in eval
mode (`module.training is False`) has dropout on during evaluation. The caller's frame must be
the user's own code: torch's internal calls (attention) and installed packages are not the
user's line. Only `.training` and the Python number `p` are read, never a tensor.
"""
from __future__ import annotations

import functools
import inspect
import sys
from types import FrameType
from typing import Any, Callable, Optional

import torch
from torch import nn
from torch.nn import functional

from loopcheck.runtime.functional_wrappers import FunctionalWrapperCheck
from loopcheck.runtime.locate import installed
from loopcheck.runtime.observer import _first_arg
from loopcheck.static.idioms import FUNCTIONAL_DROPOUTS
from loopcheck.static.notes import PatternMatch

_SIGNATURE = ["input", "p", "training", "inplace"]
_UNSET: Any = object()
_is_compiling = getattr(torch.compiler, "is_compiling", lambda: False)


def _always_on(name: str) -> Optional[Callable[..., Any]]:
    """The functional dropout `name` when its `training` defaults to True (dropout, dropout1d/2d/3d;
    alpha_dropout's default is False) and its signature is the one the wrapper mirrors."""
    function = getattr(functional, name, None)
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return None
    if list(parameters) != _SIGNATURE or parameters["training"].default is not True:
        return None
    return function


class FunctionalDropoutCheck(FunctionalWrapperCheck):
    functions = FUNCTIONAL_DROPOUTS

    def original(self, name: str) -> Optional[Callable[..., Any]]:
        return _always_on(name)

    def wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        check, safe = self, self.safe

        def dropout(input: Any, p: Any = 0.5, training: Any = _UNSET, inplace: bool = False) -> Any:
            if training is _UNSET:
                training = True
                if check.active and isinstance(p, (float, int)) and p > 0 and not _is_compiling():
                    safe(check.defaulted, name, sys._getframe(1))
            return original(input, p, training, inplace)

        # The original's name and module (FX graphs, pickling by name); TorchScript compiles the
        # original (it would compile the original's source, found through __wrapped__, against
        # this wrapper's globals).
        functools.update_wrapper(dropout, original)
        dropout.__prepare_scriptable__ = lambda: original  # type: ignore[attr-defined]
        return dropout

    def defaulted(self, name: str, caller: FrameType) -> None:
        """`F.<name>(x, p)` ran with dropout on: a finding when `caller` is a method of a watched
        model's module in eval mode."""
        code = caller.f_code
        if self.obs.loc.is_internal(code) or installed(code.co_filename):
            return
        module = _first_arg(caller)
        if not isinstance(module, nn.Module) or module.training:
            return
        if not self.obs._covered(module):   # a watched model or one of its submodules
            return
        loc = self.obs.loc.location(caller)
        if loc not in self.found:
            self.found[loc] = PatternMatch(
                "LC113", loc, name, name,
                evidence=f"it ran in {type(module).__name__}.{code.co_name}() in eval mode")
