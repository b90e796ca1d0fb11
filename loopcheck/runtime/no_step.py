"""LC115 at runtime: backward passes fed an optimizer's parameters, and no optimizer ever stepped.

"0 steps" alone is weak evidence: a run can end before its first step (stopped, crashed,
cut by --limit-batches before an accumulation step), and backward passes are also made for
their own sake. The END event carries an optimizer only when all of this holds:

* the run ran to its end (the watcher says so: not interrupted, not stopped by --max-steps
  or SIGTERM, no exception); where --limit-batches cut a DataLoader iteration, the step may
  lie beyond the cut, so a clear must also have discarded the gradients of a backward in a
  window the cut did not end (a gradient-accumulation window that starts with its clear
  discards nothing but what a cut left over);
* no watched optimizer stepped at all (a GradScaler step that skipped the optimizer counts
  as a step);
* at least MIN_BACKWARDS backward passes put gradients into the optimizer's parameters;
* no parameter of it changed in place between those passes: a hand-written update
  (`p -= lr * p.grad` under no_grad) bumps the parameters' version counters.

The rule adds the last piece of evidence, the model's mode: backward through a model in
eval mode computes saliency maps, attributions or adversarial examples, not training.
Before the first step only, each feeding backward reads the version counters of the
optimizer's parameters (metadata, no sync); after it, this costs nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from loopcheck.runtime.gradstate import params_of

if TYPE_CHECKING:
    from loopcheck.runtime.evaluate import RunEnd
    from loopcheck.runtime.observer import Observer

MIN_BACKWARDS = 3


class BeforeFirstStep:
    def __init__(self) -> None:
        self._versions: dict[str, tuple[int, ...]] = {}  # optimizer token -> versions at its first feed
        self.updated_by_hand: set[str] = set()

    def fed(self, obs: "Observer", tokens: Iterable[str]) -> None:
        """A backward put gradients into these optimizers' parameters (called until the first step)."""
        for token in tokens:
            if token in self.updated_by_hand:
                continue
            optimizer = obs.grads[token].ref()
            if optimizer is None:
                continue
            versions = tuple(p._version for p in params_of(optimizer))
            first = self._versions.setdefault(token, versions)
            if versions != first:
                self.updated_by_hand.add(token)

    def loader_cut(self, obs: "Observer") -> None:
        """--limit-batches ended a DataLoader iteration: the pending gradients' window may have
        had its step beyond the cut, so the clear that drops them proves nothing."""
        for stats in obs.opt_stats.values():
            if stats.pending_backwards:
                stats.window_cut = True

    def end_facts(self, obs: "Observer", labels: dict[str, str], run_end: "RunEnd") -> dict[str, Any]:
        if run_end == "early" or obs.steps_total:
            return {}
        found = tuple(
            (token, labels.get(token, token), grads.fed) for token, grads in obs.grads.items()
            if grads.fed >= MIN_BACKWARDS and token not in self.updated_by_hand
            and (run_end == "complete" or obs.opt_stats[token].discarded)
        )
        return {"backward_without_step": found} if found else {}
