"""Walk code in execution order and emit training-loop events.

Loops are unrolled twice (so that rules see one iteration follow another), calls to
functions and methods of the same file, or of the project files it imports
(project_modules.py), are inlined (with a recursion guard), and events
under `if` carry guards. Conditions that do not change between iterations (`if args.amp:`)
are *invariant*: their branches are recorded as alternative worlds (facts["inv"]), not as
per-iteration chances, so that a `--dry-run` flag never looks like a skipped step.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Optional, Sequence

import libcst as cst
from libcst.metadata import CodeRange

from loopcheck.events import Event, Kind
from loopcheck.findings import Location
from loopcheck.static import symbols as sym
from loopcheck.static.device_conditions import cpu_only_arm
from loopcheck.static.graphs import GraphTracking
from loopcheck.static.idioms import (
    CONSTRUCTORS, DETACH_METHODS, EVAL_MODE_CONTEXTS, FUNCTION_NAMED_LIKE_A_MODEL, GRAD_CLEAR_METHODS,
    GRAD_OVERWRITE_METHODS, GRAD_ZERO_FACTORIES, LIST_BUILDERS, NON_FINITE_CHECKS, SAVING_CALLS, STATELESS_OPTIMIZERS,
    TENSOR_NUMBER_METHODS,
)
from loopcheck.static.names import (
    EXPRESSION_TYPES, NO_CODE, arg_value, bool_value, call_name, calls_in, children, constructed, constructed_module,
    dotted, keyword, last, method, names_in, nodes_in, number_value, receiver, root_of, string_value,
)
from loopcheck.static.notes import Accumulation, DiscardedMove, OffDeviceTensor, StaticNotes
from loopcheck.static.uses import read_beyond_shape
from loopcheck.static.values import CONSTANT, UNKNOWN, Value, combine

if TYPE_CHECKING:
    from loopcheck.static.project_modules import ProjectCode

MAX_EVENTS = 20_000
MAX_INLINE_DEPTH = 8
MAX_UNROLLED_DEPTH = 3
# Inlining copies a function's body at every call: a chain of functions that each call the next
# ten times is exponential. Statements walked per line of the file (all entry points together)
# before calls are no longer inlined; real files stay far below (at most ~3 per line).
INLINE_BUDGET_PER_LINE = 20
INLINE_BUDGET_MIN = 1_000

NO_GRAD = frozenset({"no_grad", "inference_mode"})
ENABLE_GRAD = frozenset({"enable_grad"})
MOVE_METHODS = frozenset({"to", "cuda"})
BACKWARD_FUNCTIONS = frozenset({"accelerator.backward", "torch.autograd.backward", "autograd.backward",
                                "self.manual_backward", "fabric.backward", "self.fabric.backward",
                                "self.accelerator.backward"})
# Calls that never touch training state, even when handed a model or optimizer.
SAFE_ROOTS = frozenset({
    "torch", "nn", "F", "np", "numpy", "math", "print", "len", "range", "enumerate", "zip", "isinstance",
    "getattr", "hasattr", "setattr", "str", "int", "float", "list", "dict", "tuple", "set", "sum", "min",
    "max", "sorted", "logging", "logger", "log", "wandb", "tqdm", "copy", "deepcopy", "json", "os",
    "sys", "time", "type", "id", "repr", "format", "open", "iter", "next", "any", "all", "vars",
    "torchvision", "summary", "writer", "tb_writer", "pickle", "random", "itertools", "functools",
    "super", "round", "abs", "map", "filter", "reversed", "dataclasses", "pprint", "mlflow",
})


@dataclass
class Frame:
    env: dict[str, frozenset[str]] = field(default_factory=dict)
    cls: Optional[str] = None
    func: Optional[cst.FunctionDef] = None
    local_functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    in_forward: bool = False
    returns: list[Value] = field(default_factory=list)   # values of the return statements walked
    # parameters given an expression, not a name (`window.append(loss.detach())`): its value
    arg_values: dict[str, Value] = field(default_factory=dict)
    called: bool = False   # inlined for a call of the walked code: its returns go to that call
    # parameters given a constant (`run(phase=Phase.VAL)`, `run("val")`) the body never rebinds
    literals: dict[str, str] = field(default_factory=dict)


@dataclass
class FileContext:
    path: str
    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]   # static.positions.Positions: resolved on first use
    symbols: sym.Symbols
    notes: StaticNotes = field(default_factory=StaticNotes)
    project: "Optional[ProjectCode]" = None   # the project files the file imports, when it has a path
    _texts: dict[int, tuple[cst.CSTNode, str]] = field(default_factory=dict, repr=False)   # id -> (node, code)

    def location(self, node: cst.CSTNode) -> Location:
        pos = self.positions.get(node)
        if pos is None:
            elsewhere = self.project.location(node) if self.project is not None else None
            return elsewhere or Location(self.path, 1, 1)
        return Location(self.path, pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)

    def text(self, node: cst.CSTNode, limit: int = 60) -> str:
        # Once per node: unrolled loops and inlined calls ask for the same conditions and calls.
        known = self._texts.get(id(node))
        if known is None:
            known = self._texts[id(node)] = (node, " ".join(self.module.code_for_node(node).split()))
        code = known[1]
        return code if len(code) <= limit else code[: limit - 3] + "..."


# Parts of expressions that hold expressions (an argument, a list element, a comprehension's `for`).
_EXPRESSION_PARTS = frozenset({cst.Arg, cst.Element, cst.DictElement, cst.StarredDictElement, cst.StarredElement,
                               cst.CompFor, cst.CompIf, cst.FormattedStringExpression, cst.Index, cst.Slice,
                               cst.SubscriptElement, cst.ComparisonTarget})
_INNER_PARTS = frozenset({cst.Index, cst.Slice, cst.CompFor, cst.CompIf})


def constant_key(node: cst.BaseExpression) -> Optional[str]:
    """A constant argument that selects a branch: a string or integer literal, or an enum-like
    member (`LoopPhase.VAL`: an attribute written in capitals)."""
    if type(node) is cst.SimpleString:
        return f"s:{node.evaluated_value}"
    if type(node) is cst.Integer:
        return f"i:{node.evaluated_value}"
    if type(node) is cst.Attribute and node.attr.value.isupper() and dotted(node) is not None:
        return f"e:{dotted(node)}"
    if type(node) is cst.Name and node.value in ("True", "False", "None"):
        return f"b:{node.value}"   # `run_epoch(train=False)`, `evaluate(model, optimizer=None)`
    return None


def decide_comparison(test: cst.Comparison, literals: Mapping[str, str]) -> Optional[bool]:
    """`if phase == LoopPhase.TRAIN:` in a function the walker entered with `phase=LoopPhase.VAL`:
    one loop function for every phase (training, validation, test) takes the arm its caller
    selects. Undecided unless both sides are constants of one kind (two members of one enum)."""
    if len(test.comparisons) != 1:
        return None
    op = type(test.comparisons[0].operator)
    if op not in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
        return None
    left, right = test.left, test.comparisons[0].comparator
    if type(right) is cst.Name and type(left) is not cst.Name:
        left, right = right, left
    if type(left) is not cst.Name or left.value not in literals:
        return None
    given, wanted = literals[left.value], constant_key(right)
    if wanted is None or given[:2] != wanted[:2]:
        return None
    if given[0] == "e" and given.rsplit(".", 1)[0] != wanted.rsplit(".", 1)[0]:
        return None
    same = given == wanted
    return same if op in (cst.Equal, cst.Is) else not same


def assigned_names(node: cst.CSTNode) -> set[str]:
    """Names bound anywhere inside `node`: what may change from one iteration to the next."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind in NO_CODE:
            continue
        bound = _BOUND.get(kind)
        if bound is not None:
            for target in bound(current):
                found.update(names_in(target))
        stack.extend(children(current))
    return found


# What each binding construct binds: node class -> its targets.
_BOUND: dict[type, Callable[..., Sequence[cst.CSTNode]]] = {
    cst.Assign: lambda node: [t.target for t in node.targets],
    cst.AugAssign: lambda node: [node.target],
    cst.AnnAssign: lambda node: [node.target],
    cst.For: lambda node: [node.target],
    cst.CompFor: lambda node: [node.target],
    cst.WithItem: lambda node: [node.asname.name] if node.asname is not None else [],
    cst.NamedExpr: lambda node: [node.target],
}


def reinitialised_names(loop: cst.CSTNode) -> set[str]:
    """Names a loop body sets afresh (`total = 0`), as opposed to updating (`total = total + x`)."""
    found: set[str] = set()
    body = loop.body if type(loop) in (cst.For, cst.While) else loop
    stack: list[cst.CSTNode] = [body]
    while stack:
        current = stack.pop()
        if type(current) is cst.Assign:
            value_names = set(names_in(current.value))
            for target in current.targets:
                name = dotted(target.target)
                if name is not None and name not in value_names:
                    found.add(name)
        if type(current) in (cst.FunctionDef, cst.ClassDef) or type(current) in NO_CODE:
            continue
        stack.extend(children(current))
    return found


