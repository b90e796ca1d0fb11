"""Small helpers over libcst expressions: dotted names, call names, argument lookup."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence

import libcst as cst
from libcst import MaybeSentinel

# libcst lists `node.children` by running a visitor on every access, and the analysis asks for
# the children of the same nodes many times (unrolled loops, inlined functions). Trees never
# change: each node's children are listed once, until the file is done (`forget_children`).
_CHILDREN: dict[int, tuple[cst.CSTNode, Sequence[cst.CSTNode]]] = {}   # id -> (node, its children)


def children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    # Keyed by id(): a node's __hash__ is a Python function of libcst's, called at every lookup.
    # The entry holds the node, so that its id is not reused before `forget_children`.
    found = _CHILDREN.get(id(node))
    if found is None:
        found = _CHILDREN[id(node)] = (node, listed_children(node))
    return found[1]


def subclasses(*bases: type) -> frozenset[type]:
    """`bases` and every class derived from them: `type(node) in subclasses(cst.BaseExpression)`
    is `isinstance(node, cst.BaseExpression)` without going through ABCMeta.__instancecheck__
    (libcst's node classes are ABCs, and its concrete classes have no subclasses; the set also
    holds the copies that libcst's @add_slots leaves behind, of which no node is an instance)."""
    found: set[type] = set()
    pending = list(bases)
    while pending:
        kind = pending.pop()
        if kind not in found:
            found.add(kind)
            pending.extend(kind.__subclasses__())
    return frozenset(found)


NODE_TYPES = subclasses(cst.CSTNode)
EXPRESSION_TYPES = subclasses(cst.BaseExpression)
_SEQUENCES = (tuple, list)

# That visitor also rebuilds the node, which costs more than the parse. The fields it visits,
# in its order, are the same for every node of a class: learnt from the first node of each
# class, they list the children of the others straight from their fields. A class whose first
# node left out a field declared to hold nodes (libcst visits some fields only when they are
# set) is listed by libcst every time.
_VISITED_FIELDS: dict[type, Optional[tuple[str, ...]]] = {}


def listed_children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """`node.children`: the same nodes in the same order."""
    kind = type(node)
    fields = _VISITED_FIELDS[kind] if kind in _VISITED_FIELDS else _learn_fields(node)
    if fields is None:
        return node.children
    found: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind in NODE_TYPES:
            found.append(value)
        elif kind is tuple or kind is list:
            found.extend(value)
        elif value is not None and kind is not MaybeSentinel:
            if isinstance(value, cst.CSTNode):
                found.append(value)
            elif isinstance(value, _SEQUENCES):
                found.extend(value)
    return found


class _FieldRecorder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)


def _learn_fields(node: cst.CSTNode) -> Optional[tuple[str, ...]]:
    import dataclasses

    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    visited = tuple(dict.fromkeys(recorder.fields))
    regular = not any(_may_hold_nodes(f.type) for f in dataclasses.fields(node) if f.name not in visited)
    _VISITED_FIELDS[type(node)] = visited if regular else None
    return _VISITED_FIELDS[type(node)]


def _may_hold_nodes(declared: object) -> bool:
    """Whether a field's declared type names a node class (`Optional[Sequence[Arg]]`); a type
    written as a string is not looked into and counts as one."""
    import typing

    if isinstance(declared, type):
        return issubclass(declared, cst.CSTNode)
    if isinstance(declared, str):
        return True
    if typing.get_origin(declared) is typing.Literal:
        return False
    return any(_may_hold_nodes(argument) for argument in typing.get_args(declared))


def forget_children() -> None:
    _CHILDREN.clear()
    _TAPES.clear()


