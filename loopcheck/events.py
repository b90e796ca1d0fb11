"""Events: the one vocabulary of a training loop.

Both producers emit the same events. The static checker builds streams from source
(each training loop unrolled twice, after the code that runs before it), the runtime
watcher records the stream of what really happened. Rules read streams only and never
know which producer made them.

Identities (`target`, `optimizers`, `model`) are opaque strings chosen by the producer:
a dotted name such as ``self.optimizer`` in source, ``id:0x...`` at runtime. `label` is what
the user should read.

`guards` records the conditions an event depends on. A static event inside
``if cond:`` carries that branch's id; two events that share a guard run together.
Runtime events really happened, so their guards are always empty.

Facts each producer attaches (absent or None means "unknown": rules then stay silent):

=================  =====================================================================
kind               facts
=================  =====================================================================
CLEAR              in_step: bool (inside an optimizer.step(closure) call, e.g. LBFGS)
FORWARD            model (identity), grad_enabled: bool, has_mode_layers: bool (Dropout /
                   BatchNorm inside), active_modules: list[str] (runtime: the Dropout and
                   BatchNorm submodules in train mode), unmoved_inputs: list[str] (LC301),
                   one_off: True (static: outside any loop, or in a loop that stops after its
                   first iteration), fresh: True (static: the model was built in this stream
                   and nothing has trained it or loaded weights into it yet), evaluation_data:
                   True (static: grad on, over held-out data: in a loop over a validation or
                   test loader that uses no gradient, or on inputs named as held-out data),
                   parameterless: True (static: an in-file module that holds no parameter and
                   no tensor requiring grad), shape_check: True (static: the output is assigned
                   to names that the scope reads only for their shape), graph: int (static: the
                   number of the forward call's output), escapes: True (static: the output was
                   stored where code out of view may find it)
BACKWARD           graphless: bool (the tensor has no grad path: LC106), in_step: bool,
                   trains: False (static: no step follows; gradients for their own sake)
STEP               --
SCHEDULER_STEP     optimizers holds the scheduler's optimizer
OPTIMIZER_CREATED  target: the optimizer; location identifies the construction site;
                   loops: tuple of ids of the enclosing loops (static), models: the modules
                   whose parameters it takes
MODE               model (identity), training: bool | None
DATA               callee: str, unmoved_inputs: list[str], device: str
OPAQUE             handed_graphs: frozenset[int] (static: the `graph` numbers of the forward
                   outputs the call is handed, directly or through derived values; absent when it
                   is handed code that may read anything: any forward's graph may be reached),
                   handed_optimizer: True (static: an optimizer is among its arguments, so it may
                   step: only then does it make a forward surely trained, phases.is_trained)
=================  =====================================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterator, Optional

from loopcheck.findings import Location


class Kind(str, Enum):
    CLEAR = "clear-grads"          # optimizer.zero_grad(), model.zero_grad(), p.grad = None
    FORWARD = "forward"            # model(...)
    BACKWARD = "backward"          # loss.backward(), scaler.scale(loss).backward(), ...
    STEP = "step"                  # optimizer.step(), scaler.step(optimizer)
    SCHEDULER_STEP = "scheduler-step"
    OPTIMIZER_CREATED = "optimizer-created"
    MODE = "mode"                  # model.train() / model.eval()
    DATA = "data"                  # batch data reaches a model or a loss function (device checks)
    OPAQUE = "opaque"              # a call the producer cannot see into, touching `optimizers`/`model`
    END = "end"                    # end of the observed stream (after the loop, or watch() exit)


@dataclass(frozen=True)
class Event:
    kind: Kind
    location: Location
    target: str = ""
    label: str = ""
    # Optimizers this event concerns: the stepped/cleared optimizer, or those a backward
    # feeds. None means "unknown: possibly all of them".
    optimizers: Optional[frozenset[str]] = None
    guards: frozenset[int] = frozenset()
    facts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def concerns(self, optimizer: str) -> bool:
        return self.optimizers is None or optimizer in self.optimizers

    def certain_given(self, other: "Event") -> bool:
        """True when this event runs whenever `other` runs (all of its guards hold for `other`)."""
        return self.guards <= other.guards

    @property
    def unconditional(self) -> bool:
        return not self.guards


@dataclass
class Stream:
    """An ordered sequence of events of one loop (static) or one watched run (runtime).

    `origin` is "static" or "runtime": rules may phrase messages differently but never
    branch their logic on it.
    """

    events: list[Event]
    origin: str = "static"
    path: str = ""

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)
