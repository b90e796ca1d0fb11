"""Bugs visible in the syntax of one file, found in one pass: LC108-LC115 and LC303.

One libcst visitor records every call with where it sits (function, class, enclosing loops and
`if`s), every assignment and return in source order; small deciders per rule then read those
records. Each decider stays silent unless the whole pattern is in view: a helper of another
module, an object handed to unknown code or a value of unknown origin ends the search.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

import libcst as cst

from loopcheck.findings import Location
from loopcheck.static import symbols as sym
from loopcheck.static.device_conditions import mentions_accelerator
from loopcheck.static.idioms import (
    CLIP_FUNCTIONS, CLIP_NAMESPACES, FUNCTIONAL_DROPOUTS, FUNCTIONAL, SOFTMAX_FUNCTIONS,
    SOFTMAX_MODULES, CLASS_LOSSES, EPOCH_SCHEDULERS, EPOCH_LENGTH_LIMIT, EPOCH_GAMMA_LIMIT,
    PER_STEP_WORDS, DISTRIBUTED_SAMPLER, ITERATION_HELPERS, DDP_WRAPPERS, DDP_HELPERS, GRAD_SYNC_CONTROLS, MOVES,
    BROADCASTING_LOSSES,
)
from loopcheck.static.names import (
    NO_CODE, arg_value, bool_value, call_name, children, constructed, dotted, keyword, last, names_in, resolve, visit,
)
from loopcheck.static.notes import PatternMatch
from loopcheck.static.shapes import COLUMN, VECTOR, Shapes
from loopcheck.static.steps import Assignment, ModuleScope, Return, Site, Step

WHOLE_OUTPUT = -1   # a model's forward() returns probabilities itself, not inside a tuple
Locate = Callable[[cst.CSTNode], Location]


@dataclass
class Facts:
    sites: list[Site] = field(default_factory=list)
    steps: dict[int, list[Step]] = field(default_factory=dict)        # scope id -> in source order
    bindings: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)   # name -> values
    loader_loops: list[tuple[ModuleScope, int]] = field(default_factory=list)    # (scope, depth)
    reads_grad: bool = False      # `p.grad` or torch.autograd.grad: gradients used by hand
    mentions_set_epoch: bool = False
    skips_grad_sync: bool = False   # no_sync(), accelerate's accumulate(), require_backward_grad_sync
    escaped: set[str] = field(default_factory=set)   # names handed to calls, returned, stored


_NOWHERE: tuple = ((), (), False, False, frozenset())   # the state of a scope's top level


class _Recorder(cst.CSTVisitor):
    def __init__(self, symbols: sym.Symbols) -> None:
        self.symbols = symbols
        self.facts = Facts()
        self.aliases: dict[str, str] = {}
        self.scopes: list[ModuleScope] = []
        self.classes: list[Optional[str]] = [None]
        self.blocks: list[list[tuple[str, cst.CSTNode]]] = [[]]   # per scope: ("loop"|"if"|"else", node)
        # per scope, per block and one for none: (loops, conditions, cuda_guarded, training_guarded,
        # branches) inside it, worked out when first asked for (None until then)
        self.states: list[list[Optional[tuple]]] = [[_NOWHERE]]
        self.guard_of: dict[int, tuple[bool, bool]] = {}   # id of an if -> (tests the accelerator, `training`)
        self.defined = _defined_names(symbols)

    # ---- imports -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name) or ""
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                self.aliases[alias.asname.name.value] = full

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or type(node.names) is cst.ImportStar:
            return
        module = dotted(node.module) or ""
        for alias in node.names:
            name = dotted(alias.name) or ""
            bound = alias.asname.name.value if alias.asname is not None and type(alias.asname.name) is cst.Name \
                else name
            self.aliases[bound] = f"{module}.{name}"

    # ---- scopes and blocks ---------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._enter(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)
        self.blocks.append([])
        self.states.append([_NOWHERE])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.blocks.pop()
        self.states.pop()

    def _enter(self, node: ModuleScope) -> None:
        self.scopes.append(node)
        self.facts.steps.setdefault(id(node), [])

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_For_body(self, node: cst.For) -> None:
        self.blocks[-1].append(("loop", node))
        self.states[-1].append(None)
        if any(self._is_loader(n) for n in names_in(node.iter)):
            depth = sum(kind == "loop" for kind, _ in self.blocks[-1])
            self.facts.loader_loops.append((self.scopes[-1], depth))

    def leave_For_body(self, node: cst.For) -> None:
        self.blocks[-1].pop()
        self.states[-1].pop()

    def visit_While_body(self, node: cst.While) -> None:
        self.blocks[-1].append(("loop", node))
        self.states[-1].append(None)

    def leave_While_body(self, node: cst.While) -> None:
        self.blocks[-1].pop()
        self.states[-1].pop()

    def visit_If_body(self, node: cst.If) -> None:
        self.blocks[-1].append(("if", node))
        self.states[-1].append(None)

    def leave_If_body(self, node: cst.If) -> None:
        self.blocks[-1].pop()
        self.states[-1].pop()

    def visit_IfExp_body(self, node: cst.IfExp) -> None:
        self.blocks[-1].append(("if", node))
        self.states[-1].append(None)

    def leave_IfExp_body(self, node: cst.IfExp) -> None:
        self.blocks[-1].pop()
        self.states[-1].pop()

    def visit_If_orelse(self, node: cst.If) -> None:
        self.blocks[-1].append(("else", node))
        self.states[-1].append(None)

    def leave_If_orelse(self, node: cst.If) -> None:
        self.blocks[-1].pop()
        self.states[-1].pop()

    def _is_loader(self, name: str) -> bool:
        return self.symbols.kind(name) == sym.LOADER

    # ---- what happens --------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        raw = call_name(node) or ""
        leaf = node.func.attr.value if type(node.func) is cst.Attribute else last(raw)
        receiver = dotted(node.func.value) if type(node.func) is cst.Attribute else None
        loops, conditions, cuda_guarded, training_guarded = self.here()
        site = Site(
            node=node, name=resolve(self.aliases, raw), leaf=leaf, receiver=receiver,
            scope=self.scopes[-1], cls=self.classes[-1], loops=loops, conditions=conditions,
            cuda_guarded=cuda_guarded, training_guarded=training_guarded, branches=self.branches(),
        )
        self.facts.sites.append(site)
        self._step(site)
        if site.name == "torch.autograd.grad":
            self.facts.reads_grad = True
        if leaf not in sym.SCHEDULER_CLASSES and leaf not in self.defined:
            for arg in node.args:
                self.facts.escaped.update(names_in(arg.value))

    def here(self) -> tuple[tuple[cst.CSTNode, ...], tuple[cst.BaseExpression, ...], bool, bool]:
        """The loops around this point of the scope, the `if` tests inside the innermost loop,
        whether an `if` around tests the accelerator, and whether one tests `training`. Each block
        adds to the state of the blocks around it, once (a deep `elif` chain is not gone through
        again at every call in it)."""
        return self._state()[:4]

    def _state(self) -> tuple:
        states, blocks = self.states[-1], self.blocks[-1]
        last = len(states) - 1
        if states[last] is None:
            known = last
            while states[known] is None:
                known -= 1
            for index in range(known + 1, last + 1):
                states[index] = self._inside(states[index - 1], *blocks[index - 1])
        return states[last]

    def _inside(self, around: tuple, kind: str, node: cst.CSTNode) -> tuple:
        loops, conditions, cuda_guarded, training_guarded, branches = around
        if kind == "loop":
            return loops + (node,), (), cuda_guarded, training_guarded, branches
        if type(node) is cst.If:
            conditions = conditions + (node.test,)
        if kind == "if":
            cuda, training = self.guard(node)
            cuda_guarded, training_guarded = cuda_guarded or cuda, training_guarded or training
        return loops, conditions, cuda_guarded, training_guarded, branches | {(id(node), kind)}

    def guard(self, node: cst.CSTNode) -> tuple[bool, bool]:
        """Whether the test of an `if` (or of a conditional expression) names the accelerator, and
        `training`; once per `if`, not at every call under it."""
        found = self.guard_of.get(id(node))
        if found is None:
            test = node.test
            found = self.guard_of[id(node)] = (mentions_accelerator(test),
                                               any(last(t) == "training" for t in names_in(test)))
        return found


    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "grad":
            self.facts.reads_grad = True
        elif node.attr.value == "set_epoch":
            self.facts.mentions_set_epoch = True
        elif node.attr.value in GRAD_SYNC_CONTROLS:
            self.facts.skips_grad_sync = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if node.evaluated_value == "set_epoch":   # hasattr(sampler, "set_epoch"), getattr(...)
            self.facts.mentions_set_epoch = True

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._bind(target.target, original_node.value)
        if not type(constructed(original_node.value) if type(original_node.value) is cst.Call
                          else original_node.value) is cst.Call:
            self.facts.escaped.update(names_in(original_node.value))

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._bind(original_node.target, original_node.value)

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self._bind(original_node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None, node.iter)

    def leave_Return(self, original_node: cst.Return) -> None:
        self._step(Return(original_node.value, self.branches()))
        if original_node.value is not None:
            self.facts.escaped.update(names_in(original_node.value))

    def _bind(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression],
              iterated: Optional[cst.BaseExpression] = None) -> None:
        branches = self.branches()
        if type(target) in (cst.Tuple, cst.List):
            names = tuple(n for e in target.elements for n in names_in(e.value))
            plain = all(type(e.value) is cst.Name and not type(e) is cst.StarredElement for e in target.elements)
            self._step(Assignment(names, None, branches, target, iterated or value, iterated is not None,
                                  unpacked=value if plain else None))
            return
        name = dotted(target)
        if name is None:
            return
        self._step(Assignment((name,), value, branches, None, iterated, iterated is not None))
        if value is not None:
            self.facts.bindings.setdefault(name, []).append(value)

    def _step(self, step: Step) -> None:
        self.facts.steps[id(self.scopes[-1])].append(step)

    def branches(self) -> frozenset[tuple[int, str]]:
        """The `if` bodies and `else` blocks ((id of the `if`, "if" | "else")) around this point of the scope."""
        return self._state()[4]


# ---- the deciders ----------------------------------------------------------------------------
class _Patterns:
    def __init__(self, facts: Facts, symbols: sym.Symbols, aliases: dict[str, str], locate: Locate) -> None:
        self.facts = facts
        self.symbols = symbols
        self.aliases = aliases
        self.locate = locate
        self.matches: list[PatternMatch] = []

    def match(self, code: str, node: cst.CSTNode, subject: str, detail: str = "") -> None:
        self.matches.append(PatternMatch(code, self.locate(node), subject, detail))

    def kind(self, name: Optional[str]) -> Optional[str]:
        return self.symbols.kind(name) if name else None

    def constructor(self, name: Optional[str]) -> Optional[cst.Call]:
        """The one call `name` is bound to in this file (through `.to()` chains), else None."""
        values = [v for v in self.facts.bindings.get(name or "", []) if not _moves(v, name)]
        calls = {id(c): c for c in (constructed(v) for v in values if type(v) is cst.Call)}
        if len(calls) != 1 or len(values) != len(calls):
            return None
        return next(iter(calls.values()))

    # LC112 ----------------------------------------------------------------------------------
    def scaler_update_missing(self) -> None:
        sites = self.facts.sites
        if any(s.leaf == "update" and self.kind(s.receiver) == sym.SCALER for s in sites):
            return
        reported: set[str] = set()
        for site in sites:
            scaler = site.receiver
            if site.leaf != "step" or self.kind(scaler) != sym.SCALER or scaler in reported:
                continue
            built = self.constructor(scaler)
            if built is not None and bool_value(keyword(built, "enabled")) is False:
                continue
            reported.add(scaler or "")
            self.match("LC112", site.node, scaler or "scaler")

    # LC111 ----------------------------------------------------------------------------------
    def clip_before_unscale(self) -> None:
        unscaling = {s.scope.name.value for s in self.facts.sites
                     if s.leaf == "unscale_" and type(s.scope) is cst.FunctionDef}
        for steps in self.facts.steps.values():
            scaled, unscaled, pending = False, False, []
            for step in steps:
                if not isinstance(step, Site):
                    continue
                scaler_call = self.kind(step.receiver) == sym.SCALER
                if scaler_call and step.leaf == "scale":
                    scaled, unscaled = True, False
                elif (scaler_call and step.leaf == "unscale_") or (step.leaf in unscaling and not scaler_call):
                    unscaled = True
                elif self.is_torch_clip(step) and scaled and not unscaled:
                    pending.append(step)
                elif scaler_call and step.leaf == "step":
                    for clip in pending:
                        self.match("LC111", clip.node, step.receiver or "scaler", clip.leaf)
                    scaled, unscaled, pending = False, False, []

    def is_torch_clip(self, site: Site) -> bool:
        if site.leaf not in CLIP_FUNCTIONS:
            return False
        namespace = site.name.rsplit(".", 1)[0] if "." in site.name else ""
        return namespace in CLIP_NAMESPACES

    # LC113 ----------------------------------------------------------------------------------
    def functional_dropout(self) -> None:
        for site in self.facts.sites:
            if site.cls is None or site.training_guarded or not self.is_module_class(site.cls):
                continue
            namespace, _, leaf = site.name.rpartition(".")
            if leaf not in FUNCTIONAL_DROPOUTS or not self.is_functional(namespace):
                continue
            if any(a.star for a in site.node.args) or arg_value(site.node, 2, "training") is not None:
                continue
            self.match("LC113", site.node, f"{last(call_name(site.node))}", leaf)

    def is_module_class(self, cls: str) -> bool:
        known = self.symbols.classes.get(cls)
        return known is not None and known.is_module

    def is_functional(self, namespace: str) -> bool:
        if namespace == FUNCTIONAL:
            return True
        # `F` in a snippet or notebook cell that never imports it
        return namespace in ("F", "nn.functional") and namespace.split(".")[0] not in self.aliases

    # LC109 ----------------------------------------------------------------------------------
    def softmax_before_cross_entropy(self) -> None:
        softmax_models = self.classes_returning_softmax()
        for steps in self.facts.steps.values():
            for step, probabilities in self.with_probabilities(steps, softmax_models):
                if isinstance(step, Site):
                    loss = self.class_loss(step)
                    given = arg_value(step.node, 0, "input") if loss else None
                    if given is not None and self.is_softmax(given, probabilities, softmax_models):
                        self.match("LC109", step.node, loss, "softmax")

    def with_probabilities(self, steps: list[Step], models: dict[str, frozenset[int]]) -> Iterator[tuple[Step, set[str]]]:
        """Each call and return of a scope, with the names that hold softmax output at that point."""
        probabilities: set[str] = set()
        for step in steps:
            if not isinstance(step, Assignment):
                yield step, probabilities
                continue
            probabilities.difference_update(step.targets)
            if step.value is not None and len(step.targets) == 1 \
                    and self.is_softmax(step.value, probabilities, models):
                probabilities.add(step.targets[0])
            elif step.unpacked is not None:
                members = self.softmax_members(step.unpacked, models)
                probabilities.update(t for i, t in enumerate(step.targets) if i in members)

    def class_loss(self, site: Site) -> str:
        if site.name in CLASS_LOSSES:
            return CLASS_LOSSES[site.name]
        func = site.node.func
        built = constructed(func) if type(func) is cst.Call else self.constructor(dotted(func))
        return CLASS_LOSSES.get(last(call_name(built)), "") if built is not None else ""

    def is_softmax(self, expr: cst.BaseExpression, probabilities: set[str], models: dict[str, frozenset[int]]) -> bool:
        name = dotted(expr)
        if name is not None:
            return name in probabilities
        if not type(expr) is cst.Call:
            return False
        resolved = resolve(self.aliases, call_name(expr) or "")
        if resolved in SOFTMAX_FUNCTIONS:
            return True
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value == "softmax":
            owner = dotted(func.value)   # `logits.softmax(-1)`, not `self.softmax(x)` of a module
            if owner is None or not (owner == "self" or resolve(self.aliases, owner).startswith("torch")):
                return True
        if type(func) is cst.Call:
            return self.ends_in_softmax(func)
        callee = dotted(func)
        built = self.constructor(callee)
        if built is None:
            return False
        return self.ends_in_softmax(built) or WHOLE_OUTPUT in models.get(last(call_name(built)), frozenset())

    def ends_in_softmax(self, call: cst.Call) -> bool:
        """`nn.Softmax(dim=1)` or `nn.Sequential(..., nn.Softmax(dim=1))`."""
        leaf = last(call_name(call))
        if leaf in SOFTMAX_MODULES:
            return True
        if leaf == "Sequential":
            layers = [a for a in call.args if a.keyword is None]
            return bool(layers) and not layers[-1].star and type(layers[-1].value) is cst.Call \
                and self.ends_in_softmax(layers[-1].value)
        return False

    def softmax_members(self, value: cst.BaseExpression, models: dict[str, frozenset[int]]) -> frozenset[int]:
        """`validity, label = discriminator(x)`: the positions of the returned tuple that hold probabilities."""
        built = self.constructor(dotted(value.func)) if type(value) is cst.Call else None
        return models.get(last(call_name(built)), frozenset()) if built is not None else frozenset()

    def classes_returning_softmax(self) -> dict[str, frozenset[int]]:
        """nn.Module classes whose forward() returns probabilities on every path: the class, with the
        positions of the probabilities when it returns a tuple (WHOLE_OUTPUT: the output itself)."""
        found: dict[str, frozenset[int]] = {}
        for cls, methods in self.symbols.methods.items():
            forward = methods.get("forward")
            if forward is None or not self.is_module_class(cls):
                continue
            returns = [self.softmax_positions(step.value, probabilities)
                       for step, probabilities in self.with_probabilities(self.facts.steps.get(id(forward), []), {})
                       if isinstance(step, Return)]
            common = frozenset.intersection(*returns) if returns else frozenset()
            if common:
                found[cls] = common
        return found

    def softmax_positions(self, value: Optional[cst.BaseExpression], probabilities: set[str]) -> frozenset[int]:
        if value is None:
            return frozenset()
        if type(value) is cst.Tuple:
            return frozenset(i for i, e in enumerate(value.elements)
                             if not type(e) is cst.StarredElement and self.is_softmax(e.value, probabilities, {}))
        return frozenset({WHOLE_OUTPUT}) if self.is_softmax(value, probabilities, {}) else frozenset()

    # LC601 ----------------------------------------------------------------------------------
    def loss_shape_broadcast(self, module: cst.Module) -> None:
        shapes = Shapes(self, self.facts.steps.get(id(module), []), self.symbols.methods)
        scopes = {id(site.scope): site.scope for site in self.facts.sites}
        for key, steps in self.facts.steps.items():
            for step, at in shapes.flow(steps, scopes[key]) if key in scopes else ():
                loss = self.broadcasting_loss(step) if isinstance(step, Site) else ""
                if not loss:
                    continue
                given = shapes.shape(arg_value(step.node, 0, "input"), at)
                target = shapes.shape(arg_value(step.node, 1, "target"), at)
                if {given, target} == {COLUMN, VECTOR}:
                    self.match("LC601", step.node, loss, "input" if given == COLUMN else "target")

    def broadcasting_loss(self, site: Site) -> str:
        """`mse_loss` for F.mse_loss(...), `MSELoss` for a call of an nn.MSELoss; else ""."""
        namespace, _, leaf = site.name.rpartition(".")
        if leaf in BROADCASTING_LOSSES and self.is_functional(namespace):
            return leaf
        func = site.node.func
        built = constructed(func) if type(func) is cst.Call else self.constructor(dotted(func))
        name = last(call_name(built)) if built is not None else ""
        return name if name in BROADCASTING_LOSSES.values() else ""

    # LC108 ----------------------------------------------------------------------------------
    def sampler_set_epoch_missing(self) -> None:
        if self.facts.mentions_set_epoch or not self.epochs_over_loader():
            return
        for site in self.facts.sites:
            if site.leaf == DISTRIBUTED_SAMPLER and not bool_value(keyword(site.node, "shuffle")) is False \
                    and not self.samples_evaluation_data(site.node) \
                    and not self.handed_to_library(self.holders(site.node)):
                self.match("LC108", site.node, DISTRIBUTED_SAMPLER)

    def samples_evaluation_data(self, call: cst.Call) -> bool:
        """`DistributedSampler(valset)`, `val_sampler = DistributedSampler(dataset)`: a sampler of
        held-out data. A validation pass averages over all of it, in any order: a fixed order is harmless."""
        dataset = arg_value(call, 0, "dataset")
        named = set(names_in(dataset)) if dataset is not None else set()
        if dataset is not None:   # `DistributedSampler(datasets["val"])`
            named.update(n.evaluated_value for n in _descendants(dataset)
                         if type(n) is cst.SimpleString and type(n.evaluated_value) is str)
        named.update(name for name, values in self.facts.bindings.items()
                     if any(n is call for v in values for n in _descendants(v)))
        return any(sym.evaluation_data(name) for name in named)

    def holders(self, call: cst.Call) -> set[str]:
        """The names bound to `call`, and to what is built around it (`DataLoader(..., sampler=sampler)`)."""
        found = {name for name, values in self.facts.bindings.items()
                 if any(n is call for v in values for n in _descendants(v))}
        while True:
            more = {name for name, values in self.facts.bindings.items()
                    if name not in found and any(set(_names_beside_lengths(v)) & found for v in values)}
            if not more:
                return found
            found |= more

    def handed_to_library(self, names: set[str]) -> bool:
        """Some of `names` reach a call out of view (opacus' make_private, a Trainer), which may set the epoch."""
        defined = _defined_names(self.symbols)
        for site in self.facts.sites:
            if site.leaf in ITERATION_HELPERS or site.leaf in defined:
                continue
            if any(n in names for a in site.node.args for n in _names_beside_lengths(a.value)):
                return True
        return False


    def epochs_over_loader(self) -> bool:
        """A loop over a loader inside another loop, here or through a function of this file."""
        called_in_loops = {s.leaf for s in self.facts.sites if s.loops}
        for scope, depth in self.facts.loader_loops:
            if depth >= 2 or (type(scope) is cst.FunctionDef and scope.name.value in called_in_loops):
                return True
        return False

    # LC110 ----------------------------------------------------------------------------------
    def no_sync_accumulation(self) -> None:
        if self.facts.skips_grad_sync or not any(s.leaf in DDP_WRAPPERS or DDP_HELPERS.search(s.leaf)
                                                 for s in self.facts.sites):
            return
        steps_by_loop: dict[int, Site] = {}
        for site in self.facts.sites:
            if site.leaf == "step" and site.loops and self.kind(site.receiver) in (sym.OPTIMIZER, sym.SCALER) \
                    and any(_counts_batches(test) for test in site.conditions):
                steps_by_loop.setdefault(id(site.loops[-1]), site)
        for site in self.facts.sites:
            if site.leaf == "backward" and type(site.node.func) is cst.Attribute and site.loops \
                    and not site.conditions and id(site.loops[-1]) in steps_by_loop:
                self.match("LC110", site.node, _code(site.node.func.value),
                           steps_by_loop[id(site.loops[-1])].receiver or "")

    # LC303 ----------------------------------------------------------------------------------
    def load_without_map_location(self) -> None:
        if not any(s.name == "torch.cuda.is_available" for s in self.facts.sites):
            return
        loaded_into_models = self.names_loaded_into_models()
        order = {id(s.node): i for i, s in enumerate(self.facts.sites)}
        for scope_steps in self.facts.steps.values():
            for index, step in enumerate(scope_steps):
                if not isinstance(step, Site) or step.name != "torch.load" or step.cuda_guarded:
                    continue
                call = step.node
                if any(a.star for a in call.args) or arg_value(call, 1, "map_location") is not None:
                    continue
                if self.written_by_this_run(step, order) or self.helper_of_this_run(step, order):
                    continue
                if self.is_checkpoint(call, scope_steps[index:], loaded_into_models):
                    self.match("LC303", call, "torch.load")

    def written_by_this_run(self, load: Site, order: dict[int, int],
                            path: Optional[cst.BaseExpression] = None) -> bool:
        """Earlier in the same scope (a notebook's training cells, the top of a script) the run
        trained, or saved to the loaded path (torch.save, a saving helper given the path): the
        checkpoint is this run's own, made on this machine. Loads before training (resume,
        pretrained weights) and loaders of their own (`def load(self, path)`) meet any machine's files."""
        path = path if path is not None else arg_value(load.node, 0, "f")
        if path is None:
            return False
        key, names = _path_key(path), set(names_in(path))
        for name in list(names):   # `saved = dirname / os.listdir(dirname)[0]`: where the path comes from
            for value in self.facts.bindings.get(name, []):
                names.update(names_in(value))
        for site in self.facts.sites[:order[id(load.node)]]:
            if site.scope is not load.scope:
                continue
            if self.trains(site):
                return True
            if not _saves(site):
                continue
            for arg in site.node.args:
                if _path_key(arg.value) == key or (names and names & set(names_in(arg.value))
                                                   and not type(path) is cst.SimpleString):
                    return True
        return False

    def helper_of_this_run(self, load: Site, order: dict[int, int]) -> bool:
        """`def load_checkpoint(self, filename): torch.load(filename)`, a loading helper of the
        file whose every call here comes after the same scope trained or saved to the path it
        passes (`sbs.save_checkpoint("ckpt.pth")` ... `sbs.load_checkpoint("ckpt.pth")`)."""
        func, path = load.scope, arg_value(load.node, 0, "f")
        if not type(func) is cst.FunctionDef or type(path) is not cst.Name:
            return False
        params = [p.name.value for p in func.params.params]
        if path.value not in params:
            return False
        position = params.index(path.value) - (1 if params[:1] in (["self"], ["cls"]) else 0)
        calls = [s for s in self.facts.sites if s.leaf == func.name.value and s.scope is not func]
        for call in calls:
            given = arg_value(call.node, position, path.value)
            if given is None or not self.written_by_this_run(call, order, given):
                return False
        return bool(calls)

    def trains(self, site: Site) -> bool:
        """backward(), an optimizer step, or a call of a training routine (`train(...)`, `trainer.fit()`)."""
        if site.leaf == "backward" or (site.leaf == "step" and self.kind(site.receiver) == sym.OPTIMIZER):
            return True
        word = site.leaf.lower()
        return ("train" in word or word == "fit") and self.kind(site.receiver) != sym.MODEL

    def names_loaded_into_models(self) -> set[str]:
        """Roots of the names passed to some `load_state_dict(...)`."""
        return {name.split(".")[0] for s in self.facts.sites if s.leaf == "load_state_dict"
                for a in s.node.args for name in names_in(a.value)}

    def is_checkpoint(self, call: cst.Call, following: list[Step], loaded: set[str]) -> bool:
        """The loaded object is a state dict given to load_state_dict, or a pickled model."""
        for site in (s for s in self.facts.sites if s.leaf == "load_state_dict"):
            if any(n is call for a in site.node.args for n in _descendants(a.value)):
                return True
        for step in following:
            if isinstance(step, Assignment) and step.value is not None and any(
                    n is call for n in _descendants(step.value)):
                return any(t.split(".")[0] in loaded or self.kind(t) == sym.MODEL for t in step.targets)
        return False

    # LC114 ----------------------------------------------------------------------------------
    def epoch_scheduler_per_batch(self) -> None:
        for site in self.facts.sites:
            if site.leaf != "step" or not site.loops or site.conditions:
                continue
            built = self.constructor(site.receiver)
            if built is None or not type(site.loops[-1]) is cst.For:
                continue
            cls = last(call_name(built))
            if cls in EPOCH_SCHEDULERS and self.in_epochs(built, cls) \
                    and any(self.kind(n) == sym.LOADER for n in names_in(site.loops[-1].iter)):
                self.match("LC114", site.node, site.receiver or "scheduler", cls)

    def in_epochs(self, call: cst.Call, cls: str) -> bool:
        length = arg_value(call, 1, EPOCH_SCHEDULERS[cls])
        if length is None:
            return False
        if cls == "ExponentialLR":
            return type(length) is cst.Float and float(length.value) <= EPOCH_GAMMA_LIMIT
        gamma = arg_value(call, 2, "gamma")
        if type(gamma) is cst.Float and float(gamma.value) > EPOCH_GAMMA_LIMIT:
            return False
        if type(length) in (cst.List, cst.Tuple):
            return bool(length.elements) and all(_epoch_count(e.value) for e in length.elements)
        return _epoch_count(length)

    # LC115 ----------------------------------------------------------------------------------
    def backward_without_step(self) -> None:
        sites = self.facts.sites
        optimizers = {name for name, values in self.facts.bindings.items()
                      if any(type(v) is cst.Call and self.is_optimizer(constructed(v)) for v in values)}
        if not optimizers or self.facts.reads_grad or optimizers & self.facts.escaped:
            return
        # any call that may step (`train_step()`, `env.step()`), but not the construction of a StepLR
        if any("step" in s.leaf.lower() and s.leaf not in sym.SCHEDULER_CLASSES and self.kind(s.receiver) != sym.SCHEDULER
               for s in sites):
            return
        backward = next((s for s in sites if s.leaf == "backward" and s.receiver and s.loops
                         and self.kind(s.receiver) != sym.MODEL), None)
        if backward is not None:
            self.match("LC115", backward.node, backward.receiver or "loss", ", ".join(sorted(optimizers)))

    def is_optimizer(self, call: cst.Call) -> bool:
        leaf = last(call_name(call))
        return leaf in sym.OPTIMIZER_CLASSES or (leaf.endswith("Optimizer") and leaf[:1].isupper())


def _defined_names(symbols: sym.Symbols) -> set[str]:
    """Functions, classes and methods of this file: what is handed to them stays in view."""
    found = set(symbols.functions) | set(symbols.classes)
    for methods in symbols.methods.values():
        found.update(methods)
    return found


def _moves(value: cst.BaseExpression, name: Optional[str]) -> bool:
    """`model = model.to(device)`: the same object, moved."""
    return type(value) is cst.Call and type(value.func) is cst.Attribute \
        and value.func.attr.value in MOVES and dotted(value.func.value) == name


def _saves(site: Site) -> bool:
    """torch.save, or a call that names saving: `DiskSaver(dirname=...)`, `train(..., best_model_save_path=...)`."""
    words = [site.leaf.lower()] + [a.keyword.value.lower() for a in site.node.args if a.keyword is not None]
    return site.name == "torch.save" or any("save" in w or "checkpoint" in w for w in words)


def _code(node: cst.CSTNode, limit: int = 40) -> str:
    text = " ".join(cst.Module(body=[]).code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _path_key(node: Optional[cst.BaseExpression]) -> Optional[str]:
    """What identifies a checkpoint file in torch.save/torch.load: the string, or the expression's code."""
    if node is None:
        return None
    if type(node) is cst.SimpleString and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    return _code(node, limit=400)


def _counts_batches(test: cst.BaseExpression) -> bool:
    """`(i + 1) % accum_steps == 0`, `step % args.gradient_accumulation_steps == 0`."""
    return any(type(n) is cst.BinaryOperation and type(n.operator) is cst.Modulo for n in _descendants(test)) \
        or any("accum" in n.lower() for n in names_in(test))


def _names_beside_lengths(node: cst.CSTNode) -> Iterator[str]:
    """The names read in `node`, except inside `len(...)`: `epoch_offset = iteration // len(loader)`
    holds a number, not the loader."""
    kind = type(node)
    if kind is cst.Name or (kind is cst.Attribute and dotted(node) is not None):
        yield dotted(node)
        return
    if kind in NO_CODE or (kind is cst.Call and dotted(node.func) == "len"):
        return
    for child in children(node):
        yield from _names_beside_lengths(child)


def _epoch_count(node: cst.BaseExpression) -> bool:
    """An integer below EPOCH_LENGTH_LIMIT, or arithmetic over names that count epochs."""
    if type(node) is cst.Integer:
        return int(node.value.replace("_", ""), 0) < EPOCH_LENGTH_LIMIT
    if any(type(n) is cst.Call for n in _descendants(node)):
        return False
    names = [n.lower() for n in names_in(node)]
    return bool(names) and all("epoch" in n and not any(w in n for w in PER_STEP_WORDS) for n in names)


def _descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if type(current) not in NO_CODE:
            stack.extend(children(current))


def find(module: cst.Module, symbols: sym.Symbols, locate: Locate) -> list[PatternMatch]:
    """Every pattern-rule match in `module`; `locate` maps a node to its Location."""
    recorder = _Recorder(symbols)
    visit(module, recorder)
    patterns = _Patterns(recorder.facts, symbols, recorder.aliases, locate)
    patterns.scaler_update_missing()
    patterns.clip_before_unscale()
    patterns.functional_dropout()
    patterns.softmax_before_cross_entropy()
    patterns.sampler_set_epoch_missing()
    patterns.no_sync_accumulation()
    patterns.load_without_map_location()
    patterns.epoch_scheduler_per_batch()
    patterns.backward_without_step()
    patterns.loss_shape_broadcast(module)
    return patterns.matches

