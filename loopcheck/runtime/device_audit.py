"""--device-audit: catch LC301 on machines where every tensor is on the CPU anyway.

On a CPU-only machine `model.to(device)` and `batch.to(device)` are both no-ops, so a
forgotten `batch.to(device)` is invisible until the script first runs on a GPU. The audit
records *explicit moves* instead of devices: `Module.to/cuda` and `Tensor.to/cuda` are
patched while it is active, and each DataLoader batch is remembered. When a batch tensor
that was never moved reaches a module whose parameters were explicitly moved, the forward
gets ``unmoved_inputs``/``device`` facts, which rule LC301 reports.

Only identities are kept, through weak references (`_IdSet`): the audit never keeps a
tensor or module alive and never writes attributes onto them (attributes would end up in
checkpoints saved during the run).
"""
from __future__ import annotations

import os
import sys
import weakref
from typing import Any, Callable, Iterator, Optional

import torch
from torch import nn
from torch.utils.data import DataLoader

from loopcheck.findings import Location
from loopcheck.runtime.labels import from_source

_TORCH_DIR = os.path.dirname(torch.__file__)   # also matches torchvision: library frames either way
_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class _IdSet:
    """A set of objects by identity, holding weak references only.

    weakref.WeakSet would compare tensors with `==` (elementwise) on hash collisions, so
    entries are keyed by id() and verified with `is`.
    """

    def __init__(self) -> None:
        self._refs: dict[int, tuple[weakref.ref, Any]] = {}

    def add(self, obj: Any, value: Any = True) -> None:
        key = id(obj)
        refs = self._refs

        def forget(ref: weakref.ref, key: int = key) -> None:
            entry = refs.get(key)
            if entry is not None and entry[0] is ref:
                del refs[key]

        self._refs[key] = (weakref.ref(obj, forget), value)

    def get(self, obj: Any, default: Any = None) -> Any:
        entry = self._refs.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        return default

    def __contains__(self, obj: Any) -> bool:
        return self.get(obj, None) is not None

    def __len__(self) -> int:
        return len(self._refs)


def _requested_device(args: tuple, kwargs: dict) -> Optional[str]:
    """The device a `.to(...)` call asks for, or None for dtype/memory-format-only calls."""
    kwargs = {k: v for k, v in kwargs.items() if k != "copy"}
    try:
        device = torch._C._nn._parse_to(*args, **kwargs)[0]
    except Exception:  # an unusual signature: the call itself succeeded, so it moved something
        return "?"
    return None if device is None else str(device)


class DeviceAudit:
    """Install with `start()`, remove with `stop()`; `inspect()` is called for each watched forward."""

    def __init__(self) -> None:
        self.moved_tensors = _IdSet()
        self.moved_modules = _IdSet()   # module -> device string
        self.moved_params = _IdSet()    # parameter -> device string (wrappers such as DDP are not marked)
        self.batch_tensors = _IdSet()
        self._saved: list[tuple[type, str, Any]] = []
        self._module_moves = 0   # > 0 while Module.to/cuda runs

    # -- patches ---------------------------------------------------------------------
    def start(self) -> "DeviceAudit":
        audit = self

        def patch(cls: type, name: str, make: Callable[[Callable], Callable]) -> None:
            self._saved.append((cls, name, cls.__dict__.get(name, _MISSING)))
            original = getattr(cls, name)
            wrapper = make(original)
            wrapper.__wrapped__ = original  # type: ignore[attr-defined]
            setattr(cls, name, wrapper)

        def module_move(original: Callable, cuda: bool) -> Callable:
            def moved(module: nn.Module, *args: Any, **kwargs: Any) -> Any:
                audit._module_moves += 1
                try:
                    result = original(module, *args, **kwargs)
                finally:
                    audit._module_moves -= 1
                device = _cuda_name(args, kwargs) if cuda else _requested_device(args, kwargs)
                if device is not None:
                    audit._mark_module(module, device)
                return result
            return moved

        def tensor_move(original: Callable, cuda: bool) -> Callable:
            def moved(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
                result = original(tensor, *args, **kwargs)
                device = _cuda_name(args, kwargs) if cuda else _requested_device(args, kwargs)
                if device is None or not isinstance(result, torch.Tensor):
                    return result
                if result is tensor and audit._user_no_op_move(tensor):
                    # On the CPU `x.to("cpu")` returns x itself, so a discarded result
                    # (`inputs.to(device)` as a statement) would look like a move. Return a
                    # detached alias instead: same storage, values and version
                    # counter (the tensor needs no grad), but a distinct object to mark.
                    result = tensor.detach()
                audit.moved_tensors.add(result, device)
                return result
            return moved

        def batches(original: Callable) -> Callable:
            def iterate(loader: DataLoader) -> Any:
                return _MarkingIterator(original(loader), audit)
            return iterate

        patch(nn.Module, "to", lambda f: module_move(f, cuda=False))
        patch(nn.Module, "cuda", lambda f: module_move(f, cuda=True))
        patch(torch.Tensor, "to", lambda f: tensor_move(f, cuda=False))
        patch(torch.Tensor, "cuda", lambda f: tensor_move(f, cuda=True))
        patch(DataLoader, "__iter__", batches)
        return self

    def stop(self) -> None:
        while self._saved:  # reverse order, so stacked patches unwind correctly
            cls, name, original = self._saved.pop()
            if original is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, original)

    def __enter__(self) -> "DeviceAudit":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- bookkeeping -----------------------------------------------------------------
    def _user_no_op_move(self, tensor: torch.Tensor) -> bool:
        """Alias only what user code moves: not inside Module.to (buffers must stay plain
        tensors), not tensors that require grad (a view is no longer a leaf), not torch's own calls."""
        if self._module_moves or tensor.requires_grad or tensor.layout != torch.strided:
            return False
        caller = sys._getframe(2).f_code.co_filename
        return not caller.startswith((_TORCH_DIR, _PKG_DIR))

    def _mark_module(self, module: nn.Module, device: str) -> None:
        for sub in module.modules():
            self.moved_modules.add(sub, device)
        for param in module.parameters():
            self.moved_params.add(param, device)

    def mark_batch(self, batch: Any) -> None:
        for tensor in _tensors(batch):
            self.batch_tensors.add(tensor)

    def _moved(self, tensor: torch.Tensor) -> bool:
        if tensor in self.moved_tensors:
            return True
        base = tensor._base
        return base is not None and base in self.moved_tensors

    def _is_batch(self, tensor: torch.Tensor) -> bool:
        if tensor in self.batch_tensors:
            return True
        base = tensor._base
        return base is not None and base in self.batch_tensors

    # -- the check -------------------------------------------------------------------
    def inspect(self, module: nn.Module, args: tuple, kwargs: Optional[dict] = None,
                loc: Optional[Location] = None) -> Optional[dict]:
        """Facts for the FORWARD event of `module`, or None when the inputs are fine.

        Returns ``{"unmoved_inputs": [names], "device": "<where the module was moved>"}``;
        the names are read from the source of the call at `loc` (`model(inputs)` ->
        ``inputs``), never from the caller's frame locals.
        """
        device = self.moved_modules.get(module)
        if device is None:
            first = next(module.parameters(), None)
            device = None if first is None else self.moved_params.get(first)
        if device is None:
            return None
        kwargs = kwargs or {}
        unmoved = [path for path, t in _named_tensors(args, kwargs) if self._is_batch(t) and not self._moved(t)]
        if not unmoved:
            return None
        return {"unmoved_inputs": _names(unmoved, loc), "device": device}


