"""One file through the static producer: parse, find entry points, walk, evaluate rules."""
from __future__ import annotations

import ast
import itertools
import os
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Optional

import libcst as cst

from loopcheck.events import Event, Kind, Stream
from loopcheck.files import UnreadableFile
from loopcheck.findings import Finding
from loopcheck.rules import evaluate, merge
from loopcheck.rules.source import SOURCE_RULES
from loopcheck.static import patterns
from loopcheck.static.names import call_name, dotted, forget_children, last, method, receiver, visit
from loopcheck.static.positions import Positions
from loopcheck.static.project_modules import MAX_HOPS, PARSED, ProjectCode
from loopcheck.static.symbols import Symbols, collect
from loopcheck.static.walker import FileContext, Frame, Walker, constructed_class, decorator_grad

# Invariant conditions (`if args.amp:`) split the stream into worlds: every combination of up to
# this many; beyond, the all-true and all-false worlds and each condition flipped alone from
# either (2k + 2 worlds, not 2^k), for at most MAX_FLIPPED_CONDITIONS conditions.
MAX_WORLD_CONDITIONS = 4
MAX_FLIPPED_CONDITIONS = 32


def parse(source: str, path: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        line, column, message = error.raw_line, error.raw_column + 1, "invalid syntax"
        try:  # Python's own parser words syntax errors the way users know them
            compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except SyntaxError as py_error:
            line, column = py_error.lineno or line, py_error.offset or column
            message = py_error.msg
        raise UnreadableFile(f"{path}:{line}:{column}: syntax error: {message}") from None


def analyse_source(source: str, path: str, notes: Optional[list[str]] = None,
                   file: Optional[str] = None) -> list[Finding]:
    """Findings of one file; `notes` receives a line for each limit the analysis reached; `file`:
    where the source is on disk, to read the project files it imports (none without)."""
    try:
        return _analyse(source, path, notes, file)
    finally:
        forget_children()


def _analyse(source: str, path: str, notes: Optional[list[str]], file: Optional[str]) -> list[Finding]:
    if file is None:
        module = parse(source, path)
        positions = Positions(module)
    else:   # parsed once with the project files that import it (project_modules.PARSED)
        module, positions = PARSED.tree(Path(os.path.abspath(file)), source, lambda text: parse(text, path))
    project = ProjectCode(file, path, module, positions) if file is not None else None
    symbols = collect(module, source, project.imported_classes() if project is not None else None)
    if project is not None:
        project.use(symbols)
    ctx = FileContext(path, module, positions, symbols, project=project)
    walker = Walker(ctx, lines=source.count("\n") + 1)
    findings: list[Finding] = []
    unflipped = 0
    for frame, body, grad in entry_points(module, ctx):
        events = _walk_entry(walker, ctx, frame, body, grad)
        conditions = invariant_conditions(events)
        unflipped = max(unflipped, len(conditions) - MAX_FLIPPED_CONDITIONS)
        for world in worlds(events, conditions):
            findings.extend(evaluate(Stream(input_gradients(world), origin="static", path=path)))
    if notes is not None:
        notes.extend(limit_notes(path, walker, unflipped))
    ctx.notes.patterns.extend(patterns.find(module, ctx.symbols, ctx.location))
    for rule in SOURCE_RULES:
        findings.extend(rule.check_notes(ctx.notes))
    if project is not None:
        project.finish()
        findings = [_via(f, project) for f in findings]
    # Each loop is unrolled twice: a finding seen in both copies is one finding.
    return [_once(f) for f in merge(findings)]


def _walk_entry(walker: Walker, ctx: FileContext, frame: Frame, body: list[cst.CSTNode],
                grad: Optional[bool]) -> list[Event]:
    """The events of one entry point. A method inherited from another file, walked for a class of
    this file, names that class in the findings it has there (via my_trainer.py:11)."""
    project = ctx.project
    if project is None or frame.cls is None or not project.foreign(frame.func):
        return walker.walk_root(body, frame, grad)
    project.callers.append(ctx.location(ctx.symbols.classes[frame.cls].node.name))
    try:
        return walker.walk_root(body, frame, grad)
    finally:
        project.callers.pop()


def _via(finding: Finding, project: ProjectCode) -> Finding:
    """A finding in an imported file names the call of the checked file it was reached through."""
    caller = project.via.get(finding.location)
    if caller is None:
        return finding
    return replace(finding, message=f"{finding.message} (via {caller.path}:{caller.line})")


def _once(finding: Finding) -> Finding:
    if finding.count == 1:
        return finding
    return Finding(finding.code, finding.name, finding.severity, finding.message, finding.location,
                   finding.fix, 1, finding.extra)


def entry_points(module: cst.Module, ctx: FileContext) -> Iterator[tuple[Frame, list[cst.CSTNode], Optional[bool]]]:
    """The module body, then every function or method that no other code in the file calls, then
    the inherited methods that run a method a class of the file overrides."""
    called = called_names(module, ctx)
    yield Frame(), [s for s in module.body if not type(s) is cst.ClassDef], True
    for name, func in ctx.symbols.functions.items():
        if name not in called:
            yield Frame(func=func), list(func.body.body), decorator_grad(func, ctx.symbols)
    for cls, methods in ctx.symbols.methods.items():
        is_module = ctx.symbols.classes[cls].is_module
        for name, func in methods.items():
            if name in called or (name == "__init__" and cls in called):
                continue
            frame = Frame(cls=cls, func=func, in_forward=is_module and name == "forward")
            yield frame, list(func.body.body), decorator_grad(func, ctx.symbols)
    yield from inherited_loops(ctx, called)


def inherited_loops(ctx: FileContext, called: set[str]) -> Iterator[tuple[Frame, list[cst.CSTNode], Optional[bool]]]:
    """Methods that a class of the file inherits, that no code of the file calls, and that call a
    method the class overrides (directly or through other inherited methods): a base trainer's
    `fit()` runs the subclass's `train_step` in its loop, so it is walked for the subclass too,
    wherever the base class is (this file or another file of the project)."""
    for cls, info in ctx.symbols.classes.items():
        own = ctx.symbols.methods.get(cls, {})
        inherited = {name: func for name, func in inherited_methods(info.node, ctx).items() if name not in own}
        calls = {name: self_calls(func) for name, func in inherited.items()} if own else {}
        reaching = set(own)
        while True:
            more = {name for name, names in calls.items() if name not in reaching and names & reaching}
            if not more:
                break
            reaching |= more
        for name in calls:
            if name in reaching and name not in called:
                func = inherited[name]
                frame = Frame(cls=cls, func=func, in_forward=info.is_module and name == "forward")
                yield frame, list(func.body.body), decorator_grad(func, ctx.symbols)


def inherited_methods(node: cst.ClassDef, ctx: FileContext) -> dict[str, cst.FunctionDef]:
    """The methods of a class's base classes, of this file or of other project files, nearest first."""
    found: dict[str, cst.FunctionDef] = {}
    seen = {node}
    pending = list(_bases(node, ctx))
    while pending and len(seen) <= MAX_HOPS:
        base = pending.pop(0)
        if base in seen:
            continue
        seen.add(base)
        for statement in base.body.body:
            if type(statement) is cst.FunctionDef:
                found.setdefault(statement.name.value, statement)
        pending.extend(_bases(base, ctx))
    return found


def _bases(node: cst.ClassDef, ctx: FileContext) -> list[cst.ClassDef]:
    if ctx.project is not None:
        return [base for base in ctx.project.bases(node) if base is not None]
    names = (last(dotted(base.value)) for base in node.bases)
    return [ctx.symbols.classes[name].node for name in names if name in ctx.symbols.classes]


def self_calls(func: cst.FunctionDef) -> set[str]:
    """The methods a function calls on `self`."""
    calls = _SelfCalls()
    visit(func, calls)
    return calls.names


class _SelfCalls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        recv = receiver(node)
        if type(recv) is cst.Name and recv.value == "self":
            self.names.add(method(node))


def called_names(module: cst.Module, ctx: FileContext) -> set[str]:
    """Names of functions, methods and classes that some code in the file calls.

    `model.train()` is a torch method, not a call of some `Trainer.train`: calls on known
    torch objects do not count."""
    calls = _Calls(ctx.symbols)
    visit(module, calls)
    return calls.names


class _Calls(cst.CSTVisitor):
    LIBRARY = frozenset({"model", "optimizer", "scheduler", "scaler", "loader", "loss"})

    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        names = self.names
        name = call_name(node)
        if name is None and constructed_class(node, self.symbols):
            names.add(method(node))   # Trainer(...).fit()
        if name is not None:
            owner = name.rsplit(".", 1)[0] if "." in name else ""
            if not owner or self.symbols.kind(owner) not in self.LIBRARY:
                names.add(last(name))
        for arg in node.args:
            if type(arg.value) is cst.Name:
                names.add(arg.value.value)   # callbacks: optimizer.step(closure)


def input_gradients(events: list[Event]) -> list[Event]:
    """Mark the backwards that no step (nor any opaque call) follows: they compute gradients
    for their own sake (saliency maps, CAM, adversarial inputs) and train nothing."""
    marked = list(events)
    stepped_after = False
    for index in range(len(marked) - 1, -1, -1):
        event = marked[index]
        if event.kind in (Kind.STEP, Kind.OPAQUE):
            stepped_after = True
        elif event.kind is Kind.BACKWARD and not stepped_after:
            marked[index] = replace(event, facts={**event.facts, "trains": False})
    return marked


def invariant_conditions(events: list[Event]) -> list[int]:
    return sorted({abs(i) for e in events for i in e.facts.get("inv", ())})


def worlds(events: list[Event], ids: list[int]) -> Iterator[list[Event]]:
    """Specialise the stream for assignments of its invariant conditions `ids`."""
    if not ids:
        yield events
        return
    for choice in _choices(len(ids)):
        truth = dict(zip(ids, choice))
        yield [e for e in events if all(truth[abs(i)] == (i > 0) for i in e.facts.get("inv", ()))]


def _choices(count: int) -> Iterator[tuple[bool, ...]]:
    if count <= MAX_WORLD_CONDITIONS:
        yield from itertools.product((True, False), repeat=count)
        return
    yield (True,) * count
    yield (False,) * count
    for default in (True, False):
        for flipped in range(min(count, MAX_FLIPPED_CONDITIONS)):
            yield tuple(default != (index == flipped) for index in range(count))


def limit_notes(path: str, walker: Walker, unflipped: int) -> list[str]:
    notes = []
    if walker.skipped_inlines:
        notes.append(f"{path}: analysis limit reached: {walker.skipped_inlines} calls of the file's own functions "
                     f"were not followed (over {walker.inline_budget} statements walked); findings may be missing")
    if unflipped > 0:
        notes.append(f"{path}: analysis limit reached: {unflipped} configuration conditions (`if args.flag:`) "
                     f"beyond the first {MAX_FLIPPED_CONDITIONS} of one loop were not varied; findings may be missing")
    return notes