def visit(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` over the listed children, without libcst rebuilding every node on
    the way. Attribute hooks (`visit_For_body`) run around fields that hold one node; unlike
    libcst, not for empty fields nor sequences. A visitor's visit_X must not return False
    (children are always visited)."""
    kind = type(visitor)
    if kind not in _TAPE_HANDLERS:
        _TAPE_HANDLERS[kind] = _tape_handlers(kind)
    handlers = _TAPE_HANDLERS[kind]
    if handlers is None:
        if kind not in _HOOKS:
            _HOOKS[kind] = _attribute_hooks(kind)
            _HANDLERS[kind] = {}
        _visit(node, visitor, _HOOKS[kind], _HANDLERS[kind])
        return
    tape, start, end = _tape(node)
    for code, current in (tape if start == 0 and end == len(tape) else tape[start:end]):
        handler = handlers.get(code)
        if handler is not None and handler(visitor, current) is False and code in _PRUNING:
            raise AssertionError(f"{kind.__name__}.{code} returned False: visit() does not prune")


# One walk of a tree serves every visitor of the analysis: the walk records, in visiting order,
# the visits, leaves and attribute hooks that some visitor of the symbol, call and pattern passes
# handles (the tape); each visitor then reads the tape and calls its own methods. The tape of a
# module also serves the functions and classes in it (the part between their visit and leave).
# A visitor that handles anything else is walked the old way.
TAPE_CODES = frozenset({
    "visit_Module", "visit_ClassDef", "leave_ClassDef", "visit_FunctionDef", "leave_FunctionDef",
    "visit_Import", "visit_ImportFrom", "visit_Assign", "leave_Assign", "visit_AnnAssign", "leave_AnnAssign",
    "leave_AugAssign", "visit_Call", "visit_Attribute", "visit_SimpleString", "visit_For", "leave_Return",
    "visit_For_body", "leave_For_body", "visit_While_body", "leave_While_body", "visit_If_body", "leave_If_body",
    "visit_IfExp_body", "leave_IfExp_body", "visit_If_orelse", "leave_If_orelse",
})
# The classes libcst exports (NODE_TYPES also holds the copies @add_slots leaves behind).
_BY_NAME = {name: kind for name, kind in vars(cst).items() if isinstance(kind, type) and kind in NODE_TYPES}
_TAPE_VISITS = {_BY_NAME[c[6:]]: c for c in TAPE_CODES if c.startswith("visit_") and c.count("_") == 1}
_TAPE_LEAVES = {_BY_NAME[c[6:]]: c for c in TAPE_CODES if c.startswith("leave_") and c.count("_") == 1}
_TAPE_HOOKS: dict[type, tuple[str, ...]] = {}
for _code in sorted(TAPE_CODES):
    if _code.count("_") == 2:
        _TAPE_HOOKS.setdefault(_BY_NAME[_code.split("_")[1]], ())
        _field = _code.split("_")[2]
        if _field not in _TAPE_HOOKS[_BY_NAME[_code.split("_")[1]]]:
            _TAPE_HOOKS[_BY_NAME[_code.split("_")[1]]] += (_field,)
_SPANNED = {kind for kind in _TAPE_VISITS if kind in _TAPE_LEAVES}   # functions and classes
_TAPES: dict[int, tuple[cst.CSTNode, list[tuple[str, cst.CSTNode]], int, int]] = {}   # id -> (node, tape, start, end)
_TAPE_HANDLERS: dict[type, Optional[dict[str, Callable[..., Any]]]] = {}


def _tape(root: cst.CSTNode) -> tuple[list[tuple[str, cst.CSTNode]], int, int]:
    known = _TAPES.get(id(root))
    if known is not None:
        return known[1], known[2], known[3]
    tape: list[tuple[str, cst.CSTNode]] = []
    record = tape.append
    starts: dict[int, int] = {}
    spans: list[tuple[cst.CSTNode, int]] = []
    visits, leaves, hooks = _TAPE_VISITS, _TAPE_LEAVES, _TAPE_HOOKS
    stack: list[Any] = [root]
    push = stack.append
    while stack:
        item = stack.pop()
        if type(item) is tuple:   # a leave or an attribute hook, in its place
            record(item)
            node = item[1]
            if type(node) in _SPANNED and item[0] in _SPAN_ENDS:
                spans.append((node, len(tape)))
            continue
        kind = type(item)
        code = visits.get(kind)
        if code is not None:
            if kind in _SPANNED:
                starts[id(item)] = len(tape)
            record((code, item))
        code = leaves.get(kind)
        if code is not None:
            push((code, item))
        if kind in NO_CODE:
            continue
        listed = children(item)
        hooked = hooks.get(kind)
        if hooked is None:
            stack.extend(reversed(listed))
            continue
        for child in reversed(listed):
            field = next((f for f in hooked if getattr(item, f) is child), None)
            if field is None:
                push(child)
                continue
            name = kind.__name__
            push((f"leave_{name}_{field}", item))
            push(child)
            push((f"visit_{name}_{field}", item))
    for node, end in spans:
        if node is not root:
            _TAPES[id(node)] = (node, tape, starts[id(node)], end)
    _TAPES[id(root)] = (root, tape, 0, len(tape))
    return tape, 0, len(tape)


# Nodes with no code inside (whitespace, comments, operators, brackets, names, literals): the
# tape walk does not go into them.
NO_CODE = frozenset({kind for kind in NODE_TYPES if kind.__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op")}
                     | {cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis,
                        cst.FormattedStringText, cst.LeftParen, cst.RightParen, cst.LeftSquareBracket,
                        cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Pass, cst.Break,
                        cst.Continue})
_SPAN_ENDS = frozenset(_TAPE_LEAVES.values())
_PRUNING = frozenset(_TAPE_VISITS.values())


def _tape_handlers(visitor: type) -> Optional[dict[str, Callable[..., Any]]]:
    """The visitor's own methods by tape code; None when it handles something the tape leaves out."""
    if visitor.on_visit_attribute is not cst.CSTVisitor.on_visit_attribute \
            or visitor.on_leave_attribute is not cst.CSTVisitor.on_leave_attribute:
        return None
    found: dict[str, Callable[..., Any]] = {}
    for name in dir(visitor):
        if not name.startswith(("visit_", "leave_")):
            continue
        own = _own(visitor, name)
        if own is None:
            continue
        if name not in TAPE_CODES:
            return None
        found[name] = own
    return found


# Per visitor class: node class -> its own visit_X and leave_X, None where the visitor keeps
# libcst's no-op (libcst's on_visit looks them up by name at every node).
_HOOKS: dict[type, dict[str, tuple[str, ...]]] = {}
_HANDLERS: dict[type, dict[type, tuple[Optional[Callable[..., Any]], Optional[Callable[..., Any]]]]] = {}


def _visit(node: cst.CSTNode, visitor: cst.CSTVisitor, hooks: dict[str, tuple[str, ...]],
           handlers: dict[type, tuple[Optional[Callable[..., Any]], Optional[Callable[..., Any]]]]) -> None:
    kind = type(node)
    handler = handlers.get(kind)
    if handler is None:
        handler = handlers[kind] = (_own(type(visitor), "visit_" + kind.__name__),
                                    _own(type(visitor), "leave_" + kind.__name__))
    enter, leave = handler
    if enter is None or enter(visitor, node) is not False:
        hooked = hooks.get(kind.__name__, ())
        for child in children(node):
            field = next((f for f in hooked if getattr(node, f) is child), None)
            if field is None:
                _visit(child, visitor, hooks, handlers)
                continue
            visitor.on_visit_attribute(node, field)
            _visit(child, visitor, hooks, handlers)
            visitor.on_leave_attribute(node, field)
    if leave is not None:
        leave(visitor, node)


def _own(visitor: type, name: str) -> Optional[Callable[..., Any]]:
    assert visitor.on_visit is cst.CSTVisitor.on_visit and visitor.on_leave is cst.CSTVisitor.on_leave, \
        "visit() calls visit_X and leave_X itself"
    found = getattr(visitor, name, None)
    return None if found is None or found is getattr(cst.CSTVisitor, name, None) else found


def _attribute_hooks(visitor: type) -> dict[str, tuple[str, ...]]:
    """Node class name -> the fields with hooks that `visitor` defines (`For` -> `body`)."""
    hooks: dict[str, set[str]] = {}
    for name in dir(visitor):
        kind, _, rest = name.partition("_")
        node, _, field = rest.partition("_")
        if kind in ("visit", "leave") and field and getattr(visitor, name) is not getattr(cst.CSTVisitor, name, None):
            hooks.setdefault(node, set()).add(field)
    return {node: tuple(sorted(fields)) for node, fields in hooks.items()}


Name, Attribute, Call = cst.Name, cst.Attribute, cst.Call
_SCOPES = frozenset({cst.Lambda, cst.FunctionDef, cst.ClassDef})


def dotted(node: cst.BaseExpression) -> Optional[str]:
    """`a.b.c` for Name/Attribute chains, else None."""
    kind = type(node)
    if kind is Name:
        return node.value
    if kind is Attribute:
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def call_name(call: cst.Call) -> Optional[str]:
    return dotted(call.func)


def last(name: Optional[str]) -> str:
    return name.rsplit(".", 1)[-1] if name else ""


def receiver(call: cst.Call) -> Optional[cst.BaseExpression]:
    """`x` in `x.method(...)`."""
    return call.func.value if type(call.func) is Attribute else None


def method(call: cst.Call) -> str:
    return call.func.attr.value if type(call.func) is Attribute else ""


def keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def positional(call: cst.Call, index: int) -> Optional[cst.BaseExpression]:
    args = [a for a in call.args if a.keyword is None and not a.star]
    return args[index].value if index < len(args) else None


def arg_value(call: cst.Call, index: int, name: str) -> Optional[cst.BaseExpression]:
    return keyword(call, name) or positional(call, index)


def string_value(node: Optional[cst.BaseExpression]) -> Optional[str]:
    if type(node) is cst.SimpleString:
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def number_value(node: Optional[cst.BaseExpression], default: Optional[float] = None) -> Optional[float]:
    """A number written as a literal (`0.5`, `1_000`, `0x10`); `default` when there is no node
    (an argument left out); None for anything else."""
    if node is None:
        return default
    if type(node) in (cst.Integer, cst.Float):
        return float(node.evaluated_value)   # type: ignore[union-attr]
    return None


def bool_value(node: Optional[cst.BaseExpression]) -> Optional[bool]:
    """`True` or `False` written as such; None for anything else (or no node)."""
    if type(node) is cst.Name and node.value in ("True", "False"):
        return node.value == "True"
    return None


def names_in(node: cst.CSTNode, callees: bool = True) -> Iterator[str]:
    """Every dotted name read anywhere inside `node` (outermost chains only). Without
    `callees`, the names that calls call are left out: what `node` hands on when passed as an
    argument (`preds.append(model(x))` hands on the model's output, not the model)."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is Name:
            yield current.value
            continue
        if kind is Attribute:
            name = dotted(current)
            if name is not None:
                yield name
                continue
        elif not callees and kind is Call and dotted(current.func) is not None:
            stack.extend(current.args)
            continue
        elif kind in NO_CODE:
            continue
        stack.extend(children(current))


def nodes_in(node: cst.CSTNode, into_functions: bool = False) -> Iterator[cst.CSTNode]:
    """`node` and everything inside it; not inside nested functions, lambdas and classes
    unless `into_functions`."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        kind = type(current)
        if kind in NO_CODE or (not into_functions and kind in _SCOPES):
            continue   # nothing inside but whitespace and punctuation; or a nested scope
        stack.extend(children(current))


def calls_in(node: cst.CSTNode, into_functions: bool = False) -> Iterator[cst.Call]:
    return (n for n in nodes_in(node, into_functions) if type(n) is Call)


def constructed(call: cst.Call) -> cst.Call:
    """`Net()` in `Net().to(device).cuda()`: look through chained moves and casts."""
    while type(call.func) is Attribute and type(call.func.value) is Call \
            and call.func.attr.value in ("to", "cuda", "half", "float", "double", "bfloat16", "train"):
        call = call.func.value
    return call


def root_of(name: str) -> str:
    return name.split(".", 1)[0]


def constructed_module(call: cst.Call) -> cst.Call:
    """`model.to(device)` in `model.to(device).half()`: the first call of a chain of moves and
    casts, whose receiver is the module itself."""
    while type(call.func) is Attribute and type(call.func.value) is Call \
            and call.func.attr.value in ("to", "cuda", "half", "float", "double", "bfloat16", "train", "eval"):
        call = call.func.value
    return call


def resolve(aliases: dict[str, str], name: str) -> str:
    """`F.softmax` -> `torch.nn.functional.softmax` through the file's imports."""
    head, _, rest = name.partition(".")
    full = aliases.get(head)
    if full is None:
        return name
    return f"{full}.{rest}" if rest else full