_MISSING = object()


def _cuda_name(args: tuple, kwargs: dict) -> str:
    device = kwargs.get("device", args[0] if args else None)
    if device is None:
        return "cuda"
    if isinstance(device, int):
        return f"cuda:{device}"
    return str(device)


class _MarkingIterator:
    """Wraps a DataLoader iterator and records each batch's tensors."""

    def __init__(self, inner: Iterator, audit: DeviceAudit) -> None:
        self._inner = inner
        self._audit = audit

    def __iter__(self) -> "_MarkingIterator":
        return self

    def __next__(self) -> Any:
        batch = next(self._inner)
        self._audit.mark_batch(batch)
        return batch

    def __len__(self) -> int:
        return len(self._inner)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _tensors(obj: Any, depth: int = 0) -> Iterator[torch.Tensor]:
    """Tensors inside a batch: nested tuples, lists and dicts (and their values), a few levels deep."""
    if isinstance(obj, torch.Tensor):
        yield obj
    elif depth < 4:
        if isinstance(obj, dict):
            obj = obj.values()
        elif not isinstance(obj, (tuple, list)):
            return
        for item in obj:
            yield from _tensors(item, depth + 1)


def _named_tensors(args: tuple, kwargs: dict) -> Iterator[tuple[tuple, torch.Tensor]]:
    """The tensors of `_tensors((args, kwargs))`, in the same order, each with its path:
    ("arg", i) or ("kw", key) followed by the indexes/keys inside containers."""
    for i, value in enumerate(args):
        yield from _paths(value, ("arg", i), 2)
    for key, value in kwargs.items():
        yield from _paths(value, ("kw", key), 2)


def _paths(obj: Any, path: tuple, depth: int) -> Iterator[tuple[tuple, torch.Tensor]]:
    if isinstance(obj, torch.Tensor):
        yield path, obj
    elif depth < 4:
        if isinstance(obj, dict):
            items: Any = obj.items()
        elif isinstance(obj, (tuple, list)):
            items = enumerate(obj)
        else:
            return
        for key, item in items:
            yield from _paths(item, path + (key,), depth + 1)


def _subscript(base: str, keys: tuple) -> str:
    return base + "".join(f'["{k}"]' if isinstance(k, str) else f"[{k!r}]" for k in keys)


def _names(paths: list, loc: Optional[Location]) -> list[str]:
    """Names of the unmoved tensors as written in the forward call at `loc` (only on a
    finding). No frame locals are read: on Python < 3.13 that would store a snapshot of
    the caller's locals in its frame, keeping its tensors alive until it returns."""
    parts = from_source(loc, "call_parts") if loc is not None else None
    positional, keywords, mappings = parts if isinstance(parts, tuple) else ((), {}, ())
    names = []
    for path in paths:
        where, key, inner = path[0], path[1], path[2:]
        if where == "arg":
            written = positional[key] if key < len(positional) else None
            base = written or f"input {key}"
        elif keywords.get(key):
            base = keywords[key]
        elif key not in keywords and len(mappings) == 1 and mappings[0]:
            base, inner = mappings[0], (key,) + inner   # model(**batch) -> batch["x"]
        else:
            base = str(key)
        names.append(_subscript(base, inner))
    return names
