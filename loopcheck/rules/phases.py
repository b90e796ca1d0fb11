"""What each forward pass was for, and the mode its model was in.

A forward is an *evaluation* forward when no backward follows it before the same model
runs again and, when grad is enabled, none follows before the next step or mode switch
either (so a GAN's generator forward, whose backward comes after the
discriminator's update, still counts as training).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from loopcheck.events import Event, Kind

# A clear may sit between a forward and its backward (contrastive losses, zero_grad after
# the forward), so only steps, mode switches and the end close a phase.
_BOUNDARIES = (Kind.STEP, Kind.MODE, Kind.END)


@dataclass(frozen=True)
class ForwardView:
    index: int
    event: Event
    model: str
    training: Optional[bool]   # the model's mode: True train, False eval, None unknown
    evaluation: bool           # an evaluation/inference forward (not trained on)
    mode_event: Optional[Event]  # the MODE event that set `training`, if any
    trained: bool = False      # surely a training forward: a backward follows before the model runs again
    after_validation: Optional[Event] = None  # a conditional eval() that validation ran under (see forwards)
    # An explicit model.train() with no training of the model since: train mode on purpose
    # for this forward (Monte-Carlo dropout sampling), not left over from training.
    deliberate_train_mode: bool = False


def _backward_before(events: Sequence[Event], index: int, stop, opaque_counts: bool = True,  # noqa: ANN001
                     training_only: bool = False, graph: Optional[int] = None) -> bool:
    """A backward (or an opaque call that may run one) comes before `stop`. With `training_only`,
    only a backward that trains counts, and an opaque call only when it is surely handed both the
    forward's output (or a value derived from it) and an optimizer (`loss_scaler(loss, optimizer)`):
    a helper handed the output alone (a metric, a loss computation, an explainer), or an optimizer
    and an output that escaped elsewhere (a checkpoint save), trains nothing for certain."""
    # An index loop, not events[index + 1:]: a slice would copy the rest of the stream for
    # every forward (quadratic on long runtime streams).
    backward, opaque = Kind.BACKWARD, Kind.OPAQUE
    for i in range(index + 1, len(events)):
        event = events[i]
        kind = event.kind
        # An opaque call (a loss scaler, an imported train step) may run the backward, if it can
        # reach the forward's graph (`graph`: the forward's number, when the producer followed
        # where its output went; see static/graphs.py).
        if (kind is backward and not (training_only and event.facts.get("trains") is False)) \
                or (opaque_counts and kind is opaque and (_surely_trains(event, graph) if training_only
                                                          else _may_reach(event, graph))):
            return True
        if stop(event):
            return False
    return False


def _may_reach(opaque: Event, graph: Optional[int]) -> bool:
    """The opaque call may run the backward of the forward numbered `graph` (None: unknown)."""
    handed = opaque.facts.get("handed_graphs")
    return graph is None or handed is None or graph in handed


def _surely_trains(opaque: Event, graph: Optional[int]) -> bool:
    """The opaque call is handed an optimizer and the forward numbered `graph` (not merely may reach it)."""
    return bool(opaque.facts.get("handed_optimizer")) and graph is not None \
        and graph in (opaque.facts.get("handed_graphs") or ())


def _graph(forward: Event) -> Optional[int]:
    """The forward's number for `_may_reach`, unless its output escaped (None: any opaque call
    may reach its graph)."""
    return None if forward.facts.get("escapes") else forward.facts.get("graph")


def is_evaluation(events: Sequence[Event], index: int) -> bool:
    event = events[index]
    grad = event.facts.get("grad_enabled")
    if grad is None or event.facts.get("trained_target"):
        # (a no_grad forward whose output a training loss uses: a DQN's targets, pseudo-labels)
        return False
    model = event.facts.get("model", event.target)
    same_model_again = lambda e: e.kind is Kind.FORWARD and e.facts.get("model", e.target) == model  # noqa: E731
    boundary = lambda e: e.kind in _BOUNDARIES  # noqa: E731
    # An opaque call counts only if it may reach this forward's graph: it is handed the output or
    # a value derived from it, or the output escaped where code out of view may find it.
    graph = _graph(event)
    # Output computed without grad cannot reach an opaque backward; only a real one (LC106) counts.
    if _backward_before(events, index, same_model_again, opaque_counts=grad is not False, graph=graph):
        return False
    # Without grad nothing can be trained on; with grad, the graph may still be used after
    # other models ran (a GAN's generator), so the next optimizer event must come first too.
    return grad is False or not _backward_before(events, index, boundary, graph=graph)


def only_steps_of_other_models(events: Sequence[Event], index: int) -> bool:
    """Every optimizer step before the forward's model runs again is known to update other
    modules: the model is frozen for this phase (alternating training, a fixed feature extractor)
    and its output only feeds the others' loss."""
    model = events[index].facts.get("model", events[index].target)
    steps = []
    for i in range(index + 1, len(events)):
        event = events[i]
        if event.kind is Kind.FORWARD and event.facts.get("model", event.target) == model:
            break
        if event.kind is Kind.STEP:
            steps.append(event.facts.get("models"))
    if not steps or any(models is None or model in models for models in steps):
        return False
    # The optimizer's modules are named as its construction wrote them (`model` in
    # `Adam(model.parameters())` inside `__init__`): trust them only when forwards use those names.
    forwarded = {e.facts.get("model", e.target) for e in events if e.kind is Kind.FORWARD}
    return all(models <= forwarded for models in steps)


