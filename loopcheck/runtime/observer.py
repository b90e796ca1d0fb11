"""Turns what torch does into events: one handler per thing the loop can do.

The handlers are called by the hooks and patches (hooks.py) and must stay cheap: they
read metadata only (`.grad is None`, `_version`, `.device`, `.training`, grad mode) and
never tensor values, so they never synchronise with an accelerator.
"""
from __future__ import annotations

import weakref
from collections import Counter
from operator import is_
from typing import Any, Callable, Iterable, Optional

import torch

from loopcheck.events import Event, Kind
from loopcheck.findings import Location
from loopcheck.runtime.gradstate import OptimizerGrads, grads_of, params_of
from loopcheck.runtime.gradstate import _NONE, _grad, before_of, changed as grads_changed
from loopcheck.runtime.labels import Labels, from_source
from loopcheck.runtime.locate import Locator
from loopcheck.runtime.loss_shapes import LossShapes
from loopcheck.runtime.models import ModelInfo
from loopcheck.runtime.no_step import BeforeFirstStep
from loopcheck.runtime.recorder import Recorder
from loopcheck.static.idioms import STATELESS_OPTIMIZERS

# Enum attribute access costs ~170 ns on Python 3.11; the hot paths use these.
_BACKWARD = Kind.BACKWARD
_CLEAR = Kind.CLEAR
_FORWARD = Kind.FORWARD
_MODE = Kind.MODE
_OPTIMIZER_CREATED = Kind.OPTIMIZER_CREATED
_SCHEDULER_STEP = Kind.SCHEDULER_STEP
_STEP = Kind.STEP
_Tensor = torch.Tensor
_is_grad_enabled = torch.is_grad_enabled


_IN_STEP = (("in_step", True),)
_INFERRED_CLEAR = "`p.grad = None` for every parameter (detected before this line)"
LC501_SAMPLED_STEPS = 3


class OptimizerStats:
    def __init__(self) -> None:
        self.steps = 0
        self.skipped = 0            # GradScaler steps that skipped optimizer.step()
        # Backward passes that fed this optimizer since its last clear or step, and the
        # sites (ids of cached Locations) they ran at: a site that ran twice before one
        # step is gradient accumulation; a GAN's discriminator fed by a real and a fake
        # batch at two sites is not.
        self.pending_backwards = 0
        self.pending_sites: set[int] = set()
        self.per_step: Counter[int] = Counter()
        self.accumulated_steps = 0  # steps with a backward site repeated since the clear
        self.discarded = 0  # clears that dropped a backward's gradients before any step (LC115)
        self.window_cut = False  # --limit-batches ended the loader iteration of the pending backwards
        self.lr_first: Optional[list[Any]] = None
        self.lr_last: Optional[list[Any]] = None
        self.created_inside = False


    def stepped(self) -> int:
        """Count a step and start the next one's backward count; returns the step count."""
        self.steps = steps = self.steps + 1
        pending = self.pending_backwards
        self.per_step[pending] += 1
        if pending > len(self.pending_sites):
            self.accumulated_steps += 1
        # cleared(), inlined: with a step counted, nothing is discarded
        self.window_cut = False
        self.pending_backwards = 0
        if self.pending_sites:
            self.pending_sites.clear()
        return steps

    def cleared(self) -> None:
        if self.pending_backwards and not self.steps and not self.window_cut:
            self.discarded += 1
        self.window_cut = False
        self.pending_backwards = 0
        if self.pending_sites:
            self.pending_sites.clear()


def _lrs(optimizer) -> list[Any]:  # noqa: ANN001
    out = []
    for group in optimizer.param_groups:
        lr = group.get("lr")
        # A tensor learning rate (capturable/fused optimizers) is not read: that would sync.
        out.append(float(lr) if isinstance(lr, (int, float)) else "tensor")
    return out


