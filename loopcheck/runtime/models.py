"""What the watcher needs to know about a watched root module, computed once.

Reading `.training` of a handful of cached Dropout/BatchNorm submodules on every forward
is cheap; walking `named_modules()` on every forward is not, so the walk happens here,
once per watched model. Submodules are held weakly.
"""
from __future__ import annotations

import weakref
from typing import Any, Optional

import torch
from torch import nn

_DROPOUT = (nn.modules.dropout._DropoutNd,)
_BATCHNORM = (nn.modules.batchnorm._BatchNorm,)


def _class_names(bases: tuple[type, ...]) -> frozenset[str]:
    out, todo = set(), list(bases)
    while todo:
        cls = todo.pop()
        out.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return frozenset(out)


# A scripted submodule is a RecursiveScriptModule that keeps its class name in `original_name`.
_DROPOUT_NAMES = _class_names(_DROPOUT)
_BATCHNORM_NAMES = _class_names(_BATCHNORM)


def is_compiled(module: nn.Module) -> bool:
    return hasattr(module, "_orig_mod") or getattr(module, "_compiled_call_impl", None) is not None


def is_scripted(module: nn.Module) -> bool:
    return isinstance(module, torch.jit.ScriptModule)


def _is_mode_layer(module: nn.Module, classes: tuple[type, ...], names: frozenset[str]) -> bool:
    if isinstance(module, classes):
        return True
    return is_scripted(module) and getattr(module, "original_name", None) in names


class ModelInfo:
    def __init__(self, module: nn.Module, token: str) -> None:
        self.token = token
        self.ref = weakref.ref(module)
        self.dropouts: list[tuple[str, weakref.ref]] = []
        self.batchnorms: list[tuple[str, weakref.ref]] = []
        self.submodule_ids: set[int] = set()
        for name, sub in module.named_modules():
            self.submodule_ids.add(id(sub))
            if _is_mode_layer(sub, _DROPOUT, _DROPOUT_NAMES):
                self.dropouts.append((_display(name, sub), weakref.ref(sub)))
            elif _is_mode_layer(sub, _BATCHNORM, _BATCHNORM_NAMES):
                self.batchnorms.append((_display(name, sub), weakref.ref(sub)))
        self.has_mode_layers = bool(self.dropouts or self.batchnorms)
        self._mode_layers = self.dropouts + self.batchnorms  # the order active() reports
        # FORWARD facts per tuple of active layers, with grad enabled / disabled (observer.py)
        self.facts_grad: dict[tuple[str, ...], tuple] = {}
        self.facts_no_grad: dict[tuple[str, ...], tuple] = {}
        params = list(module.parameters())
        self.param_ids: frozenset[int] = frozenset(map(id, params))
        devices = {p.device for p in params}
        # With parameters on several devices (model parallel) the input device is not
        # expected to match "the" parameter device: LC301 is not checked for such models.
        self.single_device = len(devices) == 1
        self._first_param: Optional[weakref.ref] = weakref.ref(params[0]) if params else None
        self.compiled = is_compiled(module)
        self.scripted = is_scripted(module)
        self.forwards = 0
        self.last_training: Optional[bool] = None
        self.ddp = hasattr(module, "require_backward_grad_sync") and hasattr(module, "no_sync")

    def param_device(self) -> Optional[torch.device]:
        ref = self._first_param
        param = ref() if ref is not None else None
        return None if param is None else param.device

    def active(self) -> tuple[str, ...]:
        """Dropout and BatchNorm submodules currently in train mode."""
        out = []  # a loop, not a comprehension: no function call on Python < 3.12
        for name, ref in self._mode_layers:
            m = ref()
            if m is not None and m.training:
                out.append(name)
        return tuple(out)

    def active_dropouts(self) -> tuple[str, ...]:
        return tuple(name for name, ref in self.dropouts if (m := ref()) is not None and m.training)

    def bn_versions(self) -> Optional[tuple[int, ...]]:
        """Version counters of the running statistics of BatchNorm layers that may update
        them (train mode, tracking stats); None when none may. `num_batches_tracked` is
        bumped by an in-place add in BatchNorm.forward, so it changes even on kernels whose
        schema does not declare the running-mean update."""
        if not self.batchnorms:
            return None
        out = []
        any_active = False
        for _name, ref in self.batchnorms:
            m = ref()
            tracked = getattr(m, "num_batches_tracked", None) if m is not None else None
            if m is not None and m.training and tracked is not None:
                any_active = True
                out.append(tracked._version)
            else:
                out.append(-1)
        return tuple(out) if any_active else None

    def bn_updated(self, before: tuple[int, ...]) -> tuple[str, ...]:
        names = []
        for (name, ref), version in zip(self.batchnorms, before):
            m = ref()
            if version < 0 or m is None:
                continue
            tracked = getattr(m, "num_batches_tracked", None)
            if tracked is not None and tracked._version != version:
                names.append(name)
        return tuple(names)


def _display(name: str, module: nn.Module) -> str:
    """`dropout`, `layer1.0.bn1`; positional names (`net.2`) get their type: `net.2 (Dropout)`."""
    if not name:
        return f"<root> ({type(module).__name__})"
    if name.rsplit(".", 1)[-1].isdigit():
        return f"{name} ({getattr(module, 'original_name', None) or type(module).__name__})"
    return name


def named_params(modules: dict[str, Any]) -> dict[int, str]:
    """id(parameter) -> "label.name" over the given {label: module} (reporting only)."""
    names: dict[int, str] = {}
    for label, module in modules.items():
        for name, param in module.named_parameters():
            names.setdefault(id(param), f"{label}.{name}")
    return names