class Walker(GraphTracking):
    """Produces one event stream per entry point (module body or uncalled function)."""

    def __init__(self, ctx: FileContext, lines: int = 0) -> None:
        self.ctx = ctx
        self.inline_budget = max(INLINE_BUDGET_MIN, INLINE_BUDGET_PER_LINE * lines)
        self.walked = 0            # statements walked in this file, all entry points together
        self.skipped_inlines = 0   # calls left uninlined once the budget was spent
        self._assigned: dict[cst.CSTNode, frozenset[str]] = {}
        self._reinitialised: dict[cst.CSTNode, frozenset[str]] = {}
        self._resolved: dict[str, frozenset[str]] = {}   # name -> canonical names, outside parameter bindings
        self.symbols = ctx.symbols
        self.events: list[Event] = []
        self.guards: list[int] = []
        self.invariant: list[int] = []
        self.grad: list[Optional[bool]] = [True]
        self.frames: list[Frame] = [Frame()]
        self.variant_names: list[frozenset[str]] = []   # each includes those below it
        self.reassigned: list[frozenset[str]] = []   # per enclosing loop: names re-initialised each iteration
        self.in_step = 0
        self.fast_forward = 0   # inside `for _ in range(start_epoch): scheduler.step()` (resuming)
        self.no_grad_forward_ids = itertools.count(1)
        self.no_grad_forward_of: dict[cst.Call, int] = {}   # each no_grad forward call: its latest number
        # (scope, into nested functions) -> name -> the values `name = value` assigns there, on demand
        self._bound: dict[tuple[cst.CSTNode, bool], dict[str, list[cst.BaseExpression]]] = {}
        self.call_targets: dict[cst.Call, list[cst.BaseExpression]] = {}   # `out = model(x)`: [out]
        self._read_beyond_shape: dict[cst.CSTNode, frozenset[str]] = {}
        # `for loss in losses`, `loss = losses[i]`: a name -> the containers its value was taken from
        self.drawn_from: dict[str, frozenset[str]] = {}
        self.asked_for_grad = 0   # inside `with torch.enable_grad():` or an @torch.enable_grad() function
        self.cpu_only = 0   # inside the CPU arm of a device choice (`else:` of `if use_cuda:`)
        self.saving = 0     # inside the arguments of torch.save
        self.values: dict[str, Value] = {}
        self.inlined: set[cst.FunctionDef] = set()
        self._ids = itertools.count(1)
        self._invariant_ids: dict[str, int] = {}
        self.unrolled_depth = 0
        self.gradient_uses = 0   # input-gradient calls walked so far (autograd.grad, requires_grad_)
        self.backwards = 0       # backward() calls walked so far
        self.returned: dict[cst.Call, Value] = {}   # value of each inlined call, when its returns agree
        self.loops: list[tuple[int, bool]] = []   # enclosing loops: (id, runs more than once)
        self.fresh: set[str] = set()   # models built in this stream and not yet trained or loaded
        self.placed: dict[str, bool] = {}   # models built in this stream: moved to their device yet?
        # Models built in this stream from a class of the file: has that class Dropout/BatchNorm?
        # (a notebook reuses `model` for a plain Net, then for a NetDropout)
        self.built_layers: dict[str, Optional[bool]] = {}
        self.reset_graphs()   # which names may hold each forward's output (graphs.py)

    # ---- entry points -------------------------------------------------------------------
    def walk_root(self, body: Sequence[cst.CSTNode], frame: Frame, grad: Optional[bool]) -> list[Event]:
        self.events = []
        self.values = {}
        self.fresh = set()
        self.placed = {}
        self.built_layers = {}
        self.reset_graphs()
        self.frames = [frame]
        if grad is None and frame.func is not None and _backpropagates(frame.func):
            grad = True   # a function that calls backward() is not run under no_grad()
        self.grad = [grad]
        if frame.func is not None and frame.cls in self.symbols.manual_optimization \
                and frame.func.name.value in sym.MANUAL_OPTIMIZATION_STEPS:
            self.as_loop_body(frame.func, lambda: self.block(body))
        else:
            self.block(body)
        self.mark_escapes(self.events)
        self.events.append(Event(Kind.END, Location(self.ctx.path, 1, 1)))
        return self.events

    # ---- helpers ------------------------------------------------------------------------
    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def resolve(self, name: str) -> frozenset[str]:
        """Canonical names for a dotted name, through parameter bindings and groups."""
        head, _, rest = name.partition(".")
        env = self.frames[-1].env
        if head in env:
            bound = env[head]
            resolved = frozenset(f"{b}.{rest}" if rest else b for b in bound)
            return frozenset(sym.normalise(n) for n in sym.members(self.symbols, resolved))
        # Names not bound to parameters resolve the same everywhere (the groups are the file's).
        known = self._resolved.get(name)
        if known is None:
            known = self._resolved[name] = frozenset(sym.normalise(n) for n in sym.members(self.symbols, [name]))
        return known

    def assigned(self, node: cst.CSTNode) -> frozenset[str]:
        """`assigned_names`, once per node: unrolling and inlining ask about the same loops and
        function bodies again and again."""
        if node not in self._assigned:
            self._assigned[node] = frozenset(assigned_names(node))
        return self._assigned[node]

    def reinitialised(self, node: cst.CSTNode) -> frozenset[str]:
        if node not in self._reinitialised:
            self._reinitialised[node] = frozenset(reinitialised_names(node))
        return self._reinitialised[node]

    def kind_of(self, names: Iterable[str]) -> Optional[str]:
        kinds = {self.symbols.kind(n) for n in names}
        return kinds.pop() if len(kinds) == 1 else None

    def callee_kind(self, name: str, call: cst.Call) -> Optional[str]:
        """The kind of what a call of `name` runs. None for a function whatever its name says:
        `evaluate_model(...)` of another file of the project (or of the inlined file's own scope),
        a verb-first name that nothing in the file assigns (`get_peft_model(...)`), or one that no
        assignment makes a model and that is handed a model, optimizer or loader
        (`feature_net(model)`, `train_model(model, loader)` from an installed package)."""
        if "." not in name and name not in self.frame.env and self.find_function(name) is not None:
            return None
        canon = self.resolve(name)
        kind = self.kind_of(canon)
        if kind == sym.MODEL and FUNCTION_NAMED_LIKE_A_MODEL.match(name) and name not in self.frame.env \
                and name not in self.frame.arg_values and not self.bound_values(self.ctx.module, name, True) \
                and not (self.frame.func is not None
                         and name in {p.name.value for p in self.frame.func.params.params}):
            return None
        if kind == sym.MODEL and not any(c in self.symbols.kinds for c in canon) and any(
                self.kind_of(self.resolve(n)) in (sym.MODEL, sym.OPTIMIZER, sym.LOADER)
                for n in (dotted(a.value) for a in call.args) if n):
            return None
        return kind

    def emit(self, kind: Kind, node: cst.CSTNode, target: str = "", label: str = "",
             optimizers: Optional[frozenset[str]] = None, **facts: object) -> None:
        if len(self.events) >= MAX_EVENTS:
            return
        if self.invariant:
            facts["inv"] = frozenset(self.invariant)
        if self.in_step and kind in (Kind.CLEAR, Kind.BACKWARD):
            facts["in_step"] = True
        facts.setdefault("call", self.ctx.text(node))
        self.events.append(Event(kind, self.ctx.location(node), target, label, optimizers,
                                 frozenset(self.guards), facts))

    def value_of_name(self, name: str) -> Value:
        if name in self.frame.arg_values:
            return self.frame.arg_values[name]
        for canonical in self.resolve(name):
            if canonical in self.values:
                return self.values[canonical]
        return UNKNOWN

    def set_value(self, target: cst.BaseExpression, value: Value) -> None:
        if type(target) in (cst.Tuple, cst.List):
            items = value.items
            if items is None or len(items) != len(target.elements) \
                    or any(type(e) is cst.StarredElement for e in target.elements):
                items = (value.element(),) * len(target.elements)
            for element, item in zip(target.elements, items):
                self.set_value(element.value, item)
            return
        name = dotted(target)
        if name is None:
            return
        if name in self.frame.arg_values:
            self.frame.arg_values[name] = value
            return
        for canonical in self.resolve(name):
            self.values[canonical] = value

    def optimizers_of_models(self, models: Iterable[str]) -> Optional[frozenset[str]]:
        models = set(models)
        mapping = self.symbols.optimizer_models
        if not mapping or any(v is None for v in mapping.values()):
            return None
        owners = frozenset(opt for opt, owned in mapping.items() if owned and owned & models)
        return owners or None

    def models_fact(self, optimizer: str) -> dict[str, frozenset[str]]:
        """{"models": the modules whose parameters the optimizer holds}, when they are known."""
        models = self.symbols.optimizer_models.get(optimizer)
        return {"models": frozenset(models)} if models else {}

    # ---- statements ---------------------------------------------------------------------
    def block(self, statements: Sequence[cst.CSTNode]) -> None:
        """Statements in order. After `if c: continue` (or break/return) the rest of the block
        runs only when `c` is false, so it is guarded by the else arm of that condition."""
        pushed: list[tuple[bool, int]] = []
        try:
            for statement in statements:
                if len(self.events) >= MAX_EVENTS:
                    return
                exit_guard = self.statement(statement)
                if exit_guard is not None:
                    variant, guard = exit_guard
                    (self.guards if variant else self.invariant).append(guard)
                    pushed.append(exit_guard)
        finally:
            for variant, _ in reversed(pushed):
                (self.guards if variant else self.invariant).pop()

    def statement(self, node: cst.CSTNode) -> Optional[tuple[bool, int]]:
        self.walked += 1
        if type(node) is cst.If:
            return self.if_statement(node)
        if type(node) is cst.SimpleStatementLine:
            for small in node.body:
                self.small_statement(small, node)
        elif type(node) in (cst.For, cst.While):
            self.loop(node)
        elif type(node) is cst.With:
            self.with_statement(node)
        elif type(node) in (cst.Try, cst.TryStar):
            self.block(node.body.body)
            for handler in node.handlers:
                self.guarded(lambda h=handler: self.block(h.body.body), variant=True)
            if node.orelse is not None:
                self.block(node.orelse.body.body)
            if node.finalbody is not None:
                self.block(node.finalbody.body.body)
        elif type(node) is cst.FunctionDef:
            self.frame.local_functions[node.name.value] = node
        elif type(node) is cst.Match:
            for case in node.cases:
                self.guarded(lambda c=case: self.block(c.body.body), variant=True)

    def small_statement(self, node: cst.BaseSmallStatement, line: cst.SimpleStatementLine) -> None:
        if type(node) is cst.Expr:
            self.expression(node.value)
            self.check_discarded_move(node.value, line)
            call = node.value
            if type(call) is cst.Call and last(call_name(call)) == "set_grad_enabled":
                # `torch.set_grad_enabled(False)` as a statement: grad mode for the rest of the
                # block (its function, its `with`); a flag the source does not spell is unknown.
                self.grad[-1] = bool_value(arg_value(call, 0, "mode"))
            if type(call) is cst.Call and method(call) == "requires_grad_" and receiver(call) is not None:
                self.set_value(receiver(call), self.value_of_expression(call))
            if type(call) is cst.Call and method(call) == "append" and call.args:
                recv = receiver(call)
                if recv is not None:
                    self.check_accumulation(recv, call.args[0].value, line, append=True)
        elif type(node) is cst.Assign:
            self.assignment([t.target for t in node.targets], node.value, line)
        elif type(node) is cst.AnnAssign and node.value is not None:
            self.assignment([node.target], node.value, line)
        elif type(node) is cst.AugAssign:
            marks = self.marks()
            self.expression(node.value)
            self.carry(node.target, self.graphs_of(node.value, marks))
            self.check_accumulation(node.target, node.value, line, append=False)
            current = self.value_of_expression(node.target)
            self.set_value(node.target, combine([current, self.value_of_expression(node.value)]))
        elif type(node) is cst.Return and node.value is not None:
            marks = self.marks()
            self.expression(node.value)
            self.give_back(self.graphs_of(node.value, marks))
            self.frame.returns.append(self.value_of_returned(node.value))

    def assignment(self, targets: list[cst.BaseExpression], value: cst.BaseExpression,
                   line: cst.SimpleStatementLine) -> None:
        if type(value) is cst.Call:
            self.call_targets[value] = targets   # a forward's: is it a shape check?
        marks = self.marks()
        self.expression(value)
        graphs = self.graphs_of(value, marks)
        for target in targets:
            self.carry(target, graphs)
        # A new object under the name: where it lives is not known yet (`model = model.train()`
        # is the same object).
        source = receiver(constructed_module(value)) if type(value) is cst.Call else None
        same = self.resolve(dotted(source) or "") if source is not None else frozenset()
        for target in targets:
            for bound in names_in(target):
                for canonical in self.resolve(bound) - same:
                    self.placed.pop(canonical, None)
                    self.built_layers.pop(canonical, None)
        result = self.value_of_expression(value)
        for target in targets:
            name = dotted(target)
            if type(target) is cst.Attribute and target.attr.value == "requires_grad":
                self.gradient_uses += 1   # `x.requires_grad = True`: input gradients follow
            if name is not None and type(target) is cst.Attribute and target.attr.value == "grad":
                if type(value) is cst.Name and value.value == "None" \
                        or type(value) is cst.Call and last(dotted(value.func) or "") in GRAD_ZERO_FACTORIES:
                    self.emit(Kind.CLEAR, line, target=name, label=name, optimizers=None)
                    continue
                if not any(n == name or n.startswith(name + ".") for n in names_in(value)):
                    # `p.grad = g`, not `p.grad = p.grad * mask`: the earlier gradient is gone
                    self.emit(Kind.CLEAR, line, target=name, label=name, optimizers=None, overwrite=True)
                    continue
            if type(target) is cst.Attribute and target.attr.value == "requires_grad":
                tracked = self.value_of_expression(target.value)   # `x.requires_grad = True`: a leaf now
                self.set_value(target.value, replace(tracked, graph=None, why_graphless=""))
                continue
            if type(value) is cst.BinaryOperation and name is not None:
                left = dotted(value.left)
                if left == name:
                    self.check_accumulation(target, value.right, line, append=False)
            if type(target) in (cst.Tuple, cst.List) and type(value) in (cst.Tuple, cst.List) \
                    and len(target.elements) == len(value.elements) \
                    and not any(type(e) is cst.StarredElement for e in (*target.elements, *value.elements)):
                # `x, y = x.to(device), y.to(device)`: element by element
                parts = [self.value_of_expression(e.value) for e in value.elements]
                for element, part in zip(target.elements, parts):
                    self.set_value(element.value, part)
                continue
            self.set_value(target, result)
            if name is not None and type(value) is cst.Subscript:
                self.drawn_from[name] = frozenset(names_in(value.value))
            if name is not None and type(value) is cst.Call:
                self.after_construction(name, value, line)

    def after_construction(self, name: str, value: cst.Call, line: cst.CSTNode) -> None:
        source = receiver(constructed_module(value))   # `model` in `self.model = model.to(device)`
        source_name = dotted(source) if source is not None else None
        moved = sym.moved_by_chain(value) or bool(
            source_name and any(self.placed.get(c) for c in self.resolve(source_name)))
        value = constructed(value)
        leaf = last(call_name(value))
        kind = self.symbols.kind(name)
        if kind == sym.MODEL and moved:
            self.placed.update(dict.fromkeys(self.resolve(name), True))
        if kind == sym.OPTIMIZER and (leaf in sym.OPTIMIZER_CLASSES or leaf.endswith("Optimizer")):
            models = frozenset(m for owner in sym.parameter_owners(value) for m in self.resolve(owner))
            stateless = {"stateless": True} if _stateless_optimizer(value, leaf) else {}
            if self.params_made_this_iteration(arg_value(value, 0, "params")):
                stateless["fresh_params"] = True
            for canonical in self.resolve(name):
                self.emit(Kind.OPTIMIZER_CREATED, line, target=canonical, label=name,
                          optimizers=frozenset({canonical}), loops=tuple(i for i, _ in self.loops),
                          models=models, **stateless)
        elif kind == sym.MODEL and (leaf in self.symbols.classes or self.fresh_model_factory(leaf, value)
                                    or leaf[:1].isupper() or sym.zoo_model(call_name(value) or "", leaf)) \
                and leaf not in sym.WRAPPERS and leaf not in sym.LOADS_IN_EVAL_MODE and leaf not in ("to", "cuda"):
            for canonical in self.resolve(name):
                self.emit(Kind.MODE, line, target=canonical, label=name, model=canonical, training=True,
                          implicit=True)
                if not self.loading_factory(leaf):
                    self.fresh.add(canonical)
                self.placed[canonical] = moved
                if leaf in self.symbols.classes and self.symbols.classes[leaf].is_module:
                    self.built_layers[canonical] = sym.class_mode_layers(leaf, self.symbols)
                else:
                    self.built_layers.pop(canonical, None)

    def params_made_this_iteration(self, params: Optional[cst.BaseExpression]) -> bool:
        """`lam = torch.tensor(1.0, requires_grad=True)`, then `RMSprop([lam])` in the same loop
        body: the optimizer is rebuilt for a tensor that is itself new, with no state to lose."""
        if type(params) not in (cst.List, cst.Tuple) or not self.variant_names or not params.elements:
            return False
        names = [dotted(e.value) for e in params.elements]
        return all(n and n in self.variant_names[-1] and self.value_of_name(n).why_graphless == "is a new tensor"
                   for n in names)

    def loading_factory(self, name: str) -> bool:
        """An in-file `load_model()` that restores weights: its models are not fresh."""
        func = self.symbols.functions.get(name)
        return func is not None and (any(word in name.lower() for word in sym.TRAINS_OR_LOADS_WORDS) or any(
            method(call).startswith(sym.WEIGHT_LOADING_PREFIXES) for call in calls_in(func.body)))

    def fresh_model_factory(self, name: str, call: cst.Call) -> bool:
        """An in-file `build_model()` returns a model in its default (train) mode, unless the
        factory itself switches modes (a loader that ends with model.eval()), or is handed a model
        (`model = train(model, ...)` gives it back in whatever mode its helpers left it)."""
        func = self.symbols.functions.get(name)
        if func is None or any(self.kind_of(self.resolve(n)) == sym.MODEL
                               for arg in call.args for n in names_in(arg.value, callees=False)):
            return False
        return not any(method(call) in ("train", "eval") for call in calls_in(func.body))

    def arm(self, statements: Sequence[cst.CSTNode], cpu_only: bool) -> None:
        self.cpu_only += cpu_only
        try:
            self.block(statements)
        finally:
            self.cpu_only -= cpu_only

    def if_statement(self, node: cst.If) -> Optional[tuple[bool, int]]:
        """Walk an `if`; when exactly one arm leaves early, return the guard of the other."""
        self.expression(node.test)
        if self.is_main_guard(node.test):
            self.block(node.body.body)
            if type(node.orelse) is cst.Else:
                self.block(node.orelse.body.body)
            return None
        known = self.known_condition(node.test)
        if known is not None:
            if known:
                self.block(node.body.body)
            elif type(node.orelse) is cst.Else:
                self.block(node.orelse.body.body)
            elif type(node.orelse) is cst.If:
                self.if_statement(node.orelse)
            return None
        variant = self.is_variant(node.test)
        cpu_arm = cpu_only_arm(node.test)
        body = lambda: self.arm(node.body.body, cpu_arm == "body")  # noqa: E731
        orelse = None
        if type(node.orelse) is cst.Else:
            orelse = lambda: self.arm(node.orelse.body.body, cpu_arm == "orelse")  # noqa: E731
        elif type(node.orelse) is cst.If:
            orelse = lambda: self.if_statement(node.orelse)  # noqa: E731
        conjuncts = _conjuncts(node.test)
        if not variant and orelse is None and len(conjuncts) > 1 and not _leaves_early(node.body.body):
            self.all_of(conjuncts, body)
            return None
        # `if opt is not None:` and `if opt is None:` are one condition: its two arms
        key, negated = self.condition_key(node.test)
        arms = (orelse or (lambda: None), body) if negated else (body, orelse)
        gid = self.branches(*arms, variant, key=key)
        body_exits = _leaves_early(node.body.body)
        else_exits = type(node.orelse) is cst.Else and _leaves_early(node.orelse.body.body)
        if body_exits == else_exits:
            return None
        body_guard = -gid if negated else gid
        return variant, (-body_guard if body_exits else body_guard)

    def all_of(self, conjuncts: Sequence[cst.BaseExpression], body: Callable[[], None]) -> None:
        """The arm of an invariant `if a and not b:` runs only in the worlds where every conjunct
        holds: each conjunct is the same world variable as the `if a:` / `if not b:` elsewhere in
        the file, so that a one-off step under `if save and not args.dry_run:` never meets the
        loop's `if not args.dry_run:` arm in a world where they disagree."""
        if not conjuncts:
            body()
            return
        key, negated = self.condition_key(conjuncts[0])
        gid = self._invariant_ids.setdefault(key, next(self._ids))
        self.guarded(lambda: self.all_of(conjuncts[1:], body), False, gid, positive=not negated)

    def condition_key(self, test: cst.BaseExpression) -> tuple[str, bool]:
        """The text of a condition's positive form, and whether `test` negates it."""
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            key, negated = self.condition_key(test.expression)
            return key, not negated
        if type(test) is cst.Comparison and len(test.comparisons) == 1 \
                and type(test.comparisons[0].operator) in (cst.IsNot, cst.NotEqual):
            word = "is" if type(test.comparisons[0].operator) is cst.IsNot else "=="
            return f"{self.ctx.text(test.left, 200)} {word} {self.ctx.text(test.comparisons[0].comparator, 200)}", True
        return self.ctx.text(test, 400), False

    def branches(self, body, orelse, variant: bool, key: Optional[str] = None) -> int:  # noqa: ANN001
        """Walk both arms; when they do the same training steps, the steps are unconditional.

        An invariant condition is one world variable wherever it is walked: the two unrolled
        copies of `if args.dry_run:` (and every other `if args.dry_run:`) take the same arm."""
        if not variant and key is not None:
            gid = self._invariant_ids.setdefault(key, next(self._ids))
        else:
            gid = next(self._ids)
        start = len(self.events)
        self.guarded(body, variant, gid, positive=True)
        middle = len(self.events)
        if orelse is not None:
            self.guarded(orelse, variant, gid, positive=False)
        first, second = self.events[start:middle], self.events[middle:]
        if first and orelse is not None and _signature(first) == _signature(second):
            self.events[start:] = [_without_guard(e, gid) for e in first]
        return gid

    def guarded(self, walk, variant: bool, gid: Optional[int] = None, positive: bool = True) -> None:  # noqa: ANN001
        gid = gid if gid is not None else next(self._ids)
        if variant:
            self.guards.append(gid if positive else -gid)
        else:
            self.invariant.append(gid if positive else -gid)
        try:
            walk()
        finally:
            (self.guards if variant else self.invariant).pop()

    def known_condition(self, test: cst.BaseExpression) -> Optional[bool]:
        """Conditions the walker can decide. `if loss.requires_grad:` / `if torch.is_grad_enabled():`
        where the grad mode is known: one shared function for training and validation takes the
        arm its grad mode selects. `if isinstance(net, nn.Module):` on a known model. A check for
        non-finite gradients (`if check_overflow(norm):`) is taken to pass."""
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            inner = self.known_condition(test.expression)
            return None if inner is None else not inner
        if NON_FINITE_CHECKS.search(last(call_name(test) if type(test) is cst.Call else dotted(test))):
            return False
        if type(test) is cst.Comparison and self.frames:
            decided = decide_comparison(test, self.frames[-1].literals)
            if decided is not None:
                return decided
        if type(test) is cst.Name and self.frames and test.value not in ("True", "False", "None"):
            given = self.frames[-1].literals.get(test.value, "")
            if given.startswith("b:"):
                return given == "b:True"   # `if train:` in `run_epoch(train=False)`
        name = dotted(test) if type(test) is cst.Attribute else None
        if type(test) is cst.Call and call_name(test) in ("torch.is_grad_enabled", "is_grad_enabled"):
            return self.grad[-1]
        if type(test) is cst.Call and call_name(test) == "isinstance" and len(test.args) == 2 \
                and last(dotted(test.args[1].value)) in sym.MODULE_BASES:
            subject = dotted(test.args[0].value)
            return True if subject and self.kind_of(self.resolve(subject)) == sym.MODEL else None
        if name is None or not name.endswith(".requires_grad"):
            return None
        if self.grad[-1] is False:
            return False
        return True if self.grad[-1] and self.value_of_expression(test.value).graph else None

    def is_main_guard(self, test: cst.BaseExpression) -> bool:
        return type(test) is cst.Comparison and dotted(test.left) == "__name__"

    def is_variant(self, test: cst.BaseExpression) -> bool:
        """Does the condition change between iterations? Outside loops nothing does."""
        if not self.variant_names:
            return False
        changing = self.variant_names[-1]
        for call in calls_in(test):
            if root_of(call_name(call) or "") not in ("isinstance", "hasattr", "len", "getattr"):
                return True
        for name in names_in(test):
            for candidate in {name, *self.resolve(name)}:
                parts = candidate.split(".")
                prefixes = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
                if prefixes & changing:
                    return True
        return False

    def loop(self, node: cst.CSTNode) -> None:
        marks = self.marks()
        if type(node) is cst.For:
            self.expression(node.iter)
        else:
            self.expression(node.test)
        graphs = self.graphs_of(node.iter, marks) if type(node) is cst.For else frozenset()

        def iteration() -> None:
            if type(node) is cst.For:
                self.carry(node.target, graphs | self.graphs_read(node.iter))
                self.bind_loop_target(node)
            self.block(node.body.body)
            if type(node) is cst.While:
                self.expression(node.test)

        start, gradient_uses, backwards = len(self.events), self.gradient_uses, self.backwards
        fast_forward = self.only_scheduler_steps(node)
        self.fast_forward += fast_forward
        try:
            self.repeated(iteration, self.assigned(node), self.reinitialised(node),
                          repeats=not _one_off_loop(node.body.body))
        finally:
            self.fast_forward -= fast_forward
        if self.gradient_uses != gradient_uses:
            self.mark_evaluation_data(start, False)   # saliency, adversarial inputs: grad is needed
        elif self.backwards == backwards and self.over_evaluation_data(node):
            self.mark_evaluation_data(start, True)
        if node.orelse is not None:
            self.guarded(lambda: self.block(node.orelse.body.body), variant=False)
        moved = _moves_every_key(node)
        if moved is not None:
            self.set_value(moved, self.value_of_expression(moved).moved())

    def only_scheduler_steps(self, node: cst.CSTNode) -> bool:
        """`for epoch in range(start_epoch): scheduler.step()`: a loop that only advances LR
        schedulers (to where a resumed run left them)."""
        if type(node) is not cst.For:
            return False
        calls = [small.value for line in node.body.body if type(line) is cst.SimpleStatementLine
                 for small in line.body if type(small) is cst.Expr]
        return bool(calls) and len(calls) == len(node.body.body) and all(
            type(c) is cst.Call and method(c) == "step" and receiver(c) is not None and dotted(receiver(c))
            and self.kind_of(self.resolve(dotted(receiver(c)))) == sym.SCHEDULER for c in calls)

    def repeated(self, iteration: Callable[[], None], changing: frozenset[str], reassigned: frozenset[str],
                 repeats: bool = True) -> None:
        """Walk a loop body twice, so that rules see one iteration follow another."""
        if self.variant_names:
            changing = changing | self.variant_names[-1]
        self.variant_names.append(changing)
        self.reassigned.append(reassigned)
        copies = 2 if self.unrolled_depth < MAX_UNROLLED_DEPTH else 1
        self.unrolled_depth += 1
        self.loops.append((next(self._ids), repeats))
        try:
            for _ in range(copies):
                iteration()
        finally:
            self.loops.pop()
            self.unrolled_depth -= 1
            self.variant_names.pop()
            self.reassigned.pop()

    def as_loop_body(self, func: cst.FunctionDef, walk: Callable[[], None]) -> None:
        """Walk a step function that a framework calls once per batch (ignite's
        `Engine(update)`, Lightning's manual-optimization `training_step`) as a loop body."""
        params = {p.name.value for p in func.params.params}
        self.repeated(walk, self.assigned(func.body) | params, self.reinitialised(func.body))

    def step_function(self, arg: Optional[cst.BaseExpression]) -> tuple[Optional[cst.FunctionDef], Optional[str]]:
        """The in-file function or method (`update`, `self._update`) handed to an engine."""
        name = dotted(arg) if arg is not None else None
        if name is not None and name.startswith("self.") and self.frame.cls and name.count(".") == 1:
            return self.find_method(self.frame.cls, name[len("self."):]), self.frame.cls
        return (self.find_function(name) if name is not None and "." not in name else None), None

    def over_evaluation_data(self, node: cst.CSTNode) -> bool:
        """A `for` over a validation or test loader (`for x, y in test_loader:`)."""
        if not type(node) is cst.For:
            return False
        iterable, _ = _loop_source(node)
        if type(iterable) is cst.Subscript:   # dataloaders["val"]
            key = iterable.slice[0].slice if len(iterable.slice) == 1 else None
            text = string_value(key.value) if type(key) is cst.Index else None
            name = dotted(iterable.value)
            return bool(text and name and self.kind_of(self.resolve(name)) == sym.LOADER
                        and sym.evaluation_data(text))
        name = dotted(iterable)
        if name is None:
            return False
        canon = self.resolve(name)
        return self.kind_of(canon) == sym.LOADER and any(sym.evaluation_data(n) for n in {name, *canon})

    def mark_evaluation_data(self, start: int, held_out: bool) -> None:
        """Set (or clear) `evaluation_data` on the forwards with grad enabled since `start`."""
        for index in range(start, len(self.events)):
            event = self.events[index]
            if event.kind is Kind.FORWARD and event.facts.get("grad_enabled") is True \
                    and bool(event.facts.get("evaluation_data")) != held_out:
                facts = {k: v for k, v in event.facts.items() if k != "evaluation_data"}
                self.events[index] = replace(event, facts={**facts, "evaluation_data": True} if held_out else facts)

    def held_out_inputs(self, node: cst.Call) -> bool:
        """`net(test_features)`, `model(X_val.to(device))`: a forward of held-out data."""
        return any(sym.held_out_input(part) for arg in node.args for name in names_in(arg.value)
                   if self.kind_of(self.resolve(name)) != sym.DEVICE for part in name.split("."))

    def bind_loop_target(self, node: cst.For) -> None:
        iterable, target = _loop_source(node)
        name = dotted(iterable)
        for bound in names_in(target):
            self.drawn_from[bound] = frozenset(names_in(iterable))
        if name is None:
            self.set_value(target, UNKNOWN)
            return
        canon = self.resolve(name)
        members = self.symbols.group_members.get(name)
        target_name = dotted(target)
        if members and target_name:
            self.frame.env[target_name] = frozenset(members)
            return
        if self.kind_of(canon) == sym.LOADER and not (canon & (self.symbols.prepared | self.symbols.device_loaders)) \
                and name not in self.symbols.prepared and not any(self.symbols.from_out_of_view(n) for n in canon | {name}):
            self.set_value(target, Value(tensor=True, raw=True, graph=False, why_graphless="batch data",
                                         whole_batch=type(target) is cst.Name))
        else:
            self.set_value(target, UNKNOWN)

    def with_statement(self, node: cst.With) -> None:
        grad: Optional[bool] = self.grad[-1]
        asked = False
        moded: list[tuple[cst.BaseExpression, str]] = []
        for item in node.items:
            marks = self.marks()
            self.expression(item.item)
            if item.asname is not None:
                self.carry(item.asname.name, self.graphs_of(item.item, marks))
            if type(item.item) is cst.Call:
                leaf = last(call_name(item.item))
                if leaf in NO_GRAD:
                    mode = arg_value(item.item, 0, "mode")
                    grad = False if mode is None or dotted(mode) == "True" else None
                elif leaf in ENABLE_GRAD:
                    grad = asked = True
                elif leaf == "set_grad_enabled":
                    grad = bool_value(arg_value(item.item, 0, "mode"))
                elif leaf in EVAL_MODE_CONTEXTS:
                    grad = False
                    for arg in item.item.args:
                        name = dotted(arg.value)
                        if name and self.kind_of(self.resolve(name)) == sym.MODEL:
                            moded.append((arg.value, name))
                            self.mode_of(arg.value, name, False)
        self.grad.append(grad)
        self.asked_for_grad += asked
        try:
            self.block(node.body.body)
        finally:
            self.grad.pop()
            self.asked_for_grad -= asked
        for expr, name in moded:
            self.mode_of(expr, name, None)   # restored to whichever mode it had: unknown here

    def mode_of(self, node: cst.CSTNode, name: str, training: Optional[bool]) -> None:
        for model in self.resolve(name):
            self.emit(Kind.MODE, node, target=model, label=name, model=model, training=training)

    # ---- expressions --------------------------------------------------------------------
    def expression(self, node: cst.BaseExpression) -> None:
        """Visit calls in evaluation order: receivers and arguments before the call itself."""
        if type(node) is cst.Lambda or type(node) in NO_CODE:
            return   # a name or a literal: no call inside
        if type(node) is cst.Call:
            start, returns = self.marks()
            if type(node.func) is cst.Attribute:
                self.expression(node.func.value)
            saving = call_name(node) in SAVING_CALLS
            self.saving += saving
            try:
                for arg in node.args:
                    self.expression(arg.value)
            finally:
                self.saving -= saving
            self.calls_walked.append((node, start, returns))
            try:
                self.call(node)
            finally:
                self.calls_walked.pop()
            return
        if type(node) in (cst.NamedExpr, cst.Yield):
            marks = self.marks()
            self.visit_children(node)
            value = node.value.item if type(node.value) is cst.From else node.value   # yield from
            graphs = self.graphs_of(value, marks) if isinstance(value, cst.BaseExpression) else frozenset()
            if type(node) is cst.NamedExpr:
                self.carry(node.target, graphs)
            else:
                self.give_back(graphs)
            return
        if type(node) in (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp):
            self.loops.append((next(self._ids), True))
            try:
                self.visit_children(node)
            finally:
                self.loops.pop()
            return
        if type(node) is cst.IfExp:
            self.expression(node.test)
            self.branches(lambda: self.expression(node.body), lambda: self.expression(node.orelse),
                          variant=self.is_variant(node.test), key=self.ctx.text(node.test, 400))
            return
        self.visit_children(node)

    def visit_children(self, node: cst.BaseExpression) -> None:
        for child in children(node):
            kind = type(child)
            if kind in EXPRESSION_TYPES:
                self.expression(child)
            elif kind in _EXPRESSION_PARTS:
                for grandchild in children(child):
                    kind = type(grandchild)
                    if kind in EXPRESSION_TYPES:
                        self.expression(grandchild)
                    elif kind in _INNER_PARTS:
                        for inner in children(grandchild):
                            if type(inner) in EXPRESSION_TYPES:
                                self.expression(inner)

    def call(self, node: cst.Call) -> None:
        name = call_name(node)
        meth = method(node)
        recv = receiver(node)
        recv_name = dotted(recv) if recv is not None else None
        if recv_name is None and meth in ("train", "eval") and type(recv) is cst.Call:
            recv_name = dotted(receiver(constructed_module(recv)) or recv)  # model.to(device).train(False)
        recv_canon = self.resolve(recv_name) if recv_name else frozenset()
        recv_kind = self.kind_of(recv_canon) if recv_canon else None
        if name in sym.GRADIENT_USES or meth in sym.GRADIENT_USES:
            self.gradient_uses += 1

        if meth == "backward" and recv is not None and not (recv_kind in (sym.MODEL, sym.OPTIMIZER)):
            loss = recv
            if type(recv) is cst.Call and method(recv) == "scale":
                loss = arg_value(recv, 0, "outputs") or recv
            self.backward(node, loss)
        elif name in BACKWARD_FUNCTIONS or (name or "").endswith(".manual_backward") \
                or (meth in sym.OPTIMIZER_BACKWARD_METHODS and recv_kind == sym.OPTIMIZER):
            loss = arg_value(node, 0, "tensors") or arg_value(node, 0, "loss")
            if loss is not None:
                self.backward(node, loss)
        elif meth == "zero_grad":
            self.clear(node, recv, recv_name, recv_canon, recv_kind)
        elif meth in GRAD_CLEAR_METHODS | GRAD_OVERWRITE_METHODS and recv_name \
                and recv_name.removesuffix(".data").endswith(".grad"):
            zeros = meth == "fill_" and number_value(arg_value(node, 0, "value")) == 0
            overwrite = {"overwrite": True} if meth in GRAD_OVERWRITE_METHODS and not zeros else {}
            self.emit(Kind.CLEAR, node, target=recv_name, label=recv_name, optimizers=None, **overwrite)
        elif meth == "step" and recv_name and recv_kind in (sym.OPTIMIZER, sym.SCALER, sym.SCHEDULER):
            self.step(node, recv_name, recv_canon, recv_kind)
        elif meth in ("train", "eval") and recv_name and recv_kind == sym.MODEL:
            self.mode(node, meth, recv_name, recv_canon)
        elif name and (self.callee_kind(name, node) == sym.MODEL) and name != "self":
            self.forward(node, name, self.resolve(name))
        elif meth == "forward" and recv_kind == sym.MODEL and recv_name:
            self.forward(node, recv_name, recv_canon)
        elif name and (self.kind_of(self.resolve(name)) == sym.LOSS or last(name) in sym.LOSS_FUNCTIONS):
            self.loss_call(node, name)
        else:
            self.other_call(node, name, meth, recv_name, recv_kind)

    def backward(self, node: cst.Call, loss: cst.BaseExpression) -> None:
        self.backwards += 1
        value = self.value_of_expression(loss)
        for n in names_in(loss):
            self.ctx.notes.backwarded.update(self.resolve(n))
            self.ctx.notes.backwarded.add(n)
            # `for loss in losses: loss.backward()`, `losses[i].backward()`: they were kept for this
            self.ctx.notes.backwarded.update(self.drawn_from.get(n, ()))
        facts: dict[str, object] = {}
        if self.grad[-1] is False:
            facts = {"graphless": True, "why": "it runs under torch.no_grad()/inference_mode()"}
        elif value.tensor and value.graph is False and not value.raw:
            facts = {"graphless": True, "why": f"{self.ctx.text(loss, 40)} {value.why_graphless}"}
        self.emit(Kind.BACKWARD, node, label=self.ctx.text(loss, 40), optimizers=None, **facts)
        self.mark_trained_targets(value)

    def mark_trained_targets(self, loss: Value) -> None:
        """The no_grad forwards whose output this backpropagated loss uses were training."""
        if loss.no_grad_forwards:
            for event in self.events:
                if event.facts.get("no_grad_forward") in loss.no_grad_forwards:
                    event.facts["trained_target"] = True

    def clear(self, node: cst.Call, recv: Optional[cst.BaseExpression], recv_name: Optional[str],
              canon: frozenset[str], kind: Optional[str]) -> None:
        if kind == sym.OPTIMIZER:
            for opt in canon:
                self.emit(Kind.CLEAR, node, target=opt, label=recv_name or opt, optimizers=frozenset({opt}),
                          **self.models_fact(opt))
        elif kind == sym.MODEL:
            self.emit(Kind.CLEAR, node, target=recv_name or "", label=recv_name or "",
                      optimizers=self.optimizers_of_models(canon), models=canon)
        else:
            self.emit(Kind.CLEAR, node, target=recv_name or "", label=recv_name or "", optimizers=None)

    def step(self, node: cst.Call, recv_name: str, canon: frozenset[str], kind: Optional[str]) -> None:
        self.fresh.clear()   # the models whose losses were backpropagated are being trained now
        if kind == sym.OPTIMIZER:
            closure = arg_value(node, 0, "closure")
            if closure is not None:
                self.in_step += 1
                try:
                    self.call_closure(closure)
                finally:
                    self.in_step -= 1
            for opt in sorted(canon):
                self.emit(Kind.STEP, node, target=opt, label=recv_name, optimizers=frozenset({opt}),
                          **self.models_fact(opt))
        elif kind == sym.SCALER:
            opt_expr = arg_value(node, 0, "optimizer")
            opt_name = dotted(opt_expr) if opt_expr is not None else None
            if opt_name:
                for opt in sorted(self.resolve(opt_name)):
                    self.emit(Kind.STEP, node, target=opt, label=opt_name, optimizers=frozenset({opt}))
        elif kind == sym.SCHEDULER:
            for sched in sorted(canon):
                opt = self.symbols.scheduler_optimizer.get(sched)
                opts = self.resolve(opt) if opt else None
                fast_forward = {"fast_forward": True} if self.fast_forward else {}
                self.emit(Kind.SCHEDULER_STEP, node, target=sched, label=recv_name,
                          optimizers=frozenset(opts) if opts else None, **fast_forward)

    def call_closure(self, closure: cst.BaseExpression) -> None:
        if type(closure) is cst.Lambda:
            self.expression(closure.body)
            return
        name = dotted(closure)
        # `def take_step(closure): optimizer.step(closure)`: the function the caller passed
        func = next((f for n in ({name} | set(self.resolve(name)) if name else ())
                     if (f := self.find_function(n)) is not None), None)
        if func is not None:
            self.inline(func, None, self.frame.cls)

    def mode(self, node: cst.Call, meth: str, recv_name: str, canon: frozenset[str]) -> None:
        training: Optional[bool] = meth == "train"
        if meth == "train":
            flag = arg_value(node, 0, "mode")
            if flag is not None:
                text = dotted(flag)
                training = True if text == "True" else False if text == "False" else None
        for model in canon:
            self.emit(Kind.MODE, node, target=model, label=recv_name, model=model, training=training)

    def forward(self, node: cst.Call, name: str, canon: frozenset[str]) -> None:
        graph = self.forward_graph(node, canon)   # one output, whichever of the models runs
        for model in canon:
            facts: dict[str, object] = {
                "model": model,
                "graph": graph,
                "grad_enabled": self.grad[-1],
                "has_mode_layers": self.built_layers[model] if model in self.built_layers
                else self.symbols.model_has_mode_layers(model),
            }
            if not any(repeats for _, repeats in self.loops):
                facts["one_off"] = True
            if model in self.fresh:
                facts["fresh"] = True
            if facts["has_mode_layers"] and self.shape_check(node):
                facts["shape_check"] = True
            if self.grad[-1] is True and self.held_out_inputs(node):
                facts["evaluation_data"] = True
            cls = self.symbols.instances.get(model)
            if cls is not None and not sym.class_has_parameters(cls, self.symbols):
                facts["parameterless"] = True
            unmoved = self.unmoved_inputs(node, model)
            if unmoved:
                facts["unmoved_inputs"] = unmoved
                facts["device"] = "the model's device"
                facts["device_code"] = self.symbols.device_code.get(model)
            if self.grad[-1] is False:
                facts["no_grad_forward"] = self.no_grad_forward_of[node] = next(self.no_grad_forward_ids)
            elif self.asked_for_grad:
                facts["grad_asked_for"] = True   # the graph is wanted: input gradients, guidance
            self.emit(Kind.FORWARD, node, target=model, label=name, **facts)
        if not all(self.takes_cpu_inputs(model) for model in canon):
            self.flag_off_device_args(node)

    def loss_call(self, node: cst.Call, name: str) -> None:
        moved_models = [m for m in self.symbols.model_device if self.on_accelerator(m)]
        if moved_models:
            unmoved = self.raw_args(node)
            if unmoved:
                self.emit(Kind.DATA, node, target=name, label=name, callee=name, unmoved_inputs=unmoved,
                          device="the model's device", device_code=self.symbols.device_code.get(moved_models[0]))
        self.flag_off_device_args(node)

    def shape_check(self, node: cst.Call) -> bool:
        """`out = model(x)`, and the scope reads `out` only for its shape (`assert out.shape ==
        ...`): train and eval mode give outputs of the same shape."""
        targets = self.call_targets.get(node)
        if not targets or not all(type(t) in (cst.Name, cst.Tuple, cst.List) for t in targets):
            return False
        names = [n for t in targets for n in names_in(t)]
        if not names or any("." in n for n in names):
            return False
        scope = self.frame.func if self.frame.func is not None else self.ctx.module
        read = self._read_beyond_shape.get(scope)
        if read is None:
            read = self._read_beyond_shape[scope] = read_beyond_shape(scope)
        return not read & set(names)

    def takes_cpu_inputs(self, model: str) -> bool:
        """A CPU tensor handed to this model's forward meets no accelerator tensor (LC302): the
        model was built in this stream and never moved, so its parameters are on the CPU, or it
        is wrapped in DataParallel / DistributedDataParallel(device_ids=...), which move the
        inputs to the model's device themselves."""
        return self.placed.get(model) is False or model in self.symbols.input_movers

    def unmoved_inputs(self, node: cst.Call, model: str) -> list[str]:
        return self.raw_args(node) if self.on_accelerator(model) else []

    def on_accelerator(self, model: str) -> bool:
        """The model's parameters are on an accelerator here: it is moved somewhere in the
        file, and this stream has run the move (a notebook may move the model in a later cell
        than the one that first runs it; a function handed a model cannot know where it is)."""
        where = self.symbols.model_device.get(model)
        if where is None or where == "cpu" or model in self.symbols.scattering:
            return False
        return self.placed.get(model, False)

    def raw_args(self, node: cst.Call) -> list[str]:
        found = []
        for arg in node.args:
            # pack_padded_sequence() needs its lengths on the CPU: they are meant to stay there.
            if sym.LENGTHS.search(last(dotted(arg.value))):
                continue
            if self.value_of_expression(arg.value).raw:
                found.append(("**" if arg.star == "**" else "") + self.ctx.text(arg.value, 30))
        return found

    def other_call(self, node: cst.Call, name: Optional[str], meth: str, recv_name: Optional[str],
                   recv_kind: Optional[str]) -> None:
        func, cls = self.callee(node, name, recv_name, recv_kind)
        if func is not None:
            self.inline(func, node, cls)
            return
        if last(name) in sym.STEP_FUNCTION_ENGINES:
            step, cls = self.step_function(arg_value(node, 0, "process_function"))
            if step is not None:
                self.as_loop_body(step, lambda: self.inline(step, None, cls))
                return
        pure = name is not None and (root_of(name) in SAFE_ROOTS or name in sym.LOSS_SCALING)
        self.keep_handed(node, name, recv_kind, pure)
        if name is None or root_of(name) in SAFE_ROOTS or last(name) in CONSTRUCTORS or name in sym.LOSS_SCALING:
            return
        if recv_kind in (sym.MODEL, sym.OPTIMIZER, sym.SCHEDULER, sym.SCALER, sym.LOADER, sym.LOSS):
            if recv_kind == sym.MODEL and meth.startswith(sym.WEIGHT_LOADING_PREFIXES):
                self.fresh -= self.resolve(recv_name or "")   # model.load_state_dict(...)
            if recv_kind == sym.MODEL and meth in MOVE_METHODS:
                self.placed.update(dict.fromkeys(self.resolve(recv_name or ""), sym.moved_by_chain(node)))
            return  # a library method on a known object (state_dict, parameters, ...)
        touched_opts: set[str] = set()
        touched_models: set[str] = set()
        for arg in node.args:
            if type(arg.value) is cst.Call and method(arg.value) in DETACH_METHODS:
                continue   # `samples.append(sample(gen, z).detach().numpy())`: a detached result, no model
            for n in names_in(arg.value, callees=False):
                canon = self.resolve(n)
                kind = self.kind_of(canon)
                if kind == sym.OPTIMIZER:
                    touched_opts |= canon
                elif kind == sym.MODEL:
                    touched_models |= canon
                elif n == "self" or (kind or "").startswith(sym.INSTANCE):
                    touched_opts.add("*")
        if not touched_opts and not touched_models or self.saving:
            return   # (`torch.save(get_training_state(config, model), path)`: packs what is saved)
        if touched_opts or any(word in (name or "").lower() for word in sym.TRAINS_OR_LOADS_WORDS):
            self.fresh -= touched_models   # code we cannot see trains the model or loads its weights
        if touched_opts:   # `take_optimisation_step(optimizer, net, loss)`: a loss handed on to be stepped
            for arg in node.args:
                value = self.value_of_expression(arg.value)
                if value.loss:
                    self.mark_trained_targets(value)
        optimizers: Optional[frozenset[str]]
        if "*" in touched_opts:
            optimizers = None
        else:
            by_models = self.optimizers_of_models(touched_models) if touched_models else frozenset()
            optimizers = None if by_models is None else frozenset(touched_opts) | by_models
        handed = {"handed_optimizer": True} if touched_opts - {"*"} else {}
        self.emit(Kind.OPAQUE, node, label=name, optimizers=optimizers, models=sorted(touched_models),
                  **handed, **self.opaque_graphs(node))

    def hands_on_training_state(self, node: cst.Call) -> bool:
        """The call is given a model, optimizer, loader, ... or an object of a project class (as an
        argument or as its receiver). A function of another file is looked up and inlined only
        then: other code there cannot change what the rules see, and a project's utilities would
        otherwise be read and walked at every call."""
        recv = receiver(node)
        for expr in [a.value for a in node.args] + ([recv] if recv is not None else []):
            for n in names_in(expr, callees=False):
                kind = self.kind_of(self.resolve(n))
                if n == "self" or kind in sym.TRAINING_STATE or (kind or "").startswith(sym.INSTANCE):
                    return True
        return False

    def callee(self, node: cst.Call, name: Optional[str], recv_name: Optional[str],
               recv_kind: Optional[str]) -> tuple[Optional[cst.FunctionDef], Optional[str]]:
        """The in-file function or method a call runs, and the class it belongs to."""
        if name is None:
            # `Trainer(...).fit()`: a method of an in-file class on a fresh instance.
            cls = constructed_class(node, self.symbols)
            return (self.find_method(cls, method(node)), cls) if cls else (None, None)
        if "." not in name:
            local = self.find_function(name, node)
            if local is not None:
                return local, None
            if name in self.symbols.classes and not self.symbols.classes[name].is_module:
                init = self.symbols.methods.get(name, {}).get("__init__")
                return init, name
            return None, None
        if recv_name == "self" and self.frame.cls:
            return self.find_method(self.frame.cls, method(node)), self.frame.cls
        if recv_kind and recv_kind.startswith(sym.INSTANCE):
            cls = recv_kind[len(sym.INSTANCE):]
            return self.find_method(cls, method(node)), cls
        if self.ctx.project is not None and self.hands_on_training_state(node):
            return self.ctx.project.function(name, self.frame.func), None   # `engine.train_one_epoch(...)`
        return None, None

    def find_function(self, name: str, call: Optional[cst.Call] = None) -> Optional[cst.FunctionDef]:
        """The function `name` calls: nested, of the file, or (for a `call` handed training state)
        of another file of the project."""
        for frame in reversed(self.frames):
            if name in frame.local_functions:
                return frame.local_functions[name]
        project = self.ctx.project
        if project is None:
            return self.symbols.functions.get(name)
        # In code of an imported file, names are that file's, not the checked file's.
        local = None if project.foreign(self.frame.func) else self.symbols.functions.get(name)
        if local is not None or (call is not None and not self.hands_on_training_state(call)):
            return local
        return project.function(name, self.frame.func)

    def find_method(self, cls: str, name: str) -> Optional[cst.FunctionDef]:
        start = cls
        seen: set[str] = set()
        while cls and cls not in seen:
            seen.add(cls)
            found = self.symbols.methods.get(cls, {}).get(name)
            if found is not None:
                return found
            info = self.symbols.classes.get(cls)
            bases = [last(dotted(b.value)) for b in info.node.bases] if info else []
            cls = next((b for b in bases if b in self.symbols.classes), "")
        # a base class (or the class itself) in another file of the project
        return self.ctx.project.method(start, name, self.frame.func) if self.ctx.project is not None else None

    def inline(self, func: cst.FunctionDef, node: Optional[cst.Call], cls: Optional[str]) -> None:
        if func in (f.func for f in self.frames) or len(self.frames) > MAX_INLINE_DEPTH:
            return
        if self.walked >= self.inline_budget:
            self.skipped_inlines += 1
            return
        self.inlined.add(func)
        self.returned.pop(node, None)
        # A nested function (a closure for optimizer.step) sees its enclosing function's names.
        enclosing = next((f for f in reversed(self.frames) if func in f.local_functions.values()), None)
        env = dict(enclosing.env) if enclosing is not None else {}
        arg_values = dict(enclosing.arg_values) if enclosing is not None else {}
        # (a name the function takes or binds itself hides the enclosing function's constant)
        own = {p.name.value for p in (*func.params.params, *func.params.kwonly_params)} | self.assigned(func.body)
        literals = {k: v for k, v in enclosing.literals.items() if k not in own} if enclosing is not None else {}
        if node is not None:
            params = [p.name.value for p in func.params.params]
            if params and params[0] == "self":
                params = params[1:]
            positional = [a for a in node.args if a.keyword is None and not a.star]
            pairs = list(zip(params, [a.value for a in positional]))
            pairs += [(a.keyword.value, a.value) for a in node.args if a.keyword is not None]
            defaults = []
            if not any(a.star for a in node.args):   # the constant defaults of the parameters not given
                given = {pname for pname, _ in pairs}
                defaults = [(p.name.value, p.default) for p in (*func.params.params, *func.params.kwonly_params)
                            if p.default is not None and p.name.value not in given]
            for pname, value in pairs:
                self.bind_param(env, arg_values, pname, value)
            for pname, value in pairs + defaults:
                literals.pop(pname, None)
                key = constant_key(value)
                if key is not None and pname not in self.assigned(func.body):
                    literals[pname] = key
        grad = decorator_grad(func, self.symbols)
        asked = grad is True
        if grad is None:
            grad = self.grad[-1]
        frame = Frame(env=env, cls=cls, func=func, arg_values=arg_values, called=node is not None,
                      literals=literals)
        # A call of the checked file into another file: findings there name it ("via train.py:88").
        project = self.ctx.project
        crossing = project is not None and node is not None and node in self.ctx.positions \
            and func not in self.ctx.positions
        if crossing:
            project.callers.append(self.ctx.location(node))
        self.frames.append(frame)
        if node is not None:
            self.bind_graphs(func, node, env)
        self.grad.append(grad)
        self.asked_for_grad += asked
        # Inside a loop, whatever the function computes may differ per iteration.
        in_loop = bool(self.variant_names)
        if in_loop:
            self.variant_names.append(self.variant_names[-1] | self.assigned(func.body))
            # a name the function sets afresh (`loss = mse(a, b); loss += mse(c, d)`) is a sum of
            # one call's terms, not an accumulator across iterations
            self.reassigned.append(self.reassigned[-1] | self.reinitialised(func.body))
        try:
            self.block(func.body.body if type(func.body) is cst.IndentedBlock else [func.body])
            if node is not None and frame.returns and all(r == frame.returns[0] for r in frame.returns):
                self.returned[node] = frame.returns[0]   # what `loss, acc = step(x)` receives
        finally:
            if in_loop:
                self.variant_names.pop()
                self.reassigned.pop()
            self.grad.pop()
            self.asked_for_grad -= asked
            self.frames.pop()
            if crossing:
                project.callers.pop()

    def bind_param(self, env: dict[str, frozenset[str]], arg_values: dict[str, Value], param: str,
                   arg: cst.BaseExpression) -> None:
        name = dotted(arg)
        if name is not None and name not in ("True", "False", "None"):
            env[param] = self.resolve(name)
            arg_values.pop(param, None)
        elif type(arg) is not cst.Lambda:
            # an expression (`loss.clone().detach()`): the parameter holds its value, not the
            # value of whatever the file calls by the parameter's name
            arg_values[param] = self.value_of_expression(arg)

    # ---- values ---------------------------------------------------------------------------
    def value_of_expression(self, node: cst.BaseExpression) -> Value:
        if type(node) in (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString) \
                or (type(node) is cst.Name and node.value in ("True", "False", "None")):
            return CONSTANT
        if type(node) in (cst.Name, cst.Attribute):
            name = dotted(node)
            if type(node) is cst.Attribute and node.attr.value in DETACH_METHODS:
                inner = self.value_of_expression(node.value)
                return Value(tensor=inner.tensor, raw=inner.raw, graph=False, why_graphless="was detached (.data)",
                             no_grad_forwards=inner.no_grad_forwards)
            if name:
                known = self.value_of_name(name)
                if known is UNKNOWN and type(node) is cst.Attribute:
                    return self.attribute_of_output(node)
                return known
            inner = self.value_of_expression(node.value)   # `model(x).max(1).values`
            return inner if inner.tensor else UNKNOWN
        if type(node) is cst.Subscript:
            base = self.value_of_expression(node.value)
            return base.part() if base.tensor else UNKNOWN
        if type(node) is cst.BinaryOperation:
            left, right = self.value_of_expression(node.left), self.value_of_expression(node.right)
            for mine, other, expr in ((left, right, node.left), (right, left, node.right)):
                if mine.off_device is not None and other.tensor and other.off_device is None:
                    self.note_off_device(mine, expr)
            result = combine([left, right])
            if self.grad[-1] is False and (result.tensor or not (left.constant and right.constant)):
                # Under no_grad() no operation records a graph, whatever its inputs were.
                return Value(tensor=True, raw=result.raw, graph=False, off_device=result.off_device,
                             why_graphless="was computed under torch.no_grad()/inference_mode()",
                             no_grad_forwards=result.no_grad_forwards)
            return result
        if type(node) is cst.UnaryOperation:
            return self.value_of_expression(node.expression)
        if type(node) is cst.Comparison:
            return Value(tensor=True, graph=False, why_graphless="is a comparison result")
        if type(node) is cst.Call:
            return self.value_of_call(node)
        return UNKNOWN

    def value_of_returned(self, node: cst.BaseExpression) -> Value:
        """`return loss, acc`: a tuple keeps the value of each element, for the caller to unpack.
        (Walking the value also notes off-device operands: `return logits + mask`.)"""
        if type(node) is cst.Tuple and not any(type(e) is cst.StarredElement for e in node.elements):
            return Value(items=tuple(self.value_of_expression(e.value) for e in node.elements))
        return self.value_of_expression(node)

    def no_grad_forward(self, node: cst.Call) -> frozenset[int]:
        number = self.no_grad_forward_of.get(node) if self.grad[-1] is False else None
        return frozenset() if number is None else frozenset({number})

    def returned_tuple(self, value: Value, callee: frozenset[str]) -> Value:
        """`loss, loc_loss, cls_loss = criterion(...)` with an in-file module whose forward always
        returns a tuple: each element has the call's graph, unless its expression detaches it."""
        classes = {self.symbols.instances.get(c) for c in callee}
        forward = self.find_method(classes.pop(), "forward") if len(classes) == 1 and None not in classes else None
        returns = [r.value for r in _returns(forward)] if forward is not None else []
        if not returns or not all(type(r) is cst.Tuple and len(r.elements) == len(returns[0].elements)
                                  and not any(type(e) is cst.StarredElement for e in r.elements) for r in returns):
            return value
        element = replace(value, forward=False, items=None)
        return replace(value, items=tuple(
            element if all(_may_carry_graph(r.elements[i].value, forward) for r in returns) else UNKNOWN
            for i in range(len(returns[0].elements))))

    def attribute_of_output(self, node: cst.Attribute) -> Value:
        """`out.loss`, `out.logits` of a model's output (a ModelOutput or a tensor)."""
        base = self.value_of_expression(node.value)
        if not base.forward or node.attr.value in sym.TENSOR_METADATA:
            return UNKNOWN
        return replace(base, items=None)

    def value_of_call(self, node: cst.Call) -> Value:
        if node in self.returned:
            return self.returned[node]
        name = call_name(node)
        meth = method(node)
        recv = receiver(node)
        no_grad = self.grad[-1] is False
        graph_word = "was computed under torch.no_grad()/inference_mode()"
        callee_canon = self.resolve(name) if name else frozenset()
        kind = self.callee_kind(name, node) if callee_canon else None
        if recv is not None and kind not in (sym.MODEL, sym.LOSS):
            recv_name = dotted(recv)
            recv_canon = self.resolve(recv_name) if recv_name else frozenset()
            if recv_canon and self.kind_of(recv_canon) == sym.MODEL:
                if meth == "forward":
                    return Value(tensor=True, graph=False if no_grad else True,
                                 why_graphless=graph_word if no_grad else "", forward=True,
                                 no_grad_forwards=self.no_grad_forward(node))
                return UNKNOWN
            inner = self.value_of_expression(recv)
            if meth in MOVE_METHODS:
                dtype_only = meth == "to" and not node.args[:1] == [] and all(
                    (dotted(a.value) or "").startswith("torch.") and "float" in (dotted(a.value) or "")
                    or (a.keyword is not None and a.keyword.value == "dtype") for a in node.args)
                if dtype_only:
                    return inner
                return inner.moved() if inner.tensor else Value(tensor=inner.tensor)
            if meth == "type" and node.args and ((dotted(node.args[0].value) or "").startswith("torch.cuda.")
                                                 or dotted(node.args[0].value) in self.symbols.cuda_tensor_types):
                return inner.moved() if inner.tensor else UNKNOWN   # `.type(torch.cuda.LongTensor)`
            if meth in DETACH_METHODS:
                return Value(tensor=meth not in ("item", "tolist"), raw=inner.raw, graph=False,
                             why_graphless=f"was detached (.{meth}())", no_grad_forwards=inner.no_grad_forwards)
            if meth == "requires_grad_":
                return replace(inner, graph=None, why_graphless="")   # a leaf that autograd tracks
            if meth in TENSOR_NUMBER_METHODS and inner.tensor:
                return UNKNOWN   # `out.size(0)`, `pred.numel()`: a number, no graph
            if meth == "cpu":   # on the CPU now: not a tensor an off-device one could clash with
                return UNKNOWN
            if inner.tensor:
                return inner
            if name and name.startswith(("torch.", "F.", "nn.functional.")):
                pass
            else:
                return UNKNOWN
        if kind == sym.MODEL:
            return self.returned_tuple(Value(tensor=True, graph=False if no_grad else True,
                                             why_graphless=graph_word if no_grad else "", forward=True,
                                             no_grad_forwards=self.no_grad_forward(node)), callee_canon)
        arg_values = [self.value_of_expression(a.value) for a in node.args]
        if kind == sym.LOSS or last(name) in sym.LOSS_FUNCTIONS:
            result = combine(arg_values)
            if no_grad:
                return Value(tensor=True, graph=False, why_graphless=graph_word, loss=True)
            return self.returned_tuple(Value(tensor=True, graph=result.graph, why_graphless=result.why_graphless,
                                             loss=True, no_grad_forwards=result.no_grad_forwards), callee_canon)
        if name and root_of(name) == "torch" and last(name) in sym.TENSOR_FACTORIES:
            off = None
            where = self.unrolled_depth or self.frame.in_forward
            if where and not self.cpu_only and keyword(node, "device") is None \
                    and not _scalar_literal_tensor(node, name):
                off = self.ctx.location(node)
            requires = keyword(node, "requires_grad")
            return Value(tensor=True, graph=None if requires is not None else False,
                         why_graphless="is a new tensor", off_device=off)
        if name and last(name) == "grad" and name.endswith("autograd.grad") \
                and (keyword(node, "create_graph") is None or bool_value(keyword(node, "create_graph")) is False):
            # `torch.autograd.grad(loss, x)[0]`: gradients with no graph of their own
            return Value(tensor=True, graph=False, why_graphless="is a gradient (autograd.grad without create_graph)")
        if name and root_of(name) in ("torch", "F") or (name or "").startswith("nn.functional"):
            result = combine(arg_values)
            if no_grad and result.tensor:
                return Value(tensor=True, raw=result.raw, graph=False, why_graphless=graph_word,
                             no_grad_forwards=result.no_grad_forwards)
            return result
        return UNKNOWN

    # ---- static-only facts -------------------------------------------------------------
    def check_discarded_move(self, expr: cst.BaseExpression, line: cst.CSTNode) -> None:
        if not type(expr) is cst.Call or method(expr) not in ("to", "cuda", "cpu"):
            return
        recv = receiver(expr)
        name = dotted(recv) if recv is not None else None
        if name is None:
            return
        canon = self.resolve(name)
        kind = self.kind_of(canon)
        if kind is not None and kind != sym.TENSOR:
            return  # a module, optimizer, ...: Module.to moves in place
        value = self.value_of_name(name)
        if value.whole_batch:
            self.set_value(recv, value.moved())  # maybe an in-place BatchEncoding.to(): trust it
            return
        if not value.tensor and (kind != sym.TENSOR or self.built_here_from_a_class(name)):
            return
        self.ctx.notes.discarded_moves.append(DiscardedMove(self.ctx.location(line), name, self.ctx.text(expr)))
        self.set_value(recv, value.moved())  # the bug is reported here, not again as LC301

    def built_here_from_a_class(self, name: str) -> bool:
        """`m = MLP(...)` in this function: `m.to(device)` moves a module in place, whatever the
        name holds in the file's other functions (a test module reusing `m` for a tensor)."""
        func = self.frame.func
        values = self.bound_values(func.body, name, into_functions=False) if func is not None else []
        return bool(values) and all(
            type(v) is cst.Call and last(call_name(v))[:1].isupper() and "Tensor" not in last(call_name(v))
            for v in values)

    def check_accumulation(self, target: cst.BaseExpression, value: cst.BaseExpression,
                           line: cst.CSTNode, append: bool) -> None:
        if not self.unrolled_depth or self.grad[-1] is False:
            return
        acc = dotted(target)
        if acc is None:
            return
        val = self.value_of_expression(value)
        if not (val.tensor and val.graph is True):
            return
        if not (val.loss or any("loss" in n for n in names_in(value))):
            return
        if self.reassigned and acc in self.reassigned[-1]:
            return
        if self.frame.func is not None and self.sums_terms_of_one_loss(self.frame.func, acc):
            return
        if append and self.built_by_other_code(acc):
            return
        self.ctx.notes.accumulations.append(
            Accumulation(self.ctx.location(line), acc, self.ctx.text(value, 40), append))

    def built_by_other_code(self, name: str) -> bool:
        """`run_loss = CumulativeAverage()`: an object whose `append` is not a list's (it may
        detach or reduce what it is given); a name never bound here (a parameter) may be a list."""
        values = self.bound_values(self.ctx.module, name, into_functions=True)
        return bool(values) and not any(
            type(v) in (cst.List, cst.ListComp) or not type(v) is cst.Call
            or last(call_name(v)) in LIST_BUILDERS for v in values)

    def bound_values(self, scope: cst.CSTNode, name: str, into_functions: bool) -> list[cst.BaseExpression]:
        """The values `name = value` assigns to `name` in `scope`, each scope listed once."""
        table = self._bound.get((scope, into_functions))
        if table is None:
            table = self._bound[(scope, into_functions)] = {}
            for node in nodes_in(scope, into_functions=into_functions):
                if type(node) is cst.Assign:
                    for target in node.targets:
                        bound = dotted(target.target)
                        if bound is not None:
                            table.setdefault(bound, []).append(node.value)
        return table.get(name, [])

    def sums_terms_of_one_loss(self, func: cst.FunctionDef, acc: str) -> bool:
        """`total = torch.zeros(1)`, then `total += l1(fake[i][j], real[i][j])` over discriminators
        and layers, `return total`: a function that starts its own sum and returns it, looping only
        over `range(...)`/`zip(...)` of what is not a loader and with no training step of its own,
        builds one loss for its caller."""
        if not any(dotted(r.value) == acc for r in _returns(func)) or acc not in self.assigned(func.body):
            return False
        for node in nodes_in(func.body):
            if type(node) is cst.While:
                return False
            if type(node) is cst.For and (not type(node.iter) is cst.Call
                                              or call_name(node.iter) not in ("range", "zip") or any(
                    self.kind_of(self.resolve(n)) == sym.LOADER for n in names_in(node.iter))):
                return False
            if type(node) is cst.Call and method(node) in ("backward", "step"):
                return False
        return True

    def flag_off_device_args(self, node: cst.Call) -> None:
        for arg in node.args:
            value = self.value_of_expression(arg.value)
            if value.off_device is not None:
                self.note_off_device(value, arg.value)

    def note_off_device(self, value: Value, expr: cst.BaseExpression) -> None:
        if self.symbols.uses_accelerator and value.off_device is not None:
            where = "forward" if self.frame.in_forward else "loop"
            self.ctx.notes.off_device.append(OffDeviceTensor(value.off_device, self.ctx.text(expr, 40), where))


