"""loopcheck: a linter and debugger for PyTorch training loops.

Importing this package is cheap: neither libcst nor torch is imported until
the static checker or the runtime watcher is actually used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from loopcheck.findings import Finding, Severity

if TYPE_CHECKING:
    from loopcheck.runtime.watch import LoopError, watch

__all__ = ["Finding", "LoopError", "Severity", "__version__", "watch"]


def __getattr__(name: str) -> Any:
    # The runtime half imports torch; keep it out of `import loopcheck`.
    if name in ("watch", "LoopError"):
        from loopcheck.runtime import watch as _watch_module

        return getattr(_watch_module, name)
    raise AttributeError(f"module 'loopcheck' has no attribute {name!r}")
