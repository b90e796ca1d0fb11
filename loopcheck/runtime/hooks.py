"""Installs the watcher into torch for the duration of a block, and nothing more.

Public hook APIs where torch has them (forward pre-hooks on the watched *root* modules,
optimizer step pre/post hooks); temporary class-level patches where it has none
(`Tensor.backward`, `torch.autograd.backward`, `zero_grad`, `Module.train`, the
constructors of optimizers, schedulers and GradScaler, `GradScaler.step`). Every
handler runs behind `_safe`: an error inside loopcheck is reported once and swallowed,
so the user's loop always continues.

Deliberately not used:
* global module hooks (`register_module_forward_pre_hook`): they turn off the hook-free
  fast path of every module in the process;
* replacing `optimizer.step` on an instance: torch warns that step was overridden once a
  scheduler wraps it.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Optional

import torch
from torch import nn

from loopcheck.runtime.labels import from_source
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches

DISCOVERY_STEPS = 2  # discover=True: keep the top-level call patch until this many steps


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
        self._call_patch: Optional[Patches] = None
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
        self._patch_backward()
        self._patch_zero_grad()
        self._patch_train()
        self._patch_constructors()
        self._patch_scaler()
        if self.obs.device_audit:
            from loopcheck.runtime.device_audit import DeviceAudit

            self.obs.audit = DeviceAudit().start()
        if self.obs.discover:
            self._install_call_patch()

    def remove(self) -> list[BaseException]:
        errors = []
        if self._call_patch is not None:
            errors += self._call_patch.undo_all()
            self._call_patch = None
        errors += self.patches.undo_all()
        if self.obs.audit is not None:
            try:
                self.obs.audit.stop()
            except Exception as exc:
                errors.append(exc)
            self.obs.audit = None
        return errors

    # -- per-object hooks --------------------------------------------------------------

    def hook_model(self, module: nn.Module) -> None:
        obs, safe = self.obs, self._safe
        info = obs.models[obs.token(module)]

        def forward_pre(mod: nn.Module, args: tuple, kwargs: dict) -> None:
            try:
                obs.forward_pre(mod, args, kwargs, info)
            except Exception as exc:
                self.on_error(exc)

        self.patches.handle(module.register_forward_pre_hook(forward_pre, with_kwargs=True))
        if info.batchnorms:
            def forward_post(_mod: nn.Module, _args: tuple, _output: Any) -> None:
                safe(obs.forward_post, info)

            self.patches.handle(module.register_forward_hook(forward_post))

    def hook_optimizer(self, optimizer: torch.optim.Optimizer) -> None:
        obs, safe = self.obs, self._safe
        token = obs.token(optimizer)

        def step_pre(opt: torch.optim.Optimizer, _args: tuple, _kwargs: dict) -> None:
            try:
                obs.step_pre(opt, token)
            except Exception as exc:
                self.on_error(exc)

        def step_post(opt: torch.optim.Optimizer, _args: tuple, _kwargs: dict) -> None:
            try:
                obs.step_post(opt, token)
            except Exception as exc:
                self.on_error(exc)
            if self._call_patch is not None:
                safe(self._maybe_stop_discovery)

        self.patches.handle(optimizer.register_step_pre_hook(step_pre))
        self.patches.handle(optimizer.register_step_post_hook(step_post))

    def hook_scheduler(self, scheduler: Any) -> None:
        obs = self.obs
        ref = weakref.ref(scheduler)
        own = scheduler.__dict__.get("step")
        class_step = type(scheduler).step

        def step(*args: Any, **kwargs: Any) -> Any:
            target = ref()
            call = own if own is not None else (lambda *a, **k: class_step(target, *a, **k))
            if obs.sched_depth or obs.init_depth or target is None:
                return call(*args, **kwargs)
            obs.sched_depth += 1
            try:
                self._safe(obs.scheduler_step, target)
                return call(*args, **kwargs)
            finally:
                obs.sched_depth -= 1

        self.patches.set_instance_attr(scheduler, "step", step)

    def _optimizer_created(self, optimizer: torch.optim.Optimizer) -> None:
        self.hook_optimizer(optimizer)
        if self.obs.discover and self._call_patch is None and not self.obs.optimizers_covered():
            self._install_call_patch()

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

    # -- discovery (discover=True) -----------------------------------------------------

    def _install_call_patch(self) -> None:
        """Watch modules called at top level (not from inside another module's forward).

        A wrapper on `nn.Module.__call__` costs one Python frame per module call, far less
        than a global hook (which disables the fast path); it is removed again once every
        optimizer's parameters belong to watched models and a few steps have run.
        """
        obs, safe = self.obs, self._safe
        original_call = nn.Module.__call__

        def call(module: nn.Module, *args: Any, **kwargs: Any) -> Any:
            if not obs.call_depth and obs.token(module) is None:
                safe(obs.top_level_call, module)
            obs.call_depth += 1
            try:
                return original_call(module, *args, **kwargs)
            finally:
                obs.call_depth -= 1

        patch = Patches()
        patch.set_attr(nn.Module, "__call__", call)
        self._call_patch = patch

    def _maybe_stop_discovery(self) -> None:
        if self.obs.steps_total >= DISCOVERY_STEPS and self.obs.optimizers_covered():
            patch, self._call_patch = self._call_patch, None
            if patch is not None:
                patch.undo_all()

    def _scheduler_created(self, scheduler: Any) -> None:
        self.watch_scheduler(scheduler, from_source(self.obs.loc.here(), "assign"))

    # -- public registration -------------------------------------------------------------

    def watch_model(self, module: nn.Module, name: Optional[str] = None) -> None:
        if self.obs.add_model(module, name) is not None:
            self.hook_model(module)

    def watch_optimizer(self, optimizer: torch.optim.Optimizer, name: Optional[str] = None) -> None:
        if self.obs.add_optimizer(optimizer, name) is not None:
            self.hook_optimizer(optimizer)

    def watch_scheduler(self, scheduler: Any, name: Optional[str] = None) -> None:
        if self.obs.add_scheduler(scheduler, name) is not None:
            self.hook_scheduler(scheduler)

    def watch_scaler(self, scaler: Any, name: Optional[str] = None) -> None:
        self.obs.add_scaler(scaler, name)