def decorator_grad(func: cst.FunctionDef, symbols: sym.Symbols) -> Optional[bool]:
    """The grad mode a function's decorators set, None when they set none: @torch.no_grad(),
    @torch.enable_grad(), and a project's own wrappers of no_grad/inference_mode (a
    `@smart_inference_mode()` factory defined in the file, or imported under such a name)."""
    for decorator in func.decorators:
        expr = decorator.decorator
        leaf = last(call_name(expr) if type(expr) is cst.Call else dotted(expr))
        if leaf in ENABLE_GRAD:
            return True
        if any(word in leaf for word in NO_GRAD) or _wraps_no_grad(symbols.functions.get(leaf)):
            return False
    return None


def _wraps_no_grad(func: Optional[cst.FunctionDef]) -> bool:
    if func is None:
        return False
    used = {last(name) for name in names_in(func.body)}
    return bool(used & NO_GRAD) and not used & ENABLE_GRAD


def _backpropagates(func: cst.FunctionDef) -> bool:
    """`func` calls backward() and never switches grad mode itself."""
    nodes = list(nodes_in(func.body))
    return any(type(n) is cst.Call and method(n) == "backward" for n in nodes) and not any(
        type(n) is cst.Name and n.value in NO_GRAD | ENABLE_GRAD | {"set_grad_enabled"} for n in nodes)


