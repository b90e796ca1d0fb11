"""LC601 at runtime: regression losses whose input and target broadcast into a bigger shape.

While the watcher is installed, the elementwise losses of `torch.nn.functional` (which
`nn.MSELoss` and the other loss modules call through the module attribute) are wrapped. A
call compares `input.shape` with `target.shape` (metadata only, no device sync); only when
they differ does it compute the broadcast shape, and a call whose broadcast shape differs
from both shapes ((N, 1) against (N,) gives (N, N)) is counted at the user's line.

Broadcasts to one of the two shapes are left alone: a scalar or shared target
(`mse_loss(x, torch.zeros(()))`) or a single fitted constant compared with every target.

torch's own "Using a target size ... different to the input size" UserWarning for a call
counted here is not displayed (the report carries it, with a fix); the warning still goes
through the warning filters, so `-W error` raises as before and `catch_warnings(record=True)`
still records it.
"""
from __future__ import annotations

import itertools
import os
import sys
import warnings
from types import FrameType
from typing import Any, Callable, Optional

import torch
import torch.nn.functional as F

from loopcheck.findings import Location
from loopcheck.runtime.labels import from_source
from loopcheck.runtime.locate import Locator
from loopcheck.runtime.patches import Patches, mirror
from loopcheck.static.idioms import BROADCASTING_LOSSES

Shape = tuple[int, ...]
_Size = torch.Size
_TORCH_WARNING = "Using a target size ("
_LOSS_MODULES = os.path.join("nn", "modules", "loss.py")
_is_compiling = getattr(torch.compiler, "is_compiling", lambda: False)   # torch >= 2.3


def broadcast(a: Shape, b: Shape) -> Optional[Shape]:
    """numpy/torch broadcasting of two shapes; None when they cannot broadcast."""
    out = []
    for x, y in itertools.zip_longest(reversed(a), reversed(b), fillvalue=1):
        if x != y and x != 1 and y != 1:
            return None
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def module_name(caller: FrameType) -> Optional[str]:
    """`MSELoss` when the loss function was called by the forward() of torch's loss module:
    the user wrote `criterion(pred, target)`, not `F.mse_loss`."""
    if caller.f_code.co_name != "forward" or not caller.f_code.co_filename.endswith(_LOSS_MODULES):
        return None
    module = caller.f_locals.get("self")
    return type(module).__name__ if isinstance(module, torch.nn.Module) else None


class LossShapes:
    """The calls of broadcasting losses seen during the run, per user site."""

    def __init__(self, locator: Locator) -> None:
        self._loc = locator
        # site -> [loss, input shape, target shape, broadcast shape (as first seen), calls]
        self.sites: dict[Location, list[Any]] = {}
        self._hiding = 0   # > 0 while a counted call runs: its torch warning is not displayed
        # False once the watcher is removed: a wrapper bound to a name during the run
        # (`from torch.nn.functional import mse_loss` in a script) then only calls through.
        self._active = False

    def install(self, patches: Patches, on_error: Callable[[BaseException], None]) -> None:
        self._active = True
        patches.handle(self)
        for name in BROADCASTING_LOSSES:
            original = getattr(F, name, None)
            if callable(original):
                patches.set_attr(F, name, self._wrap(name, original, on_error))
        shown = warnings.showwarning

        def showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                        line: Any = None) -> None:
            if self._hiding and str(message).startswith(_TORCH_WARNING):
                return
            shown(message, category, filename, lineno, file, line)

        patches.set_attr(warnings, "showwarning", showwarning)

    def remove(self) -> None:
        """Undone with the watcher's other patches (Patches.handle)."""
        self._active = False

    def _wrap(self, name: str, original: Callable[..., Any], on_error: Callable[[BaseException], None]
              ) -> Callable[..., Any]:
        is_compiling = _is_compiling

        def loss(*args: Any, **kwargs: Any) -> Any:
            given = args[0] if args else kwargs.get("input")
            target = args[1] if len(args) > 1 else kwargs.get("target")
            # Under torch.compile the wrapper is traced: comparing symbolic shapes would add
            # guards, so it only calls through. An fx Proxy's shape is a Proxy, which cannot be
            # branched on: the type checks come before the comparison.
            if not self._active or is_compiling():
                return original(*args, **kwargs)
            a, b = getattr(given, "shape", None), getattr(target, "shape", None)
            if type(a) is not _Size or type(b) is not _Size or a == b:
                return original(*args, **kwargs)
            try:
                counted = self._count(name, tuple(a), tuple(b))
            except Exception as exc:  # never break the user's loop
                on_error(exc)
                counted = False
            if not counted:
                return original(*args, **kwargs)
            self._hiding += 1
            try:
                return original(*args, **kwargs)
            finally:
                self._hiding -= 1

        return mirror(loss, original)

    def _count(self, name: str, given: Shape, target: Shape) -> bool:
        shape = broadcast(given, target)
        if shape is None or shape == given or shape == target:
            return False
        site = self._loc.here(3)   # this method, the wrapper, its caller
        seen = self.sites.get(site)
        if seen is None:
            self.sites[site] = [module_name(sys._getframe(2)) or name, given, target, shape, 1]
        else:
            seen[4] += 1
        return True

    def facts(self) -> tuple[tuple, ...]:
        """Per site, for the END event: (site, loss, input shape, target shape, broadcast shape,
        calls, the two arguments as written (names, or None for an expression))."""
        return tuple((site, *seen, tuple(from_source(site, "args") or ())[:2]) for site, seen in self.sites.items())
