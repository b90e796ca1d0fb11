"""LC201 eval-without-eval-mode: a validation forward runs with the model in train mode."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.phases import forwards, modules_note


class EvalWithoutEvalMode(Rule):
    """Silent on periodic sampling inside training (grad on, under a per-iteration `if`),
    unless it runs over validation or test data; on a model built and never trained or loaded
    (shape and smoke checks), or whose output is read only for its shape; and on train mode set
    on purpose (an explicit model.train() with no training since: Monte-Carlo dropout)."""

    code = "LC201"

    def check(self, stream: Stream) -> Iterator[Finding]:
        for view in forwards(stream.events):
            if not view.evaluation or view.training is not True or view.deliberate_train_mode:
                continue
            if not view.event.facts.get("has_mode_layers"):
                continue
            # A model built and never trained or loaded (a shape or smoke check) has nothing
            # to evaluate: its train-mode output is as good as any.
            if view.event.facts.get("fresh"):
                continue
            # An output read only for its shape (`assert out.shape == ...`): Dropout and BatchNorm
            # do not change shapes.
            if view.event.facts.get("shape_check"):
                continue
            # A forward with grad on, under a per-iteration condition inside training (a GAN
            # sampling its generator every 100 batches) is often meant to use batch statistics;
            # a validation phase has no_grad(), runs unconditionally or reads held-out data.
            if view.event.facts.get("grad_enabled") is not False and not view.event.unconditional \
                    and not view.event.facts.get("evaluation_data"):
                continue
            label = view.event.label or view.model
            yield self.finding(
                view.event,
                f"{label} runs an evaluation forward in train mode{modules_note(view.event)}: "
                "Dropout stays active and BatchNorm normalises with batch statistics and updates "
                "its running averages, so the metrics are noisy and the model is changed",
                fix=f"call {label}.eval() before evaluating (and {label}.train() before training again)",
            )
