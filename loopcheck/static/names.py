"""Small helpers over libcst expressions: dotted names, call names, argument lookup."""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

import libcst as cst

# libcst lists `node.children` by running a visitor on every access, and the analysis asks for
# the children of the same nodes many times (unrolled loops, inlined functions). Trees never
# change: each node's children are listed once, until the file is done (`forget_children`).
_CHILDREN: dict[cst.CSTNode, Sequence[cst.CSTNode]] = {}


def children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    found = _CHILDREN.get(node)
    if found is None:
        found = _CHILDREN[node] = node.children
    return found


def forget_children() -> None:
    _CHILDREN.clear()


def visit(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` over the listed children, without libcst rebuilding every node on
    the way. Attribute hooks (`visit_For_body`) run around fields that hold one node; unlike
    libcst, not for empty fields nor sequences."""
    _visit(node, visitor, _attribute_hooks(type(visitor)))


def _visit(node: cst.CSTNode, visitor: cst.CSTVisitor, hooks: dict[str, tuple[str, ...]]) -> None:
    if visitor.on_visit(node):
        hooked = hooks.get(type(node).__name__, ())
        for child in children(node):
            field = next((f for f in hooked if getattr(node, f) is child), None)
            if field is None:
                _visit(child, visitor, hooks)
                continue
            visitor.on_visit_attribute(node, field)
            _visit(child, visitor, hooks)
            visitor.on_leave_attribute(node, field)
    visitor.on_leave(node)


def _attribute_hooks(visitor: type) -> dict[str, tuple[str, ...]]:
    """Node class name -> the fields with hooks that `visitor` defines (`For` -> `body`)."""
    hooks: dict[str, set[str]] = {}
    for name in dir(visitor):
        kind, _, rest = name.partition("_")
        node, _, field = rest.partition("_")
        if kind in ("visit", "leave") and field and getattr(visitor, name) is not getattr(cst.CSTVisitor, name, None):
            hooks.setdefault(node, set()).add(field)
    return {node: tuple(sorted(fields)) for node, fields in hooks.items()}


def dotted(node: cst.BaseExpression) -> Optional[str]:
    """`a.b.c` for Name/Attribute chains, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def call_name(call: cst.Call) -> Optional[str]:
    return dotted(call.func)


def last(name: Optional[str]) -> str:
    return name.rsplit(".", 1)[-1] if name else ""


def receiver(call: cst.Call) -> Optional[cst.BaseExpression]:
    """`x` in `x.method(...)`."""
    return call.func.value if isinstance(call.func, cst.Attribute) else None


def method(call: cst.Call) -> str:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else ""


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
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def names_in(node: cst.CSTNode, callees: bool = True) -> Iterator[str]:
    """Every dotted name read anywhere inside `node` (outermost chains only). Without
    `callees`, the names that calls call are left out: what `node` hands on when passed as an
    argument (`preds.append(model(x))` hands on the model's output, not the model)."""
    stack = [node]
    while stack:
        current = stack.pop()
        name = dotted(current) if isinstance(current, (cst.Name, cst.Attribute)) else None
        if name is not None:
            yield name
            continue
        if not callees and isinstance(current, cst.Call) and dotted(current.func) is not None:
            stack.extend(current.args)
            continue
        stack.extend(children(current))


def nodes_in(node: cst.CSTNode, into_functions: bool = False) -> Iterator[cst.CSTNode]:
    """`node` and everything inside it; not inside nested functions, lambdas and classes
    unless `into_functions`."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not into_functions and isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            continue
        stack.extend(children(current))


def calls_in(node: cst.CSTNode, into_functions: bool = False) -> Iterator[cst.Call]:
    return (n for n in nodes_in(node, into_functions) if isinstance(n, cst.Call))


def constructed(call: cst.Call) -> cst.Call:
    """`Net()` in `Net().to(device).cuda()`: look through chained moves and casts."""
    while isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Call) \
            and call.func.attr.value in ("to", "cuda", "half", "float", "double", "bfloat16", "train"):
        call = call.func.value
    return call


def root_of(name: str) -> str:
    return name.split(".", 1)[0]


def constructed_module(call: cst.Call) -> cst.Call:
    """`model.to(device)` in `model.to(device).half()`: the first call of a chain of moves and
    casts, whose receiver is the module itself."""
    while isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Call) \
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