class Observer:
    def __init__(self, *, device_audit: bool = False, discover: bool = False) -> None:
        self.rec = Recorder()
        self.loc = Locator()
        self.labels = Labels()
        self.device_audit = device_audit
        self.discover = discover
        self._tokens: dict[int, tuple[weakref.ref, str]] = {}
        # id(module) -> its ModelInfo, for the __call__ patches (verify info.ref())
        self.model_infos: dict[int, ModelInfo] = {}
        self._counters: Counter[str] = Counter()
        self.models: dict[str, ModelInfo] = {}
        self._ddp: list[ModelInfo] = []
        self.grads: dict[str, OptimizerGrads] = {}
        self.opt_stats: dict[str, OptimizerStats] = {}
        self.sched_steps: Counter[str] = Counter()
        self.sched_optimizer: dict[str, Optional[str]] = {}
        self.scalers: dict[str, bool] = {}  # token -> enabled
        self._frozensets: dict[Any, frozenset[str]] = {}
        self._fs1: dict[str, frozenset[str]] = {}  # token -> frozenset({token}), by _fs
        self._clear_facts: dict[str, tuple] = {}
        # state of the loop
        self.stepping: set[str] = set()
        self._step_loc: dict[str, Location] = {}
        self._step_mark: dict[str, int] = {}
        self._scaler_opt: Optional[str] = None
        self._scaler_inner_ran = False
        self._scaler_inner_done = False
        self.in_backward = 0
        self.init_depth = 0
        self.sched_depth = 0
        self.train_depth = 0
        self.call_depth = 0
        self.steps_total = 0
        self.backwards_total = 0
        self.no_sync_backwards = 0
        self.last_backward: Optional[Location] = None   # where the latest backward() ran (LC110)
        self.devices: set[Any] = set()
        self.bn_observed: dict[int, set[str]] = {}
        self._bn_pending: dict[str, list[tuple[Event, tuple[int, ...]]]] = {}
        self.unoptimized: dict[str, set[str]] = {}
        self._never_fed: dict[str, tuple[str, ...]] = {}
        self._rejected: "weakref.WeakSet[Any]" = weakref.WeakSet()
        self.audit: Any = None   # a DeviceAudit while device_audit=True (device_audit.py)
        self.loss_shapes = LossShapes(self.loc)   # LC601
        self.amp: Any = None     # the AmpChecks of the watch (amp_checks.py)
        self.before_first_step = BeforeFirstStep()
        self.notes: list[str] = []
        self.on_new_model = None     # set by hooks.py: observe the calls of a new model
        self.on_new_optimizer = None
        self.on_scheduler_step: Optional[Callable[[str, Any, Location], None]] = None
        # The runtime counterparts of pattern rules (hooks.py installs them): each has matches().
        self.pattern_checks: list[Any] = []

    # -- identities --------------------------------------------------------------------

    def token(self, obj: Any) -> Optional[str]:
        # By id, verified by identity: cheaper than a WeakKeyDictionary (no weakref built
        # per lookup), and safe for objects whose __eq__ is not identity.
        entry = self._tokens.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        return None

    def _new_token(self, obj: Any, kind: str) -> str:
        self._counters[kind] += 1
        token = f"{kind}:{self._counters[kind]}"
        key = id(obj)
        tokens = self._tokens

        infos = self.model_infos

        def forget(ref: weakref.ref, key: int = key) -> None:
            entry = tokens.get(key)
            if entry is not None and entry[0] is ref:
                del tokens[key]
            info = infos.get(key)
            if info is not None and info.ref() is None:
                del infos[key]

        tokens[key] = (weakref.ref(obj, forget), token)
        return token

    def _fs(self, *tokens: str) -> frozenset[str]:
        fs = self._frozensets.get(tokens)
        if fs is None:
            fs = self._frozensets[tokens] = frozenset(tokens)
            if len(tokens) == 1:
                self._fs1[tokens[0]] = fs
        return fs


    # -- registration ------------------------------------------------------------------

    def add_model(self, module: torch.nn.Module, name: Optional[str] = None) -> Optional[str]:
        token = self.token(module)
        if token is not None:
            return None
        token = self._new_token(module, "model")
        info = ModelInfo(module, token)
        self.models[token] = info
        self.model_infos[id(module)] = info
        if info.ddp:
            self._ddp.append(info)
        self.labels.register(token, "model", module, name)
        for param in module.parameters():
            self.devices.add(param.device)
            break
        if info.compiled:
            self.notes.append(
                f"{{{token}}} is torch.compile'd: loopcheck hooks the compiled wrapper; hooks added "
                "to a module after its first compiled call are ignored by torch.compile, so start "
                "watch() before the model first runs"
            )
        if info.scripted:
            self.notes.append(
                f"{{{token}}} is TorchScript: its calls from Python are observed; calls made from "
                "inside TorchScript code (a scripted module or function calling it) are invisible "
                "to loopcheck"
            )
        return token

    def add_optimizer(self, optimizer, name: Optional[str] = None, created: bool = False) -> Optional[str]:  # noqa: ANN001
        if self.token(optimizer) is not None:
            return None
        token = self._new_token(optimizer, "optimizer")
        grads = self.grads[token] = OptimizerGrads(optimizer)
        stats = self.opt_stats[token] = grads.stats = OptimizerStats()
        stats.created_inside = created
        self.labels.register(token, "optimizer", optimizer, name)
        return token

    def add_scheduler(self, scheduler, name: Optional[str] = None) -> Optional[str]:  # noqa: ANN001
        if self.token(scheduler) is not None:
            return None
        token = self._new_token(scheduler, "scheduler")
        self.labels.register(token, "scheduler", scheduler, name)
        self.sched_optimizer[token] = self.token(getattr(scheduler, "optimizer", None))
        self.sched_steps[token] += 0
        return token

    def add_scaler(self, scaler, name: Optional[str] = None) -> Optional[str]:  # noqa: ANN001
        if self.token(scaler) is not None:
            return None
        token = self._new_token(scaler, "scaler")
        self.labels.register(token, "scaler", scaler, name)
        enabled = getattr(scaler, "_enabled", None)
        if enabled is None and hasattr(scaler, "is_enabled"):
            enabled = scaler.is_enabled()
        self.scalers[token] = bool(enabled)
        return token

    def _covered(self, module: torch.nn.Module) -> bool:
        """A submodule of a watched root (its own calls are part of the root's forward)."""
        key = id(module)
        return any(key in info.submodule_ids for info in self.models.values())

    def _maybe_discover(self, module: torch.nn.Module) -> Optional[str]:
        if module in self._rejected or self._covered(module):
            self._rejected.add(module)
            return None
        if next(iter(module.parameters()), None) is None:
            self._rejected.add(module)  # a loss function or a parameter-free wrapper
            return None
        token = self.add_model(module)
        if token is not None and self.on_new_model is not None:
            self.on_new_model(module)
        return token

    def optimizers_covered(self) -> bool:
        covered: set[int] = set()
        for info in self.models.values():
            covered |= info.param_ids
        for grads in self.grads.values():
            optimizer = grads.ref()
            if optimizer is not None and any(id(p) not in covered for p in params_of(optimizer)):
                return False
        return True

    # -- forward -----------------------------------------------------------------------

    def forward_pre(self, module: torch.nn.Module, args: tuple, kwargs: dict, info: ModelInfo) -> None:
        """Called by the `__call__` patch in hooks.py (depth 3: the walk starts at the
        patch's caller)."""
        if self.in_backward:
            return  # activation checkpointing re-running forward inside backward
        loc = self.loc.here(3)
        token = info.token
        if token not in self.labels.names and self.labels.wants(token):
            self.labels.offer(token, loc, "callee")
        training = module.training
        if training is not info.last_training:
            info.last_training = training
            # Not a train()/eval() call: the mode the model had when first (or next) seen.
            self.rec.record(_MODE, loc, token, None, (("model", token), ("training", training), ("implicit", True)))
        # The facts differ only by grad mode and the active Dropout/BatchNorm layers: one
        # cached tuple per combination (the same value as building it every time).
        active = info.active() if info.has_mode_layers else ()
        cache = info.facts_grad if _is_grad_enabled() else info.facts_no_grad
        facts = cache.get(active)
        if facts is None:
            facts = cache[active] = (
                ("model", token),
                ("grad_enabled", cache is info.facts_grad),
                ("has_mode_layers", info.has_mode_layers),
                ("active_modules", active),
            )
        if _functorch_active() and _under_grad_transform():
            # torch.func.grad/vjp/jacrev differentiate this forward without a backward() call:
            # it is trained on, so it must not read as an evaluation (grad_enabled unknown).
            facts = (facts[0], ("grad_enabled", None)) + facts[2:] + (("functional_grad", True),)
        # _unmoved()'s answer without the call in the common case: model(x) with every
        # input a tensor on the parameters' device, no device audit.
        ref = info._first_param
        param = ref() if ref is not None else None
        if param is not None:
            device = param.device
            if kwargs or self.audit is not None or device not in self.devices:
                same = False
            else:
                same = True
                for value in args:
                    if not isinstance(value, _Tensor) or value.device != device:
                        same = False
                        break
            if not same:
                unmoved = self._unmoved(module, info, args, kwargs, loc)
                if unmoved:
                    facts += (("unmoved_inputs", unmoved[0]), ("device", unmoved[1]))
        if self.stepping:
            facts += _IN_STEP
        event = self.rec.record(_FORWARD, loc, token, None, facts)
        info.forwards += 1
        if info.batchnorms:
            versions = info.bn_versions()
            if versions is not None:
                pending = self._bn_pending.setdefault(token, [])
                if len(pending) > 8:  # forwards that raised never popped theirs
                    del pending[:-8]
                pending.append((event, versions))

    def forward_post(self, info: ModelInfo) -> None:
        pending = self._bn_pending.get(info.token)
        if not pending:
            return
        event, versions = pending.pop()
        updated = info.bn_updated(versions)
        if updated:
            self.bn_observed.setdefault(id(event), set()).update(updated)

    def _unmoved(self, module: torch.nn.Module, info: ModelInfo, args: tuple, kwargs: dict,
                 loc: Location) -> Optional[tuple]:
        """(names, device) of batch tensors that did not reach the parameters' device.

        A real mismatch of device type (a CPU batch for a CUDA model) is checked on every
        forward; with device_audit, the DeviceAudit also reports batches never moved to a
        module that was explicitly moved (the same bug, made visible on a CPU-only run)."""
        ref = info._first_param
        param = ref() if ref is not None else None
        if param is None:
            return None
        device = param.device
        devices = self.devices
        if device not in devices:
            devices.add(device)
        bad = []
        simple = not kwargs
        if simple:
            # The common case, model(x) / model(x, y): plain tensors compared with the
            # parameters' device, no generator, no container walk.
            for value in args:
                if not isinstance(value, _Tensor):
                    simple = False
                    break
                dev = value.device
                if dev != device:
                    devices.add(dev)
                    if info.single_device and dev.type != device.type and value.dim() > 0:
                        bad.append(("input", value))
        if not simple:
            expected = device.type if info.single_device else None
            bad = []
            for name, value in _inputs(args, kwargs):
                dev = value.device
                if dev != device:
                    devices.add(dev)
                    if expected is not None and dev.type != expected and value.dim() > 0:
                        bad.append((name, value))
        if bad:
            return _input_names(loc, args, bad), str(device)
        if self.audit is not None:
            found = self.audit.inspect(module, args, kwargs, loc)
            if found and found.get("unmoved_inputs"):
                return tuple(found["unmoved_inputs"]), str(found.get("device") or device)
        return None

    # -- backward ----------------------------------------------------------------------

    def backward_begin(self, tensors: Iterable[Any], depth: int = 4) -> Optional[tuple]:
        """Called with in_backward already raised by the patch (so that the nested
        torch.autograd.backward call of Tensor.backward is not seen twice). `depth`: the
        caller of the patched backward (this method, [hooks.observed,] the patch, caller)."""
        loc = self.loc.here(depth)
        for tensor in tensors:
            if isinstance(tensor, _Tensor) and not tensor.requires_grad:
                self.rec.record(_BACKWARD, loc, "", self._fs(), (("graphless", True), ("why", _why(tensor))))
                return ("graphless",)
        before = {}
        for token, grads in self.grads.items():
            optimizer = grads.ref()
            if optimizer is None:
                continue
            # grads_of() and mask_of(), inlined. `now` holds tensors: dropped on return.
            groups = optimizer.param_groups
            now = list(map(_grad, groups[0]["params"])) if len(groups) == 1 else grads_of(optimizer)
            mask = tuple(map(is_, now, _NONE))
            nones = mask.count(True)
            if grads.cleared_since_last(mask):
                self._inferred_clear(loc, token)
            grads.last = mask
            count = len(now)
            before[token] = (None if nones == count else before_of(now, nones), count)  # before_of's None, inlined
        return (loc, before)

    def backward_end(self, state: Optional[tuple], ok: bool) -> None:
        if state is None or len(state) == 1 or not ok:
            return
        loc, before = state
        fed = []
        all_grads = self.grads
        for token, (pre, count) in before.items():
            grads = all_grads[token]
            optimizer = grads.ref()
            if optimizer is None:
                continue
            groups = optimizer.param_groups
            now = list(map(_grad, groups[0]["params"])) if len(groups) == 1 else grads_of(optimizer)
            mask = tuple(map(is_, now, _NONE))
            nones = mask.count(True)
            # grads_changed(), its common case inlined: no gradient before the backward
            if nones < count if pre is None and count == len(now) else grads_changed(pre, count, now, nones):
                fed.append(token)
                grads.fed += 1
                if grads.seen is not None:
                    grads.mark_seen(mask)
                stats = grads.stats
                stats.pending_backwards += 1
                stats.pending_sites.add(id(loc))
            grads.last = mask
        self.backwards_total += 1
        self.last_backward = loc
        if self._ddp:
            for info in self._ddp:
                module = info.ref()
                if module is not None and not getattr(module, "require_backward_grad_sync", True):
                    self.no_sync_backwards += 1
                    break
        if len(fed) == 1:
            fs = self._fs1.get(fed[0]) or self._fs(fed[0])
        else:
            fs = self._fs(*sorted(fed))
        self.rec.record(_BACKWARD, loc, "", fs, _IN_STEP if self.stepping else ())
        if fed and not self.steps_total:
            self.before_first_step.fed(self, fed)

    def _inferred_clear(self, loc: Location, *tokens: str) -> None:
        for token in tokens:
            self.opt_stats[token].cleared()
        facts: tuple = (("call", _INFERRED_CLEAR), ("inferred", True))
        if self.stepping:
            facts += _IN_STEP
        self.rec.record(_CLEAR, loc, "", self._fs(*tokens), facts)

    # -- clears --------------------------------------------------------------------------

    def optimizer_cleared(self, optimizer) -> None:  # noqa: ANN001
        entry = self._tokens.get(id(optimizer))  # self.token(optimizer), inlined
        if entry is None or entry[0]() is not optimizer:
            return
        token = entry[1]
        grads = self.grads.get(token)
        if grads is None:
            return
        loc = self.loc.here(3)  # this method, the zero_grad patch, its caller
        if token not in self.labels.names and self.labels.wants(token):
            self.labels.offer(token, loc, "receiver")
        facts: tuple = self._clear_facts.get(token) or self._clear_facts.setdefault(
            token, (("call", f"{{{token}}}.zero_grad()"),))
        if self.stepping:
            facts += _IN_STEP
        self.rec.record(_CLEAR, loc, token, self._fs1.get(token) or self._fs(token), facts)
        grads.stale = True
        grads.stats.cleared()

    def module_cleared(self, module: torch.nn.Module) -> None:
        if not self.grads:
            return
        ids = {id(p) for p in module.parameters()}
        cleared = []
        for token, grads in self.grads.items():
            optimizer = grads.ref()
            if optimizer is None:
                continue
            params = list(params_of(optimizer))
            # Only a clear of every parameter of the optimizer counts as its clear.
            if params and all(id(p) in ids for p in params):
                cleared.append(token)
        if not cleared:
            return
        model = self.token(module)
        call = f"{{{model}}}.zero_grad()" if model else f"{type(module).__name__}.zero_grad()"
        facts: tuple = (("call", call),)
        if self.stepping:
            facts += _IN_STEP
        self.rec.record(_CLEAR, self.loc.here(), model or "", self._fs(*cleared), facts)
        for token in cleared:
            self.opt_stats[token].cleared()
            now = self.grads[token].take()
            if now is not None:
                self.grads[token].last = now

    # -- steps ---------------------------------------------------------------------------

    def step_pre(self, optimizer, token: Optional[str] = None) -> None:  # noqa: ANN001
        token = token or self.token(optimizer)
        if token is None:
            return
        if self._scaler_opt == token:
            self._scaler_inner_ran = True
            self.stepping.add(token)
            return
        loc = self.loc.here(3)  # this method, the step pre-hook, torch's step wrapper
        if token not in self.labels.names and self.labels.wants(token):
            self.labels.offer(token, loc, "receiver")
        self._before_step(token, optimizer, loc)
        self._step_loc[token] = loc
        self._step_mark[token] = self.rec.total
        self.stepping.add(token)


    def step_post(self, optimizer, token: Optional[str] = None) -> None:  # noqa: ANN001
        token = token or self.token(optimizer)
        if token is None:
            return
        self.stepping.discard(token)
        if self._scaler_opt == token:
            # The step is recorded by scaler_step_end, also when a later post-hook raises
            # (`loopcheck run --max-steps` stops the script from one) and GradScaler.step
            # never returns.
            self._scaler_inner_done = True
            return
        rec = self.rec
        grads = self.grads[token]
        if rec.total != self._step_mark.get(token):
            # a closure ran inside step() (LBFGS): its gradients are the new baseline
            now = grads.take()
            if now is not None:
                grads.last = now
        # _step(), inlined (keep the two in step)
        rec.record(_STEP, self._step_loc.get(token) or self.loc.here(), token,
                   self._fs1.get(token) or self._fs(token), ())
        steps = grads.stats.stepped()
        self.steps_total += 1
        if steps & (steps - 1) == 0 and grads.seen is not None:
            self.refresh_never_fed(token)

    def _before_step(self, token: str, optimizer, loc: Location) -> None:  # noqa: ANN001
        grads = self.grads[token]
        groups = optimizer.param_groups  # grads.take(), inlined
        if len(groups) == 1:
            group = groups[0]
            now = tuple(map(is_, map(_grad, group["params"]), _NONE))
            lr = group.get("lr")  # _lrs(), inlined
            lrs = [lr if type(lr) is float else float(lr) if isinstance(lr, (int, float)) else "tensor"]
        else:
            now = tuple(map(is_, grads_of(optimizer), _NONE))
            lrs = _lrs(optimizer)
        if grads.cleared_since_last(now):
            self._inferred_clear(loc, token)
        grads.last = now
        stats = grads.stats
        if stats.lr_first is None:
            stats.lr_first = lrs
        stats.lr_last = lrs
        if self.steps_total < LC501_SAMPLED_STEPS:
            self.sample_unoptimized()

    def _step(self, token: str, loc: Location, facts: tuple) -> None:
        """A step of a GradScaler (step_post has this inlined: keep the two in step)."""
        self.rec.record(_STEP, loc, token, self._fs1.get(token) or self._fs(token), facts)
        steps = self.opt_stats[token].stepped()
        self.steps_total += 1
        # LC502 names: refreshed at steps 1, 2, 4, 8, ... while some parameter never had a gradient
        if steps & (steps - 1) == 0 and self.grads[token].seen is not None:
            self.refresh_never_fed(token)

    def scaler_step_begin(self, scaler, optimizer) -> Optional[tuple]:  # noqa: ANN001
        token = self.token(optimizer)
        if token is None:
            return None
        loc = self.loc.here(2)
        scaler_token = self.token(scaler) or self.add_scaler(scaler)
        if scaler_token and self.labels.wants(scaler_token):
            self.labels.offer(scaler_token, loc, "receiver")
        self._before_step(token, optimizer, loc)
        self._scaler_opt, self._scaler_inner_ran, self._scaler_inner_done = token, False, False
        return (token, loc, scaler_token)

    def scaler_step_end(self, state: Optional[tuple], ok: bool) -> None:
        if state is None:
            return
        self._scaler_opt = None
        if not ok and not self._scaler_inner_done:
            return
        token, loc, scaler_token = state
        stats = self.opt_stats[token]
        if not self._scaler_inner_ran:
            stats.skipped += 1  # inf/NaN gradients: still a step of the loop's schedule
        self._step(token, loc, (("call", f"{{{scaler_token}}}.step({{{token}}})"),))

    # -- schedulers, modes, constructions ----------------------------------------------

    def scheduler_step(self, scheduler) -> None:  # noqa: ANN001
        token = self.token(scheduler)
        if token is None:
            return
        loc = self.loc.here(2)
        if token not in self.labels.names and self.labels.wants(token):
            self.labels.offer(token, loc, "receiver")
        optimizer = self.sched_optimizer.get(token)
        self.rec.record(_SCHEDULER_STEP, loc, token, self._fs(optimizer) if optimizer else None)
        self.sched_steps[token] += 1
        if self.on_scheduler_step is not None:
            self.on_scheduler_step(token, scheduler, loc)

    def mode_set(self, module: torch.nn.Module, mode: bool) -> None:
        token = self.token(module)
        if token is None or token not in self.models:
            if not self.discover:
                return
            token = self._maybe_discover(module)
            if token is None:
                return
        info = self.models[token]
        loc = self.loc.here(2)
        if token not in self.labels.names and self.labels.wants(token):
            self.labels.offer(token, loc, "receiver")
        info.last_training = bool(mode)
        self.rec.record(_MODE, loc, token, None, (("model", token), ("training", bool(mode))))

    def optimizer_created(self, optimizer) -> None:  # noqa: ANN001
        frame = self.loc.user_frame()
        while frame is not None and frame.f_code.co_name == "__init__" and _first_arg(frame) is optimizer:
            frame = frame.f_back  # a user-defined optimizer class: report the construction site
            while frame is not None and self.loc.is_internal(frame.f_code):
                frame = frame.f_back
        loc = self.loc.location(frame) if frame is not None else self.loc.here()
        token = self.add_optimizer(optimizer, from_source(loc, "assign"), created=True)
        if token is None:
            return
        facts = (("stateless", True),) if _stateless(optimizer) else ()
        self.rec.record(_OPTIMIZER_CREATED, loc, token, self._fs(token), facts)
        if self.on_new_optimizer is not None:
            self.on_new_optimizer(optimizer)

    def top_level_call(self, module: torch.nn.Module) -> None:
        if self.token(module) is None:
            self._maybe_discover(module)

    # -- LC501 / LC502 -------------------------------------------------------------------

    def sample_unoptimized(self) -> None:
        """Parameters of watched models holding a gradient but in no watched optimizer.
        Sampled at the first steps and at exit, not per step: it walks every parameter."""
        if not self.grads:
            return
        in_optimizer: set[int] = set()
        for grads in self.grads.values():
            optimizer = grads.ref()
            in_optimizer.update(grads.param_ids if optimizer is None else map(id, params_of(optimizer)))
        for token, info in self.models.items():
            module = info.ref()
            if module is None:
                continue
            for name, param in module.named_parameters():
                if param.requires_grad and param.grad is not None and id(param) not in in_optimizer:
                    self.unoptimized.setdefault(token, set()).add(name)

    def refresh_never_fed(self, token: str) -> None:
        """Describe (by name) the parameters of one optimizer that never held a gradient.

        Done at a few steps (1, 2, 4, 8, ...) and at exit, while the objects are alive: a
        script run by `loopcheck run` has usually freed its optimizer before the report."""
        grads = self.grads.get(token)
        optimizer = grads.ref() if grads is not None else None
        if optimizer is None:
            return
        missing = set(grads.never_seen())
        if not missing or not self.opt_stats[token].steps or not grads.fed:
            self._never_fed.pop(token, None)
            return
        names = {}
        for model_token, info in self.models.items():
            module = info.ref()
            if module is not None:
                for name, param in module.named_parameters():
                    names.setdefault(id(param), f"{{{model_token}}}.{name}")
        found = tuple(
            names.get(id(p)) or f"parameter #{i} ({'x'.join(map(str, p.shape)) or 'scalar'})"
            for i, p in enumerate(params_of(optimizer)) if i in missing and p.requires_grad
        )
        if found:
            self._never_fed[token] = found
        else:
            self._never_fed.pop(token, None)

    def never_fed(self) -> dict[str, tuple[str, ...]]:
        """Per optimizer that stepped: names of parameters that require grad but never held
        a gradient (model tokens in braces, resolved to labels by the caller)."""
        for token in list(self.grads):
            self.refresh_never_fed(token)
        return {t: names for t, names in self._never_fed.items() if self.grads[t].seen is not None}


