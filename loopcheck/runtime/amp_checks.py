"""LC111 and LC112 at runtime: the GradScaler protocol, read from the calls themselves.

An enabled GradScaler multiplies the loss, and so every gradient, by its scale;
`unscale_(optimizer)` divides that optimizer's gradients back, `step(optimizer)` unscales
them if that was not done yet and steps, and `update()` adapts the scale and readies the
scaler for the next step. For the duration of the block only, the watcher wraps the (already
observed) `__init__` and `step` of the GradScaler class, `unscale_` and `update` of the class of
every scaler it meets (FSDP's ShardedGradScaler overrides both without calling GradScaler's),
and torch's clip functions in `torch.nn.utils` and `torch.nn.utils.clip_grad` (users call
either).

* LC111: a clip over parameters of an optimizer that a backward fed since its last clear or
  step, with no `unscale_()` of that optimizer since its last step, followed by that
  optimizer's step through an enabled scaler.
* LC112: an enabled scaler steps or unscales an optimizer again with no `update()` since
  its last step of it (torch raises right after), or a run that ran to its end stepped
  through a scaler that never called `update()`.

A disabled scaler (`enabled=False`, or a CUDA scaler without CUDA) scales nothing and its
`update()` does nothing, so nothing is checked for it; while no scaler is enabled a clip
costs one flag test. Only tokens, step counts and locations are kept, never a tensor.
"""
from __future__ import annotations

import functools
import inspect
import types
from collections import Counter
from typing import Any, Callable, Optional

import torch

from loopcheck.findings import Location
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches

CLIP_FUNCTIONS = ("clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_")


