"""Installs the watcher into torch for the duration of a block, and nothing more.

Nothing is attached to the user's objects: a watched model, optimizer or scheduler has
the same `__dict__` inside the block as outside it, so `torch.save(model)`, `deepcopy`,
`state_dict()`, `torch.jit` and `torch.compile` see the user's object only, and a copy
of a watched model (EMA, best model) is a different, unwatched object. The watcher
instead uses torch's global optimizer step pre/post hooks and temporary class-level
patches (`__call__` of the watched models' classes, `Tensor.backward`,
`torch.autograd.backward`, `zero_grad`, `Module.train`, the scheduler classes' `step`,
the constructors of optimizers, schedulers and GradScaler, `GradScaler.step`, the
elementwise losses of `torch.nn.functional` for LC601 (loss_shapes.py), GradScaler's
`unscale_`/`update` and torch's clip functions (amp_checks.py), and those of the pattern
checks in pattern_checks.py), each filtered by identity through the observer's id
table. Every handler runs behind `_safe`: an error inside loopcheck is reported once
and swallowed, so the user's loop always continues.

Deliberately not used:
* global module hooks (`register_module_forward_pre_hook`): they turn off the hook-free
  fast path of every module in the process (a `__call__` patch on the watched model's
  class costs one Python frame per call of a module of that class instead);
* per-instance hooks and attributes: they are pickled and deep-copied with the object.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import torch
from torch import nn

from loopcheck.runtime import pattern_checks
from loopcheck.runtime.amp_checks import AmpChecks
from loopcheck.runtime.labels import from_source
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches

DISCOVERY_STEPS = 2  # discover=True: look for top-level module calls until this many steps
_MODULE_CALL = nn.Module.__dict__["__call__"]  # torch's own, whatever is patched later


def _scaler_class() -> Optional[type]:
    try:
        from torch.amp.grad_scaler import GradScaler
        return GradScaler
    except ImportError:  # torch < 2.3
        from torch.cuda.amp.grad_scaler import GradScaler
        return GradScaler


def _scheduler_classes() -> list[type]:
    from torch.optim import lr_scheduler

    base = getattr(lr_scheduler, "LRScheduler", None) or lr_scheduler._LRScheduler
    # These do not call LRScheduler.__init__, so their own constructors are patched too.
    classes = [base]
    for name in ("ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"):
        cls = getattr(lr_scheduler, name, None)
        if isinstance(cls, type) and "__init__" in vars(cls):
            classes.append(cls)
    return classes


class Hooks:
    def __init__(self, observer: Observer, on_error: Callable[[BaseException], None]) -> None:
        self.obs = observer
        self.on_error = on_error
        self.patches = Patches()
        self._scheduler_classes: set[type] = set()  # classes whose `step` is patched
        self._model_classes: set[type] = set()      # classes whose `__call__` is patched
        self._discovery: Optional[Patches] = None
        observer.on_new_model = self.hook_model
        observer.on_new_optimizer = self._optimizer_created

    def _safe(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # never break the user's loop
            self.on_error(exc)
            return None

    # -- install / remove --------------------------------------------------------------

    def install(self) -> None:
        self._patch_optimizer_step()
        self._patch_backward()
        self._patch_zero_grad()
        self._patch_train()
        self._patch_constructors()
        self._patch_scaler()
        self.obs.loss_shapes.install(self.patches, self.on_error)
        self.obs.amp = AmpChecks(self.obs, self._safe)
        self.obs.amp.install(self.patches, _scaler_class())
        if self.obs.device_audit:
            from loopcheck.runtime.device_audit import DeviceAudit

            self.obs.audit = DeviceAudit().start()
        # After the audit, which also wraps DataLoader.__iter__: removed before it is.
        pattern_checks.install(self.obs, self._safe, self.patches)
        if self.obs.discover:
            self._install_discovery()

    def remove(self) -> list[BaseException]:
        errors = self._stop_discovery()
        errors += self.patches.undo_all()
        if self.obs.audit is not None:
            try:
                self.obs.audit.stop()
            except Exception as exc:
                errors.append(exc)
            self.obs.audit = None
        return errors

    # -- per-object hooks --------------------------------------------------------------

    def hook_scheduler(self, scheduler: Any) -> None:
        """Patch `step` of the scheduler's classes (once per class, filtered by identity)."""
        obs, safe = self.obs, self._safe
        for cls in type(scheduler).__mro__:
            original = cls.__dict__.get("step")
            if not inspect.isfunction(original) or cls in self._scheduler_classes:
                continue
            self._scheduler_classes.add(cls)

            def step(sched: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                if obs.sched_depth or obs.init_depth or obs.token(sched) is None:
                    return _original(sched, *args, **kwargs)
                obs.sched_depth += 1
                try:
                    safe(obs.scheduler_step, sched)
                    return _original(sched, *args, **kwargs)
                finally:
                    obs.sched_depth -= 1

            step.__wrapped__ = original  # type: ignore[attr-defined]
            self.patches.set_attr(cls, "step", step)

    def _optimizer_created(self, optimizer: torch.optim.Optimizer) -> None:
        if self.obs.discover and self._discovery is None and not self.obs.optimizers_covered():
            self._install_discovery()

    # -- class-level patches ----------------------------------------------------------

    def _patch_backward(self) -> None:
        obs = self.obs
        original_tensor_backward = torch.Tensor.backward
        original_autograd_backward = torch.autograd.backward

        def observed(call: Callable[..., Any], tensors: Any, args: tuple, kwargs: dict) -> Any:
            obs.in_backward += 1
            try:
                try:
                    state = obs.backward_begin(tensors)
                except Exception as exc:
                    state = None
                    self.on_error(exc)
                ok = False
                try:
                    result = call(*args, **kwargs)
                    ok = True
                    return result
                finally:
                    try:
                        obs.backward_end(state, ok)
                    except Exception as exc:
                        self.on_error(exc)
            finally:
                obs.in_backward -= 1

        def tensor_backward(self_: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
            # observed(), inlined: loss.backward() is the common call (keep the two in step)
            if obs.in_backward:
                return original_tensor_backward(self_, *args, **kwargs)
            obs.in_backward += 1
            try:
                try:
                    state = obs.backward_begin((self_,), 3)
                except Exception as exc:
                    state = None
                    self.on_error(exc)
                ok = False
                try:
                    result = original_tensor_backward(self_, *args, **kwargs)
                    ok = True
                    return result
                finally:
                    try:
                        obs.backward_end(state, ok)
                    except Exception as exc:
                        self.on_error(exc)
            finally:
                obs.in_backward -= 1

        def autograd_backward(*args: Any, **kwargs: Any) -> Any:
            if obs.in_backward:
                return original_autograd_backward(*args, **kwargs)
            tensors = kwargs.get("tensors", args[0] if args else None)
            if isinstance(tensors, torch.Tensor):
                tensors = (tensors,)
            elif not isinstance(tensors, (tuple, list)):
                tensors = ()  # a generator: do not consume it
            return observed(original_autograd_backward, tensors, args, kwargs)

        tensor_backward.__wrapped__ = original_tensor_backward  # type: ignore[attr-defined]
        autograd_backward.__wrapped__ = original_autograd_backward  # type: ignore[attr-defined]
        self.patches.set_attr(torch.Tensor, "backward", tensor_backward)
        self.patches.set_attr(torch.autograd, "backward", autograd_backward)

    def _patch_zero_grad(self) -> None:
        obs, safe = self.obs, self._safe
        original_optimizer = torch.optim.Optimizer.zero_grad
        original_module = nn.Module.zero_grad

        def optimizer_zero_grad(opt: torch.optim.Optimizer, *args: Any, **kwargs: Any) -> Any:
            result = original_optimizer(opt, *args, **kwargs)
            try:
                obs.optimizer_cleared(opt)
            except Exception as exc:
                self.on_error(exc)
            return result

        def module_zero_grad(module: nn.Module, *args: Any, **kwargs: Any) -> Any:
            result = original_module(module, *args, **kwargs)
            safe(obs.module_cleared, module)
            return result

        self.patches.set_attr(torch.optim.Optimizer, "zero_grad", optimizer_zero_grad)
        self.patches.set_attr(nn.Module, "zero_grad", module_zero_grad)

    def _patch_train(self) -> None:
        obs, safe = self.obs, self._safe
        original = nn.Module.train

        def train(module: nn.Module, mode: bool = True) -> Any:
            if obs.train_depth:  # the recursive calls on submodules
                return original(module, mode)
            obs.train_depth += 1
            try:
                result = original(module, mode)
            finally:
                obs.train_depth -= 1
            safe(obs.mode_set, module, mode)
            return result

        self.patches.set_attr(nn.Module, "train", train)

    def _patch_constructors(self) -> None:
        obs, safe = self.obs, self._safe
        original_optimizer_init = torch.optim.Optimizer.__init__

        def optimizer_init(opt: torch.optim.Optimizer, *args: Any, **kwargs: Any) -> None:
            obs.init_depth += 1
            try:
                original_optimizer_init(opt, *args, **kwargs)
            finally:
                obs.init_depth -= 1
            safe(obs.optimizer_created, opt)

        self.patches.set_attr(torch.optim.Optimizer, "__init__", optimizer_init)

        for cls in _scheduler_classes():
            original = cls.__dict__["__init__"]

            def scheduler_init(sched: Any, *args: Any, _original: Any = original, **kwargs: Any) -> None:
                obs.init_depth += 1
                try:
                    _original(sched, *args, **kwargs)
                finally:
                    obs.init_depth -= 1
                if not obs.init_depth:
                    safe(self._scheduler_created, sched)

            self.patches.set_attr(cls, "__init__", scheduler_init)

    def _patch_scaler(self) -> None:
        scaler_cls = _scaler_class()
        if scaler_cls is None:
            return
        obs, safe = self.obs, self._safe
        original_step = scaler_cls.step
        original_init = scaler_cls.__init__

        def step(scaler: Any, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
            state = safe(obs.scaler_step_begin, scaler, optimizer)
            ok = False
            try:
                result = original_step(scaler, optimizer, *args, **kwargs)
                ok = True
                return result
            finally:
                safe(obs.scaler_step_end, state, ok)

        def init(scaler: Any, *args: Any, **kwargs: Any) -> None:
            original_init(scaler, *args, **kwargs)
            safe(lambda: obs.add_scaler(scaler, from_source(obs.loc.here(), "assign")))

        self.patches.set_attr(scaler_cls, "step", step)
        self.patches.set_attr(scaler_cls, "__init__", init)

    # -- module calls and optimizer steps ----------------------------------------------

    def hook_model(self, module: nn.Module) -> None:
        """Observe the model's calls through `__call__` of its class (once per class, found
        by id): modules of other classes keep torch's own hook-free fast path."""
        cls = type(module)
        if cls in self._model_classes:
            return
        self._model_classes.add(cls)
        obs, on_error = self.obs, self.on_error
        infos = obs.model_infos
        original = _unobserved_call(cls)

        def call(module: nn.Module, *args: Any, **kwargs: Any) -> Any:
            info = infos.get(id(module))
            if info is None or info.ref() is not module:
                return original(module, *args, **kwargs)
            if obs.call_depth or self._discovery is not None:  # keep the discovery's depth
                obs.call_depth += 1
                try:
                    return self._observed(module, info, original, args, kwargs)
                finally:
                    obs.call_depth -= 1
            # _observed(), inlined: the call of a watched model, every iteration
            try:
                obs.forward_pre(module, args, kwargs, info)
            except Exception as exc:
                on_error(exc)
            if not info.batchnorms:
                return original(module, *args, **kwargs)
            result = original(module, *args, **kwargs)
            try:
                obs.forward_post(info)
            except Exception as exc:
                on_error(exc)
            return result

        call.__wrapped__ = original  # type: ignore[attr-defined]
        call._loopcheck_observes = True  # type: ignore[attr-defined]
        self.patches.set_attr(cls, "__call__", call)

    def _observed(self, module: nn.Module, info: Any, original: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        obs = self.obs
        try:
            obs.forward_pre(module, args, kwargs, info)
        except Exception as exc:
            self.on_error(exc)
        result = original(module, *args, **kwargs)
        if info.batchnorms:
            self._safe(obs.forward_post, info)
        return result

    # -- discovery (discover=True) -----------------------------------------------------

    def _install_discovery(self) -> None:
        """Watch modules called at top level (not from inside another module's forward).

        A wrapper on `nn.Module.__call__` costs one Python frame per module call, far less
        than a global hook (which disables the fast path); it is removed again once every
        optimizer's parameters belong to watched models and a few steps have run. Under
        torch.compile, dynamo traces through it without a graph break."""
        obs, safe = self.obs, self._safe
        infos = obs.model_infos
        original = nn.Module.__call__

        def call(module: nn.Module, *args: Any, **kwargs: Any) -> Any:
            if not obs.call_depth and obs.token(module) is None:
                safe(obs.top_level_call, module)
                info = infos.get(id(module))
                if info is not None and info.ref() is module:  # just discovered: this call counts
                    obs.call_depth += 1
                    try:
                        return self._observed(module, info, original, args, kwargs)
                    finally:
                        obs.call_depth -= 1
            obs.call_depth += 1
            try:
                return original(module, *args, **kwargs)
            finally:
                obs.call_depth -= 1

        call.__wrapped__ = original  # type: ignore[attr-defined]
        patch = Patches()
        patch.set_attr(nn.Module, "__call__", call)
        self._discovery = patch

    def _stop_discovery(self) -> list[BaseException]:
        patch, self._discovery = self._discovery, None
        return patch.undo_all() if patch is not None else []

    def _patch_optimizer_step(self) -> None:
        """Global optimizer step hooks (torch keeps them outside the optimizer objects)."""
        from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

        obs, safe, on_error = self.obs, self._safe, self.on_error
        tokens = obs._tokens

        def on_step(handler: Callable[[Any, str], None], after_step: bool) -> Callable[..., None]:
            def hook(opt: torch.optim.Optimizer, _args: tuple, _kwargs: dict) -> None:
                entry = tokens.get(id(opt))  # obs.token(opt), inlined
                if entry is None or entry[0]() is not opt:
                    return
                try:
                    handler(opt, entry[1])
                except Exception as exc:
                    on_error(exc)
                if after_step and self._discovery is not None:
                    safe(self._maybe_stop_discovery)
            return hook

        self.patches.handle(register_optimizer_step_pre_hook(on_step(obs.step_pre, False)))
        # Registered on enter, so it runs before a post-hook installed inside the block
        # (`loopcheck run --max-steps` stops the script from one).
        self.patches.handle(register_optimizer_step_post_hook(on_step(obs.step_post, True)))

    def _maybe_stop_discovery(self) -> None:
        if self.obs.steps_total >= DISCOVERY_STEPS and self.obs.optimizers_covered():
            self._stop_discovery()

    def _scheduler_created(self, scheduler: Any) -> None:
        self.watch_scheduler(scheduler, from_source(self.obs.loc.here(), "assign"))

    # -- public registration -------------------------------------------------------------

    def watch_model(self, module: nn.Module, name: Optional[str] = None) -> None:
        if self.obs.add_model(module, name) is not None:
            self.hook_model(module)

    def watch_optimizer(self, optimizer: torch.optim.Optimizer, name: Optional[str] = None) -> None:
        self.obs.add_optimizer(optimizer, name)

    def watch_scheduler(self, scheduler: Any, name: Optional[str] = None) -> None:
        if self.obs.add_scheduler(scheduler, name) is not None:
            self.hook_scheduler(scheduler)

    def watch_scaler(self, scaler: Any, name: Optional[str] = None) -> None:
        self.obs.add_scaler(scaler, name)


def _unobserved_call(cls: type) -> Callable[..., Any]:
    """The `__call__` that instances of `cls` run, skipping the watcher's own wrappers (a
    watched subclass of a watched class is observed once) and any wrapper of
    `nn.Module.__call__` (the discovery wrapper comes and goes)."""
    for klass in cls.__mro__:
        own = klass.__dict__.get("__call__")
        if own is None or getattr(own, "_loopcheck_observes", False):
            continue
        return _MODULE_CALL if klass is nn.Module else own
    return _MODULE_CALL
