"""The shared stream rules over hand-built event streams, independent of any producer.

Each event gets its own line number, so a finding's line names the event it was reported on.
"""
from __future__ import annotations

from typing import Iterable, Optional

import pytest

from loopcheck.events import Event, Kind, Stream
from loopcheck.findings import Location
from loopcheck.rules import STREAM_RULES, evaluate


class Builder:
    """`b.clear(); b.backward(); b.step()` -> events on lines 1, 2, 3, ..."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, kind: Kind, target: str = "", optimizers: Optional[Iterable[str]] = None,
            guards: Iterable[int] = (), at: Optional[int] = None, **facts: object) -> int:
        line = at if at is not None else len(self.events) + 1
        opts = frozenset(optimizers) if optimizers is not None else None
        self.events.append(Event(kind, Location("t.py", line, 1), target, target, opts,
                                 frozenset(guards), dict(facts)))
        return line

    def clear(self, opt: str = "opt", **kw: object) -> int:
        return self.add(Kind.CLEAR, opt, optimizers=[opt], **kw)

    def backward(self, **kw: object) -> int:
        return self.add(Kind.BACKWARD, "loss", **kw)

    def step(self, opt: str = "opt", **kw: object) -> int:
        return self.add(Kind.STEP, opt, optimizers=[opt], **kw)

    def forward(self, model: str = "model", grad: Optional[bool] = True, layers: Optional[bool] = True,
                **kw: object) -> int:
        return self.add(Kind.FORWARD, model, model=model, grad_enabled=grad, has_mode_layers=layers, **kw)

    def mode(self, training: Optional[bool], model: str = "model", **kw: object) -> int:
        return self.add(Kind.MODE, model, model=model, training=training, **kw)

    def findings(self, code: str) -> set[int]:
        self.add(Kind.END)
        found = evaluate(Stream(self.events, origin="runtime"))
        return {f.line for f in found if f.code == code}


def cycle(b: Builder, steps: list, times: int = 2) -> list[list[int]]:
    """Run `steps` (callables `f(builder, at=line)`) `times` times, as the static producer
    unrolls a loop: every copy of a step has the same location (lines 101, 102, ...)."""
    return [[step(b, at=100 + j) for j, step in enumerate(steps)] for _ in range(times)]


def test_every_stream_rule_is_registered_once() -> None:
    codes = [r.code for r in STREAM_RULES]
    assert len(codes) == len(set(codes))
    assert {"LC101", "LC102", "LC103", "LC104", "LC105", "LC106", "LC107", "LC201", "LC202",
            "LC203", "LC301"} <= set(codes)


# ---- LC101 ---------------------------------------------------------------------------------
def test_lc101_backward_step_without_clear() -> None:
    b = Builder()
    b.backward(); b.step(); b.backward(); second = b.step()
    assert b.findings("LC101") == {second}


def test_lc101_silent_with_clear_each_iteration() -> None:
    b = Builder()
    cycle(b, [Builder.clear, Builder.backward, Builder.step])
    assert b.findings("LC101") == set()


def test_lc101_clear_of_another_optimizer_does_not_count() -> None:
    b = Builder()
    b.clear("d"); b.backward(); b.step("d"); b.step("g")
    b.clear("d"); b.backward(); b.step("d"); last = b.step("g")
    assert b.findings("LC101") == {last}


def test_lc101_unknown_clear_target_counts_for_every_optimizer() -> None:
    b = Builder()
    for _ in range(2):
        b.add(Kind.CLEAR, "p.grad", optimizers=None)
        b.backward(); b.step()
    assert b.findings("LC101") == set()


def test_lc101_opaque_call_silences() -> None:
    b = Builder()
    b.backward(); b.step(); b.add(Kind.OPAQUE, "helper", optimizers=None); b.backward(); b.step()
    assert b.findings("LC101") == set()


def test_lc101_two_steps_without_backward_between_are_not_accumulation() -> None:
    b = Builder()
    b.backward(); b.step(); b.step()
    assert b.findings("LC101") == set()


# ---- LC102 / LC103 -------------------------------------------------------------------------
def test_lc102_clear_between_backward_and_step() -> None:
    b = Builder()
    lines = cycle(b, [Builder.backward, Builder.clear, Builder.step])
    assert b.findings("LC102") == {lines[0][1]}
    assert b.findings("LC103") == set()


def test_lc103_step_before_backward() -> None:
    b = Builder()
    lines = cycle(b, [Builder.clear, Builder.step, Builder.backward])
    assert b.findings("LC103") == {lines[0][1]}
    assert b.findings("LC102") == set()


def test_lc102_silent_when_clear_is_conditional() -> None:
    b = Builder()
    for _ in range(2):
        b.backward(); b.clear(guards=[7]); b.step()
    assert b.findings("LC102") == set()


def test_lc102_silent_for_another_optimizers_clear() -> None:
    b = Builder()
    for _ in range(2):
        b.clear("g"); b.add(Kind.BACKWARD, "g_loss", optimizers=["g"]); b.clear("d"); b.step("g")
    assert b.findings("LC102") == set()


def test_lc103_silent_for_step_with_closure() -> None:
    b = Builder()
    for _ in range(2):
        b.clear(in_step=True); b.backward(in_step=True); b.step()
    assert b.findings("LC103") == set() and b.findings("LC101") == set()


# ---- LC104 ---------------------------------------------------------------------------------
def sched(b: Builder, opt: str = "opt") -> int:
    return b.add(Kind.SCHEDULER_STEP, "sched", optimizers=[opt])


def test_lc104_scheduler_before_first_step() -> None:
    b = Builder()
    first = sched(b)
    b.clear(); b.backward(); b.step(); sched(b)
    assert b.findings("LC104") == {first}


def test_lc104_silent_after_step() -> None:
    b = Builder()
    for _ in range(2):
        b.clear(); b.backward(); b.step(); sched(b)
    assert b.findings("LC104") == set()


def test_lc104_silent_after_opaque_call_on_its_optimizer() -> None:
    b = Builder()
    b.add(Kind.OPAQUE, "train_one_epoch", optimizers=["opt"]); sched(b); b.step()
    assert b.findings("LC104") == set()


def test_lc104_step_of_an_unrelated_optimizer_does_not_count() -> None:
    b = Builder()
    b.step("other"); first = sched(b, "opt"); b.step("opt")
    assert b.findings("LC104") == {first}


# ---- LC105 ---------------------------------------------------------------------------------
def test_lc105_guarded_step_with_clear_every_iteration() -> None:
    b = Builder()
    lines = cycle(b, [Builder.clear, Builder.backward, lambda x, at: x.step(guards=[3], at=at)])
    assert b.findings("LC105") == {lines[0][0]}


def test_lc105_silent_when_clear_shares_the_steps_guard() -> None:
    b = Builder()
    cycle(b, [Builder.backward, lambda x, at: x.step(guards=[3], at=at), lambda x, at: x.clear(guards=[3], at=at)])
    assert b.findings("LC105") == set()


def test_lc105_silent_when_step_every_iteration() -> None:
    b = Builder()
    cycle(b, [Builder.clear, Builder.backward, Builder.step], times=3)
    assert b.findings("LC105") == set()


def test_lc105_silent_for_gan_streams() -> None:
    """WGAN: the critic steps every iteration, the generator (cleared, backward, stepped
    under one guard) every n_critic iterations."""
    b = Builder()
    for _ in range(2):
        b.clear("d", at=1); b.backward(at=2); b.step("d", at=3)
        b.clear("g", guards=[5], at=4); b.backward(guards=[5], at=5); b.step("g", guards=[5], at=6)
    assert b.findings("LC105") == set()


def test_lc105_generator_cleared_every_iteration_but_stepped_sometimes() -> None:
    b = Builder()
    for _ in range(2):
        b.clear("d", at=1); b.add(Kind.BACKWARD, "d_loss", optimizers=["d"], at=2); b.step("d", at=3)
        b.clear("g", at=4); b.add(Kind.BACKWARD, "g_loss", optimizers=["g"], at=5)
        b.step("g", guards=[5], at=6)
    assert b.findings("LC105") == {4}


def test_lc105_silent_when_other_optimizer_steps_right_after_the_clear() -> None:
    b = Builder()
    for _ in range(2):
        b.clear("g"); b.backward(); b.clear("d"); b.step("g"); b.backward(); b.step("d")
    assert b.findings("LC105") == set()


# ---- LC106 / LC107 -------------------------------------------------------------------------
def test_lc106_graphless_backward() -> None:
    b = Builder()
    b.clear(); line = b.backward(graphless=True, why="it was detached"); b.step()
    assert b.findings("LC106") == {line}


def test_lc106_silent_when_graph_unknown() -> None:
    b = Builder()
    b.clear(); b.backward(); b.step()
    assert b.findings("LC106") == set()


def created(b: Builder, at: int, guards: Iterable[int] = ()) -> int:
    return b.add(Kind.OPTIMIZER_CREATED, "opt", optimizers=["opt"], at=at, guards=guards)


def test_lc107_optimizer_recreated_every_step() -> None:
    b = Builder()
    for _ in range(2):
        created(b, 100); b.clear(); b.backward(); b.step()
    assert b.findings("LC107") == {100}


def test_lc107_silent_when_recreated_per_stage() -> None:
    b = Builder()
    for _ in range(2):
        created(b, 100)
        for _ in range(3):
            b.clear(); b.backward(); b.step()
    assert b.findings("LC107") == set()


def test_lc107_silent_when_conditional() -> None:
    b = Builder()
    for _ in range(2):
        created(b, 100, guards=[9]); b.clear(); b.backward(); b.step()
    assert b.findings("LC107") == set()


# ---- LC201 / LC202 / LC203 -----------------------------------------------------------------
def train_iteration(b: Builder) -> int:
    b.clear(); line = b.forward(); b.backward(); b.step()
    return line


def test_lc201_evaluation_in_train_mode() -> None:
    b = Builder()
    b.mode(True); train_iteration(b)
    evaluation = b.forward(grad=False)
    assert b.findings("LC201") == {evaluation}


def test_lc201_silent_without_mode_layers() -> None:
    b = Builder()
    b.mode(True); train_iteration(b); b.forward(grad=False, layers=False)
    assert b.findings("LC201") == set()


def test_lc201_silent_for_gan_generator() -> None:
    b = Builder()
    b.mode(True, "G"); b.mode(True, "D")
    for _ in range(2):
        b.forward("G"); b.clear("d"); b.forward("D"); b.backward(); b.step("d")
        b.clear("g"); b.forward("D"); b.backward(); b.step("g")
    assert b.findings("LC201") == set()


def test_lc202_eval_forward_with_grad() -> None:
    b = Builder()
    b.mode(True); train_iteration(b); b.mode(False)
    evaluation = b.forward(grad=True)
    assert b.findings("LC202") == {evaluation}
    assert b.findings("LC201") == set()


def test_lc202_silent_under_no_grad_and_for_unknown_grad() -> None:
    b = Builder()
    b.mode(True); train_iteration(b); b.mode(False); b.forward(grad=False); b.forward(grad=None)
    assert b.findings("LC202") == set()


def test_lc202_opaque_call_counts_only_when_it_may_reach_the_forwards_graph() -> None:
    def stream(opaque: dict, forward: Optional[dict] = None) -> set[int]:
        b = Builder()
        b.mode(True); train_iteration(b); b.mode(False)
        b.forward(grad=True, at=50, **{"graph": 7, **(forward or {})})
        b.add(Kind.OPAQUE, "helper", optimizers=None, models=["model"], **opaque)
        return b.findings("LC202")

    assert stream({"handed_graphs": frozenset({3})}) == {50}       # handed the model only
    assert stream({"handed_graphs": frozenset({3, 7})}) == set()   # handed a value derived from the output
    assert stream({}) == set()                                     # unknown (runtime, code handed on)
    assert stream({"handed_graphs": frozenset()}, {"escapes": True}) == set()   # the output escaped
    assert stream({"handed_graphs": frozenset()}, {"graph": None}) == set()     # not numbered


def test_lc203_training_resumes_in_eval_mode() -> None:
    b = Builder()
    b.mode(True)
    train_iteration(b)
    b.mode(False); b.forward(grad=False)
    second = train_iteration(b)
    assert b.findings("LC203") == {second}


def test_lc203_silent_for_frozen_batchnorm() -> None:
    b = Builder()
    b.mode(False)
    for _ in range(2):
        train_iteration(b)
        b.forward(grad=False)
    assert b.findings("LC203") == set()


def test_lc203_silent_when_train_restored() -> None:
    b = Builder()
    for _ in range(2):
        b.mode(True); train_iteration(b); b.mode(False); b.forward(grad=False)
    assert b.findings("LC203") == set()


def test_lc203_conditional_eval_with_validation_under_it() -> None:
    b = Builder()
    b.mode(True)
    for _ in range(2):
        b.mode(False, guards=[4], at=10); b.forward(grad=False, guards=[4], at=11)
        b.clear(at=12); b.forward(at=13); b.backward(at=14); b.step(at=15)
    assert b.findings("LC203") == {13}


def test_lc203_silent_for_conditional_eval_without_validation() -> None:
    b = Builder()
    b.mode(True)
    for _ in range(2):
        b.mode(False, guards=[4])
        train_iteration(b)
    assert b.findings("LC203") == set()


def test_lc203_silent_for_forward_that_is_not_surely_trained() -> None:
    b = Builder()
    b.mode(True); train_iteration(b); b.mode(False)
    b.forward(grad=None); b.forward(grad=None)
    assert b.findings("LC203") == set()


# ---- LC301 ---------------------------------------------------------------------------------
def test_lc301_unmoved_inputs() -> None:
    b = Builder()
    line = b.forward(unmoved_inputs=["inputs"], device="cuda:0")
    assert b.findings("LC301") == {line}


def test_lc301_data_event_for_loss() -> None:
    b = Builder()
    line = b.add(Kind.DATA, "criterion", callee="criterion", unmoved_inputs=["labels"])
    b.forward()
    assert b.findings("LC301") == {line}


@pytest.mark.parametrize("origin", ["static", "runtime"])
def test_rules_do_not_branch_on_origin(origin: str) -> None:
    b = Builder()
    b.backward(); b.step(); b.backward(); b.step()
    b.add(Kind.END)
    found = {(f.code, f.line) for f in evaluate(Stream(b.events, origin=origin))}
    assert found == {("LC101", 4)}