_functorch_active = getattr(torch._C, "_are_functorch_transforms_active", lambda: False)


def _under_grad_transform() -> bool:
    """A torch.func transform that computes gradients (grad, vjp, jacrev; jvp, jacfwd) is active."""
    from torch._C._functorch import TransformType, get_interpreter_stack

    return any(level.key() in (TransformType.Grad, TransformType.Jvp) for level in get_interpreter_stack() or ())


def _inputs(args: tuple, kwargs: dict) -> Iterable[tuple[str, Any]]:
    """Tensors passed to a forward, one container level deep (a tuple batch, a dict batch)."""
    Tensor = torch.Tensor
    for i, value in enumerate(args):
        if isinstance(value, Tensor):
            yield f"input {i}", value
        elif isinstance(value, (list, tuple)):
            for j, inner in enumerate(value[:16]):
                if isinstance(inner, Tensor):
                    yield f"input {i}[{j}]", inner
        elif isinstance(value, dict):
            for key, inner in list(value.items())[:16]:
                if isinstance(inner, Tensor):
                    yield f"input {i}[{key!r}]", inner
    for key, value in kwargs.items():
        if isinstance(value, Tensor):
            yield key, value


def _input_names(loc: Location, args: tuple, bad: list) -> tuple[str, ...]:
    """Names of the offending inputs as written in the call (`model(images)` -> images)."""
    written = from_source(loc, "args") or ()
    names = []
    for name, value in bad:
        position = next((i for i, arg in enumerate(args) if arg is value), None)
        shown = written[position] if position is not None and position < len(written) else None
        names.append(shown or name)
    return tuple(names)


def _first_arg(frame) -> Any:  # noqa: ANN001
    """The first argument (self) of an `__init__` frame. Its f_locals snapshot is released
    with the frame when the constructor returns, a moment later."""
    code = frame.f_code
    if not code.co_argcount:
        return None
    try:
        return frame.f_locals.get(code.co_varnames[0])
    except Exception:
        return None


def _why(tensor: torch.Tensor) -> str:
    if tensor.is_inference():
        return "it was computed under torch.inference_mode()"
    if not torch.is_grad_enabled():
        return "backward() runs inside a no_grad() block, where the loss was computed without a graph"
    return "it was computed under no_grad() or from detached values (.detach(), .data, .item(), torch.tensor(...))"


def _stateless(optimizer: torch.optim.Optimizer) -> bool:
    """The optimizer keeps no state between steps (STATELESS_OPTIMIZERS: plain SGD without momentum)."""
    known = STATELESS_OPTIMIZERS.get(type(optimizer).__name__)
    if known is None or type(optimizer).__module__.split(".")[0] != "torch":
        return False
    return all(not group.get(known[0]) for group in optimizer.param_groups)
