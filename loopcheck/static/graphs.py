"""Which opaque calls can reach the autograd graph of a forward (facts for rules/phases.py).

An opaque call (a function loopcheck cannot see into) can only run the backward of a forward's
graph if it can reach that graph: it is handed a value derived from the forward's output (as an
argument or as its receiver), or the output was stored where code out of view may find it
without being handed it (an attribute, an object or container kept elsewhere, a call out of view
that may keep what it is given). Handing the model is not enough: the callee may run forwards
and backwards of its own, which do not train on this one.

The walker numbers each forward call (the `graph` fact) and follows which names may hold a value
derived from its output. It over-approximates: every name read in an expression passes on what
it holds, whatever the operation (only an outermost `.item()`, `.tolist()`, `.numpy()`,
`.detach()` or `.data` drops it). Each OPAQUE event gets `handed_graphs`: the graphs of what it
is handed, and of what the file's code handed to code out of view reads (a lambda or a function
of the file, now or earlier as a callback: it may be called by the opaque code); none when code
that may read anything was handed on (`self`, an object or a class of the file): then it may
reach every graph, as before. A forward whose output escaped (stored in an attribute, in an
object that is not a local of the walked code, handed to a call out of view, returned to code
out of view, or seen by a forward hook) gets `escapes`: every opaque call may reach its graph,
as before. A model counts as keeping what its forwards computed (`extractor.features`).
"""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Iterable, Optional

import libcst as cst

from loopcheck.events import Event, Kind
from loopcheck.static import symbols as sym
from loopcheck.static.idioms import CONSTRUCTORS, DETACH_METHODS
from loopcheck.static.names import NO_CODE, children, dotted, last, names_in, nodes_in, receiver

if TYPE_CHECKING:
    from loopcheck.static.walker import Walker