class AmpChecks:
    def __init__(self, obs: Observer, safe: Callable[..., Any]) -> None:
        self.obs = obs
        self._safe = safe
        self.active = False  # the wrappers outlive the block where a script imported them by name
        self._patches = Patches()
        self._observed: set[tuple[type, str]] = set()  # (class, method) wrapped
        self._in_step = 0  # inside GradScaler.step(), which calls unscale_() itself
        # optimizer token -> (its step count then, {(clip location, clip function): calls})
        self._clips: dict[str, tuple[int, Counter]] = {}
        self._unscaled: dict[str, int] = {}  # optimizer token -> its step count at unscale_()
        # (scaler, optimizer) stepped since the scaler's last update(): the step's location
        self._stepped: dict[tuple[str, str], Location] = {}
        self._updated: set[str] = set()  # scalers that called update() at least once
        self.clip_before_unscale: Counter = Counter()  # (location, function, scaler, optimizer)
        self.update_missing: Counter = Counter()       # (location, scaler, optimizer)

    # -- install / remove --------------------------------------------------------------

    def install(self, patches: Patches, scaler_cls: Optional[type]) -> None:
        self.active = True
        self._patches = patches
        patches.handle(self)
        if scaler_cls is not None:
            self._patch_scaler(scaler_cls)
        self._patch_clips()

    def remove(self) -> None:
        """Called by Patches.undo_all (after the wrappers are restored: registered first)."""
        self.active = False

    def _patch_scaler(self, cls: type) -> None:
        safe = self._safe
        init, step = cls.__init__, cls.step  # the watcher's own wrappers

        def observed_init(scaler: Any, *args: Any, **kwargs: Any) -> None:
            init(scaler, *args, **kwargs)
            if self.active:
                safe(self._observe_class, type(scaler))

        def observed_step(scaler: Any, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return step(scaler, optimizer, *args, **kwargs)
            safe(self._scaler_step, scaler, optimizer)
            self._in_step += 1
            try:
                return step(scaler, optimizer, *args, **kwargs)
            finally:
                self._in_step -= 1

        for name, wrapper, original in (("__init__", observed_init, init), ("step", observed_step, step)):
            functools.update_wrapper(wrapper, original)
            self._patches.set_attr(cls, name, wrapper)
        self._observe_class(cls)

    def _observe_class(self, cls: type) -> None:
        """Wrap `unscale_` and `update` wherever the scaler's class hierarchy defines them."""
        for klass in cls.__mro__:
            for name, wrap in (("unscale_", self._wrap_unscale), ("update", self._wrap_update)):
                original = klass.__dict__.get(name)
                if inspect.isfunction(original) and (klass, name) not in self._observed:
                    self._observed.add((klass, name))
                    self._patches.set_attr(klass, name, functools.wraps(original)(wrap(original)))

    def _wrap_unscale(self, original: Callable[..., Any]) -> Callable[..., Any]:
        safe = self._safe

        def unscale_(scaler: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active or self._in_step:
                return original(scaler, *args, **kwargs)
            key = safe(self._scaler_unscaling, scaler, args[0] if args else kwargs.get("optimizer"))
            result = original(scaler, *args, **kwargs)
            if key is not None:
                self._unscaled[key[1]] = self._steps(key[1])
            return result

        return unscale_

    def _wrap_update(self, original: Callable[..., Any]) -> Callable[..., Any]:
        safe = self._safe

        def update(scaler: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(scaler, *args, **kwargs)
            if self.active and not self._in_step:
                safe(self._scaler_updated, scaler)
            return result

        return update

    def _patch_clips(self) -> None:
        import torch.nn.utils as utils
        import torch.nn.utils.clip_grad as clip_grad

        wrappers: dict[int, Callable[..., Any]] = {}  # one wrapper per function, set in both modules
        for module in (utils, clip_grad):
            for name in CLIP_FUNCTIONS:
                original = module.__dict__.get(name)
                if not callable(original):
                    continue
                wrapper = wrappers.get(id(original))
                if wrapper is None:
                    wrapper = wrappers[id(original)] = self._clip_wrapper(original, name)
                self._patches.set_attr(module, name, wrapper)

    def _clip_wrapper(self, original: Callable[..., Any], name: str) -> Callable[..., Any]:
        obs, safe = self.obs, self._safe

        @functools.wraps(original)
        def clip(*args: Any, **kwargs: Any) -> Any:
            if not self.active or not any(obs.scalers.values()):
                return original(*args, **kwargs)
            positional = bool(args)
            parameters = args[0] if positional else kwargs.get("parameters")
            if isinstance(parameters, torch.Tensor):
                safe(self._clipped, (parameters,), name)
            elif parameters is not None:
                # Materialised as the clip function does itself; a generator stays a generator
                # (torch warns about an empty one).
                listed = list(parameters)
                safe(self._clipped, listed, name)
                given = (p for p in listed) if isinstance(parameters, types.GeneratorType) else listed
                if positional:
                    args = (given,) + args[1:]
                else:
                    kwargs["parameters"] = given
            return original(*args, **kwargs)

        return clip

    # -- handlers ----------------------------------------------------------------------

    def _enabled_scaler(self, scaler: Any) -> Optional[str]:
        obs = self.obs
        token = obs.token(scaler)
        if token is None:  # built before the block: met at its first step
            token = obs.add_scaler(scaler)
            self._observe_class(type(scaler))
        return token if token is not None and obs.scalers.get(token) else None

    def _steps(self, optimizer_token: str) -> int:
        return self.obs.opt_stats[optimizer_token].steps

    def _clipped(self, parameters: Any, function: str) -> None:
        obs = self.obs
        ids = set(map(id, parameters))
        loc = None
        for token, grads in obs.grads.items():
            stats = obs.opt_stats[token]
            if not stats.pending_backwards or grads.param_ids.isdisjoint(ids):
                continue  # no fresh gradient to clip, or another optimizer's parameters
            if self._unscaled.get(token) == stats.steps:
                continue  # unscaled since its last step
            if loc is None:
                loc = obs.loc.here()
            entry = self._clips.get(token)
            if entry is None or entry[0] != stats.steps:
                entry = self._clips[token] = (stats.steps, Counter())
            entry[1][(loc, function)] += 1

    def _scaler_step(self, scaler: Any, optimizer: Any) -> None:
        obs = self.obs
        scaler_token, token = self._enabled_scaler(scaler), obs.token(optimizer)
        if scaler_token is None or token is None:
            return
        loc = obs.loc.here()
        key = (scaler_token, token)
        if key in self._stepped:
            self.update_missing[(loc, scaler_token, token)] += 1
        self._stepped[key] = loc
        clips = self._clips.pop(token, None)
        if clips is not None and clips[0] == self._steps(token):
            for (clip_loc, function), count in clips[1].items():
                self.clip_before_unscale[(clip_loc, function, scaler_token, token)] += count
        self._unscaled.pop(token, None)

    def _scaler_unscaling(self, scaler: Any, optimizer: Any) -> Optional[tuple[str, str]]:
        """(scaler, optimizer) tokens of an enabled scaler's unscale_(optimizer), both known.
        An optimizer stepped since the scaler's last update() is LC112 at that step (torch
        raises "unscale_() is being called after step()")."""
        token = self.obs.token(optimizer)
        scaler_token = self._enabled_scaler(scaler) if token is not None else None
        if scaler_token is None or token is None:
            return None
        step = self._stepped.get((scaler_token, token))
        if step is not None:
            self.update_missing[(step, scaler_token, token)] += 1
        return scaler_token, token

    def _scaler_updated(self, scaler: Any) -> None:
        scaler_token = self._enabled_scaler(scaler)
        if scaler_token is None:
            return
        self._updated.add(scaler_token)
        for key in [key for key in self._stepped if key[0] == scaler_token]:
            del self._stepped[key]

    # -- report ------------------------------------------------------------------------

    def end_facts(self, labels: dict[str, str], ran_to_its_end: bool) -> dict[str, Any]:
        """The END event's facts for LC111 and LC112, labels resolved. Steps never followed by
        update() count only for a run that ran to its end: `--max-steps` stops a script inside
        scaler.step(), before the update() it would have called."""
        missing = Counter(self.update_missing)
        if ran_to_its_end:
            for (scaler_token, token), loc in self._stepped.items():
                if scaler_token not in self._updated:
                    missing[(loc, scaler_token, token)] += 1
        facts: dict[str, Any] = {}
        if missing:
            facts["scaler_update_missing"] = tuple(
                (loc, labels.get(s, s), labels.get(o, o), count) for (loc, s, o), count in missing.items())
        if self.clip_before_unscale:
            facts["clip_before_unscale"] = tuple(
                (loc, function, labels.get(s, s), labels.get(o, o), count)
                for (loc, function, s, o), count in self.clip_before_unscale.items())
        return facts
