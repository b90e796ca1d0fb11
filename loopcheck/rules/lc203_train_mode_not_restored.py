"""LC203 train-mode-not-restored: training resumes in eval mode after validation."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.phases import forwards, may_change_with_mode, only_steps_of_other_models


class TrainModeNotRestored(Rule):
    code = "LC203"

    def check(self, stream: Stream) -> Iterator[Finding]:
        trained_in_train_mode: set[str] = set()
        for view in forwards(stream.events):
            if view.evaluation or not view.trained:
                continue  # only a forward surely trained on (a backward follows) is training
            if view.training is True:
                trained_in_train_mode.add(view.model)
                continue
            if view.after_validation is None and (
                    view.training is not False or view.model not in trained_in_train_mode):
                continue
            if not may_change_with_mode(view.event) or only_steps_of_other_models(stream.events, view.index):
                continue
            label = view.event.label or view.model
            where = ""
            if view.after_validation is not None:
                mode_event = view.after_validation
                where = f" (set by {mode_event.facts.get('call', label + '.eval()')} at line {mode_event.location.line})"
            elif view.mode_event is not None:
                where = f" (set by {view.mode_event.facts.get('call', label + '.eval()')} at line {view.mode_event.location.line})"
            yield self.finding(
                view.event,
                f"{label} is trained in eval mode{where}: after validation switched it to eval(), "
                "nothing switches it back, so Dropout is off and BatchNorm statistics freeze for "
                "the rest of training",
                fix=f"call {label}.train() at the start of every training epoch",
            )