class GraphTracking:
    """Mixed into the Walker: the state and helpers; the walker calls them where values flow."""

    def reset_graphs(self: "Walker") -> None:
        self.graph_numbers = itertools.count(1)
        self.carried: dict[str, frozenset[int]] = {}   # name -> graphs its value may hold
        self.escaped: set[int] = set()                 # graphs stored where code out of view may find them
        self.returned_graphs: list[frozenset[int]] = []   # graphs of the values returned/yielded so far
        # the calls whose receiver and arguments have been walked: (call, first event, first return)
        self.calls_walked: list[tuple[cst.Call, int, int]] = []
        # A model may keep what its forwards computed or were handed (`self.features = x`, a hook):
        # model -> those graphs, for reads of its attributes (`extractor.features`); and the graphs
        # handed to its forwards, for the model itself handed on (not its own: a callee handed the
        # model may run forwards and backwards of its own, which do not train on this one).
        self.kept_by_model: dict[str, frozenset[int]] = {}
        self.handed_to_model: dict[str, frozenset[int]] = {}
        # Code of the file handed to code out of view (a callback registered, a `partial(fn)`),
        # which may call it at any later time: every opaque call may reach what it reads; and
        # whether code that may read anything was handed so (`self`, an object of the file's classes).
        self.code_out_of_view: list[cst.CSTNode] = []
        self.unknown_code_out_of_view = False

    def give_back(self: "Walker", graphs: frozenset[int]) -> None:
        """A return or yield: to the expression of the call that was inlined, or (an entry point, a
        step function an engine calls) to code out of view, which may run its backward."""
        if not graphs:
            return
        if self.frame.called:
            self.returned_graphs.append(graphs)
        else:
            self.escape(graphs)

    def forward_graph(self: "Walker", node: cst.Call, models: Iterable[str]) -> int:
        """Number a forward call's output; note what its models may keep."""
        graph = next(self.graph_numbers)
        if self.symbols.forward_hooks:
            self.escape((graph,))   # a hook may keep the output where anything finds it
        handed = frozenset(self.handed(node))
        for model in models:
            self.kept_by_model[model] = self.kept_by_model.get(model, frozenset()) | handed | {graph}
            if handed:
                self.handed_to_model[model] = self.handed_to_model.get(model, frozenset()) | handed
        return graph

    def marks(self: "Walker") -> tuple[int, int]:
        return len(self.events), len(self.returned_graphs)

    def graphs_since(self: "Walker", marks: tuple[int, int]) -> set[int]:
        """Graphs of the forwards run, and of the values returned by inlined calls, since `marks`."""
        start, returns = marks
        found = {e.facts["graph"] for e in self.events[start:] if e.kind is Kind.FORWARD and "graph" in e.facts}
        for graphs in self.returned_graphs[returns:]:
            found |= graphs
        return found

    def graphs_read(self: "Walker", node: cst.CSTNode) -> set[int]:
        """Graphs the names read in `node` may hold."""
        found: set[int] = set()
        if not self.carried and not self.kept_by_model:
            return found
        for name, callee in _names_read(node):
            for canonical in self.resolve(name):
                parts = canonical.split(".")
                for end in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:end])
                    graphs = self.carried.get(prefix)
                    if graphs:
                        found |= graphs
                    if prefix in self.kept_by_model:
                        # `extractor.features`, `model.fc.weight`; not the model's own methods
                        # (`model.state_dict()`); the model itself: what its forwards were handed
                        read = len(parts) - callee
                        if read > end:
                            found |= self.kept_by_model[prefix]
                        elif read == end and not callee:
                            found |= self.handed_to_model.get(prefix, frozenset())
        return found

    def graphs_of(self: "Walker", value: cst.BaseExpression, marks: tuple[int, int]) -> frozenset[int]:
        """Graphs the value of `value` (walked since `marks`) may hold."""
        if _detached(value):
            return frozenset()
        return frozenset(self.graphs_since(marks) | self.graphs_read(value))

    def escape(self: "Walker", graphs: Iterable[int]) -> None:
        self.escaped.update(graphs)

    def carry(self: "Walker", target: cst.BaseExpression, graphs: frozenset[int]) -> None:
        """`target = value` where the value may hold `graphs`: a plain name holds them from now
        on (and keeps what it held: a name is not followed through rebinding); an element
        (`d[k] = out`) makes its container hold them; an attribute lets them escape."""
        if not graphs:
            return
        kind = type(target)
        if kind in (cst.Tuple, cst.List):
            for element in target.elements:
                self.carry(element.value, graphs)
        elif kind is cst.StarredElement:
            self.carry(target.value, graphs)
        elif kind is cst.Name:
            for canonical in self.resolve(target.value):
                self.hold(canonical, graphs)
        elif kind is cst.Subscript:
            self.keep_in(target.value, graphs)
        else:
            self.escape(graphs)

    def hold(self: "Walker", canonical: str, graphs: frozenset[int]) -> None:
        if "." in canonical:   # a parameter bound to the caller's attribute
            self.escape(graphs)
        else:
            self.carried[canonical] = self.carried.get(canonical, frozenset()) | graphs

    def keep_in(self: "Walker", obj: cst.BaseExpression, graphs: frozenset[int]) -> None:
        """An object (`outs` in `outs.append(x)`, `outs[i] = x`) now keeps `graphs`: followed when
        it is a local object of the walked code, an escape otherwise (an attribute, `self`, a
        module, a parameter, the training state that other code is handed)."""
        name = dotted(obj)
        if name is None:
            if type(obj) is cst.Subscript:
                self.keep_in(obj.value, graphs)   # outs[i][j] = x
            elif not self.graphs_read(obj):       # a value derived from a forward: a tensor operation
                self.escape(graphs)
            return
        for canonical in self.resolve(name):
            if "." in canonical or canonical == "self" or not self.local_object(canonical):
                self.escape(graphs)
            else:
                self.hold(canonical, graphs)

    def local_object(self: "Walker", name: str) -> bool:
        """Bound by the walked code (not an imported module, a parameter of the entry point, a
        global set elsewhere) and not training state or an object of the file's classes."""
        kind = self.symbols.kind(name) or ""
        if kind in sym.TRAINING_STATE or kind.startswith(sym.INSTANCE):   # shared with code out of view
            return False
        return name in self.values or name in self.carried

    def call_marks(self: "Walker", node: cst.Call) -> Optional[tuple[int, int]]:
        for call, start, returns in reversed(self.calls_walked):
            if call is node:
                return start, returns
        return None

    def handed(self: "Walker", node: cst.Call) -> set[int]:
        """Graphs of the arguments of `node` (their names, and the forwards run to compute them)."""
        marks = self.call_marks(node)
        found = self.graphs_since(marks) if marks is not None else set()
        for arg in node.args:
            found |= self.graphs_read(arg.value)
        return found

    def keep_handed(self: "Walker", node: cst.Call, name: Optional[str], recv_kind: Optional[str],
                    pure: bool) -> None:
        """A call that is not inlined is handed values that may hold graphs: a method of a local
        object keeps them in it; any other call (`pure`: known to keep nothing) may keep them where
        code out of view finds them."""
        partial = name is not None and name.endswith("partial")
        if (not pure or partial) and recv_kind != sym.MODEL and (name is None or last(name) not in CONSTRUCTORS):
            for arg in node.args:   # `model.apply(init)`, a loader's collate_fn: called at once or per batch
                code = self.code_in(arg.value)
                if code is None:
                    self.unknown_code_out_of_view = True
                else:
                    self.code_out_of_view.extend(c for c in code if c not in self.code_out_of_view)
        if pure and name != "setattr":
            return
        graphs = self.handed(node)
        if not graphs:
            return
        recv = receiver(node)
        if recv is not None and recv_kind is None:
            self.keep_in(recv, frozenset(graphs))
            return
        self.escape(graphs)

    def opaque_graphs(self: "Walker", node: cst.Call) -> dict[str, frozenset[int]]:
        """{"handed_graphs": ...} for an OPAQUE event, or {} when it is handed code that may read
        anything."""
        if self.unknown_code_out_of_view:
            return {}
        recv = receiver(node)
        parts: list[cst.CSTNode] = [a.value for a in node.args] + ([recv] if recv is not None else [])
        code = list(self.code_out_of_view)
        for part in parts:
            found = self.code_in(part)
            if found is None:
                return {}
            code += found
        graphs = self.handed(node)
        if recv is not None:
            graphs |= self.graphs_read(recv)
        for function in code:   # what the code handed to it, now or before, reads
            graphs |= self.graphs_read(function)
        return {"handed_graphs": frozenset(graphs)}

    def with_callees(self: "Walker", function: cst.FunctionDef) -> list[cst.CSTNode]:
        """The function and the file's functions it calls, directly or not."""
        found: list[cst.CSTNode] = [function]
        for current in found:
            for name in names_in(current):
                callee = self.symbols.functions.get(name)
                if callee is not None and callee not in found:
                    found.append(callee)
        return found

    def code_in(self: "Walker", node: cst.CSTNode) -> Optional[list[cst.CSTNode]]:
        """The lambdas and the file's functions `node` hands on, or None when it hands on code that
        may read anything (`self`, a method, an object or a class of the file)."""
        code: list[cst.CSTNode] = [n for n in nodes_in(node, into_functions=True) if type(n) is cst.Lambda]
        for name in names_in(node, callees=False):
            head = name.split(".", 1)[0]
            if head == "self" or name in self.symbols.classes:
                return None
            local = next((frame.local_functions[name] for frame in reversed(self.frames)
                          if name in frame.local_functions), None)
            function = local or self.symbols.functions.get(name)
            if function is not None:
                code += self.with_callees(function)
                continue
            for canonical in self.resolve(name):
                kind = self.symbols.kind(canonical) or ""
                if kind.startswith(sym.INSTANCE) or canonical.split(".", 1)[0] == "self":
                    return None
        return code

    def bind_graphs(self: "Walker", func: cst.FunctionDef, node: cst.Call, env: dict[str, frozenset[str]]) -> None:
        """An inlined call: its parameters not bound to the caller's names hold what the call is
        handed (all of it: which argument is which is not worked out)."""
        graphs = frozenset(self.handed(node))
        if not graphs:
            return
        params = [p.name.value for p in (*func.params.params, *func.params.kwonly_params, *func.params.posonly_params)]
        for star in (func.params.star_arg, func.params.star_kwarg):
            if isinstance(star, cst.Param):
                params.append(star.name.value)
        for param in params:
            if param not in env and param != "self":
                self.hold(param, graphs)

    def mark_escapes(self: "Walker", events: list[Event]) -> None:
        if not self.escaped:
            return
        for event in events:
            if event.kind is Kind.FORWARD and event.facts.get("graph") in self.escaped:
                event.facts["escapes"] = True


def _detached(value: cst.BaseExpression) -> bool:
    """An outermost call or attribute that leaves no graph (a Python number, a detached tensor)."""
    if type(value) is cst.Attribute:
        return value.attr.value == "data"
    if type(value) is cst.Call and type(value.func) is cst.Attribute:
        return value.func.attr.value in DETACH_METHODS
    return False


def _names_read(node: cst.CSTNode) -> Iterable[tuple[str, bool]]:
    """`names_in(node)`, each with whether it is called (`outputs.max` in `outputs.max(1)`)."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Call:
            name = dotted(current.func)
            if name is not None:
                yield name, True
                stack.extend(current.args)
                continue
        elif kind is cst.Name or kind is cst.Attribute:
            name = dotted(current)
            if name is not None:
                yield name, False
                continue
        elif kind in NO_CODE:
            continue
        stack.extend(children(current))
