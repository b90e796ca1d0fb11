"""Human names for watched objects: `optimizer`, `netG`, `self.model`.

Events identify objects by opaque tokens (`model:1`); messages should use the name the
user wrote. The name is looked up (by identity) among the variables of a user frame
that touches the object, a few times at most, and resolved when the report is built.
"""
from __future__ import annotations

import types
from typing import Any, Optional

_SKIP = {"self", "cls", "_", "__builtins__"}
_MAX_TRIES = 8


def _name_in(scope: dict[str, Any], obj: object) -> Optional[str]:
    for name, value in scope.items():
        if value is obj and name not in _SKIP and not name.startswith("__"):
            return name
    return None


def _attribute_name(scope: dict[str, Any], obj: object) -> Optional[str]:
    """`self.optimizer`, `trainer.model`: one attribute level below a local."""
    for name, value in scope.items():
        if isinstance(value, (types.ModuleType, type)) or value is obj:
            continue
        attrs = getattr(value, "__dict__", None)
        if not isinstance(attrs, dict):
            continue
        for attr, inner in attrs.items():
            if inner is obj:
                return f"{name}.{attr}"
        submodules = attrs.get("_modules")
        if isinstance(submodules, dict):
            for attr, inner in submodules.items():
                if inner is obj:
                    return f"{name}.{attr}"
    return None


def guess(obj: object, frame: Optional[types.FrameType]) -> Optional[str]:
    if frame is None:
        return None
    try:
        local_scope = frame.f_locals
        return (
            _name_in(local_scope, obj)
            or _attribute_name(local_scope, obj)
            or (_name_in(frame.f_globals, obj) if frame.f_globals is not local_scope else None)
        )
    except Exception:  # an exotic frame or mapping: the fallback name will do
        return None


class Labels:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}    # token -> "model" / "optimizer" / ...
        self.types: dict[str, str] = {}    # token -> class name
        self._tries: dict[str, int] = {}

    def register(self, token: str, kind: str, obj: object, frame: Optional[types.FrameType] = None) -> None:
        self.kinds[token] = kind
        self.types[token] = type(obj).__name__
        self._tries[token] = 0
        self.offer(token, obj, frame)

    def wants(self, token: str) -> bool:
        return token not in self.names and self._tries.get(token, _MAX_TRIES) < _MAX_TRIES

    def offer(self, token: str, obj: object, frame: Optional[types.FrameType]) -> None:
        if not self.wants(token):
            return
        self._tries[token] += 1
        name = guess(obj, frame)
        if name:
            self.names[token] = name

    def resolve(self) -> dict[str, str]:
        """token -> unique display name (a fallback such as `optimizer#2` when unknown)."""
        out: dict[str, str] = {}
        used: dict[str, int] = {}
        for token, kind in self.kinds.items():
            base = self.names.get(token) or kind
            used[base] = used.get(base, 0) + 1
            out[token] = base if used[base] == 1 else f"{base}#{used[base]}"
        return out