def is_trained(events: Sequence[Event], index: int) -> bool:
    """A backward follows this forward before its model runs again: its output is trained on
    (not a backward for input gradients, such as a saliency map, that no step follows). A
    forward under no_grad() trains nothing, and a mode switch of another model starts another
    phase (the next model's training after this one's validation)."""
    if events[index].facts.get("grad_enabled") is False:
        return False
    model = events[index].facts.get("model", events[index].target)
    phase_over = lambda e: e.facts.get("model", e.target) == model if e.kind is Kind.FORWARD \
        else e.kind is Kind.MODE and e.facts.get("model", e.target) != model  # noqa: E731
    # The forward's own number, even when its output also escaped: an opaque call counts only if it
    # is surely handed that output (see _surely_trains).
    return _backward_before(events, index, phase_over, training_only=True, graph=events[index].facts.get("graph"))


def forwards(events: Sequence[Event]) -> Iterator[ForwardView]:
    """Every model forward with the model's mode at that point.

    A conditional `model.eval()` sets the mode of the forwards under the same condition and
    leaves it unknown for the others, except in one case: validation ran under that
    condition (an evaluation forward of the model) and no train() of any kind followed.
    Then, from the first time the condition held, the model stays in eval mode:
    `after_validation` names that eval() for LC203. Only for a model the code explicitly put
    in train mode before (frozen-BatchNorm set-ups call eval() on purpose)."""
    mode: dict[str, tuple[Optional[bool], Optional[Event]]] = {}
    pending_eval: dict[str, Event] = {}
    left_in_eval: dict[str, Event] = {}
    put_in_train: set[str] = set()   # an explicit, unconditional model.train() ran
    trained_since_mode: set[str] = set()
    for index, event in enumerate(events):
        if event.kind is Kind.OPAQUE:
            trained_since_mode.update(event.facts.get("models") or ())
        elif event.kind is Kind.MODE:
            model = event.facts.get("model", event.target)
            training = event.facts.get("training")
            known, setter = mode.get(model, (None, None))
            # A conditional switch to the mode the model is surely in already changes nothing.
            if event.unconditional or setter is None or not setter.unconditional or known != training:
                mode[model] = (training, event)
                trained_since_mode.discard(model)
            left_in_eval.pop(model, None)
            pending_eval.pop(model, None)
            if training is True and event.unconditional and not event.facts.get("implicit"):
                put_in_train.add(model)
            if training is False and not event.unconditional and model in put_in_train:
                pending_eval[model] = event
        elif event.kind is Kind.FORWARD:
            model = event.facts.get("model", event.target)
            training, setter = mode.get(model, (None, None))
            if setter is not None and not setter.guards <= event.guards:
                training = None   # a conditional switch holds only under its condition
            evaluation = is_evaluation(events, index)
            pending = pending_eval.get(model)
            if evaluation and pending is not None and pending.guards <= event.guards:
                left_in_eval[model] = pending
            trained = is_trained(events, index)
            deliberate = training is True and setter is not None and not setter.facts.get("implicit") \
                and model not in trained_since_mode
            if trained:
                trained_since_mode.add(model)
            yield ForwardView(index, event, model, training, evaluation, setter, trained,
                              left_in_eval.get(model) if training is None else None, deliberate)


def may_change_with_mode(event: Event) -> bool:
    """The model has (or may have) Dropout/BatchNorm; False only when known to have none."""
    return event.facts.get("has_mode_layers") is not False


def modules_note(event: Event) -> str:
    active = event.facts.get("active_modules")
    if not active:
        return ""
    shown = ", ".join(active[:4]) + (f" and {len(active) - 4} more" if len(active) > 4 else "")
    return f" (active: {shown})"