def _returns(func: cst.FunctionDef) -> list[cst.Return]:
    """The return statements of `func` itself (not of functions nested in it)."""
    return [n for n in nodes_in(func.body) if type(n) is cst.Return and n.value is not None]


def _may_carry_graph(expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
    """A returned element that is not a literal and whose expression (or, for a local name, any
    assignment of it in `func`) detaches nothing: `.detach()`, `.item()`, `.data`."""
    if not type(expr) in (cst.Name, cst.Attribute, cst.Call, cst.BinaryOperation, cst.Subscript):
        return False
    sources = [expr]
    if type(expr) is cst.Name:
        sources += [n.value for n in nodes_in(func.body) if type(n) is cst.Assign
                    and any(dotted(t.target) == expr.value for t in n.targets)]
    return not any(type(n) is cst.Name and n.value in DETACH_METHODS
                   for source in sources for n in nodes_in(source, into_functions=True))


def _loop_source(node: cst.For) -> tuple[cst.BaseExpression, cst.BaseExpression]:
    """The iterable and target of a `for`, looking through enumerate(x) / tqdm(x) / iter(x)."""
    iterable, target = node.iter, node.target
    while type(iterable) is cst.Call and last(call_name(iterable)) in ("enumerate", "tqdm", "iter"):
        inner = arg_value(iterable, 0, "iterable")
        if inner is None:
            break
        if last(call_name(iterable)) == "enumerate" and type(target) is cst.Tuple and len(target.elements) == 2:
            target = target.elements[1].value
        iterable = inner
    return iterable, target


def constructed_class(node: cst.Call, symbols: sym.Symbols) -> Optional[str]:
    """`Trainer` in `Trainer(...).fit()` when Trainer is a non-module class of the file."""
    if not type(node.func) is cst.Attribute or not type(node.func.value) is cst.Call:
        return None
    cls = last(call_name(node.func.value))
    info = symbols.classes.get(cls)
    return cls if info is not None and not info.is_module else None


def _moves_every_key(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """`for k in batch: batch[k] = batch[k].to(device)`: the loop moves every value of `batch`
    in place (over `batch` or `batch.keys()`); the mapping it moved, else None."""
    if type(node) is not cst.For or type(node.target) is not cst.Name:
        return None
    mapping = node.iter
    if type(mapping) is cst.Call and method(mapping) == "keys" and not mapping.args:
        mapping = receiver(mapping)
    name = dotted(mapping) if mapping is not None else None
    if not name:
        return None
    key = node.target.value
    for statement in node.body.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if type(small) is not cst.Assign or len(small.targets) != 1:
                continue
            target, value = small.targets[0].target, small.value
            if type(target) is cst.Subscript and _item_of(target, name, key) and type(value) is cst.Call \
                    and method(value) in MOVE_METHODS and receiver(value) is not None \
                    and type(receiver(value)) is cst.Subscript and _item_of(receiver(value), name, key):
                return mapping
    return None


def _item_of(node: cst.Subscript, name: str, key: str) -> bool:
    """`batch[k]`."""
    return dotted(node.value) == name and len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index \
        and type(node.slice[0].slice.value) is cst.Name and node.slice[0].slice.value.value == key


def _stateless_optimizer(call: cst.Call, leaf: str) -> bool:
    """`SGD(params, lr)`: an optimizer built without the argument that would give it state."""
    if leaf not in STATELESS_OPTIMIZERS or any(a.star for a in call.args):
        return False
    argument, position = STATELESS_OPTIMIZERS[leaf]
    return number_value(arg_value(call, position, argument), default=0) == 0


def _scalar_literal_tensor(node: cst.Call, name: str) -> bool:
    """`torch.tensor(0.5)`: a 0-dim CPU tensor mixes with CUDA tensors without error."""
    if last(name) not in ("tensor", "as_tensor"):
        return False
    first = arg_value(node, 0, "data")
    return type(first) in (cst.Integer, cst.Float) or (
        type(first) is cst.UnaryOperation and type(first.expression) in (cst.Integer, cst.Float))


def _conjuncts(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`a and b and not c` -> [a, b, not c]; any other condition is its own one conjunct."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        return _conjuncts(test.left) + _conjuncts(test.right)
    return [test]


def _leaves_early(statements: Sequence[cst.CSTNode]) -> bool:
    """The arm ends the iteration or function (continue/break/return). A `raise` is an
    error path, not a control-flow choice of the loop, and does not count."""
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine and any(
                type(small) in (cst.Continue, cst.Break, cst.Return) for small in statement.body):
            return True
    return False


def _one_off_loop(statements: Sequence[cst.CSTNode]) -> bool:
    """A loop of single predictions: it stops after its first iteration (an unconditional
    break/return: one batch for a shape check), or every iteration draws a figure (a plot per
    image; not a plot under `if step % 100 == 0:`)."""
    lines = [statement for statement in statements if type(statement) is cst.SimpleStatementLine]
    return any(type(small) in (cst.Break, cst.Return) for line in lines for small in line.body) \
        or any(root_of(call_name(call) or "") in sym.DISPLAY_ROOTS for line in lines for call in calls_in(line))


def _signature(events: list[Event]) -> list[tuple[Kind, str]]:
    return [(e.kind, e.target) for e in events]


def _without_guard(event: Event, gid: int) -> Event:
    inv = event.facts.get("inv")
    facts = dict(event.facts)
    if inv is not None:
        rest = frozenset(i for i in inv if abs(i) != gid)
        if rest:
            facts["inv"] = rest
        else:
            facts.pop("inv")
    return Event(event.kind, event.location, event.target, event.label, event.optimizers,
                 frozenset(g for g in event.guards if abs(g) != gid), facts)
