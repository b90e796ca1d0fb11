"""The few tensor shapes the static analysis can be sure of, for LC601.

A shape is VECTOR (surely 1-D), COLUMN (surely at least 2-D with a last dimension of 1: a
prediction of `nn.Linear(k, 1)` on a batch, `t.view(-1, 1)`), MATRIX (surely at least 2-D),
BATCHED (a tensor of a DataLoader batch: a leading batch dimension, the rest unknown),
ONE_OUT (the output of a module ending in `nn.Linear(k, 1)` on an input of unknown rank), a
tuple of shapes (a batch of a TensorDataset, element by element), or None: unknown. Unknown
is the default of everything not listed here, and an unknown shape never makes a rule fire.

Names are followed in source order through one scope; an assignment counts for a later use
only when every `if`/`else` block around it also encloses the use. A name the scope never
assigns (nor takes as a parameter) is looked up among the module's top-level assignments,
when there is exactly one.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Protocol, Union

import libcst as cst

from loopcheck.static.idioms import (
    BATCH_SAFE_LOADER_ARGUMENTS, DATAFRAME_MAKERS, DATAFRAME_NAMES, DATAFRAME_TABLE_ATTRIBUTES,
    ELEMENTWISE_FUNCTIONS, ELEMENTWISE_LAYERS, SHAPE_PRESERVING_METHODS, SIZE_FACTORIES, TENSOR_CONVERSIONS,
    TENSOR_DATASETS, VECTOR_FACTORIES,
)
from loopcheck.static.names import arg_value, call_name, constructed, dotted, keyword, last, resolve
from loopcheck.static.steps import Assignment, Return, Step

VECTOR, COLUMN, MATRIX, BATCHED, ONE_OUT = "vector", "column", "matrix", "batched", "one-output"
Shape = Union[str, tuple, None]
_MAX_DEPTH = 12   # lookups through other names and constructors, per expression


class View(Protocol):
    """What the shape reader needs from the pattern deciders (loopcheck.static.patterns)."""

    facts: Any
    aliases: dict[str, str]

    def constructor(self, name: Optional[str]) -> Optional[cst.Call]: ...

    def is_module_class(self, cls: str) -> bool: ...


@dataclass
class At:
    """A point of a scope: the shapes its names hold there, and the blocks around it."""
    names: dict[str, tuple[Shape, frozenset]] = field(default_factory=dict)
    branches: frozenset = frozenset()
    local: frozenset[str] = frozenset()   # assigned in the scope, or its parameters


_TOP = At()


class Shapes:
    def __init__(self, view: View, module_steps: list[Step], methods: dict[str, dict[str, cst.FunctionDef]]) -> None:
        self.view = view
        assignments = [step for step in module_steps if isinstance(step, Assignment)]
        self._top = Counter(t for step in assignments for t in step.targets)
        self._top_values = {step.targets[0]: step.value for step in assignments
                            if step.pattern is None and not step.iterated and not step.branches}
        self._methods = methods
        self._one_output: dict[str, bool] = {}
        self._depth = 0

    # ---- flow through a scope ------------------------------------------------------------
    def flow(self, steps: list[Step], scope: cst.CSTNode) -> Iterator[tuple[Step, At]]:
        """Each call and return of a scope with the point of the scope before it."""
        local = {t for step in steps if isinstance(step, Assignment) for t in step.targets}
        if type(scope) is cst.FunctionDef:
            params = scope.params
            for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
                local.add(param.name.value)
            for star in (params.star_arg, params.star_kwarg):
                if type(star) is cst.Param:
                    local.add(star.name.value)
        at = At(local=frozenset(local))
        for step in steps:
            if isinstance(step, Assignment):
                self._assign(step, at)
            else:
                yield step, At(at.names, step.branches, at.local)

    def _assign(self, step: Assignment, at: At) -> None:
        here = At(at.names, step.branches, at.local)
        if step.pattern is not None:
            source = self.batches(step.source, here, step.pattern) if step.iterated else self.shape(step.source, here)
            bound = list(_unpack(step.pattern, source))
        elif step.iterated:
            bound = [(step.targets[0], self.batches(step.source, here))]
        else:
            bound = [(step.targets[0], self.shape(step.value, here))]
        for target in step.targets:
            at.names.pop(target, None)
        for name, shape in bound:
            if shape is not None:
                at.names[name] = (shape, step.branches)

    # ---- expressions ---------------------------------------------------------------------
    def shape(self, expr: Optional[cst.BaseExpression], at: At) -> Shape:
        if expr is None or self._depth > _MAX_DEPTH:
            return None
        self._depth += 1
        try:
            return self._shape(expr, at)
        finally:
            self._depth -= 1

    def _shape(self, expr: cst.BaseExpression, at: At) -> Shape:
        name = dotted(expr)
        if name is not None and not (type(expr) is cst.Attribute and expr.attr.value == "values"):
            return self.lookup(name, at)
        if type(expr) is cst.Call:
            return self._call(expr, at)
        if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.Power):
            return _elementwise(self.shape(expr.left, at), self.shape(expr.right, at), expr.left, expr.right)
        if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Minus:
            return self.shape(expr.expression, at)
        if type(expr) is cst.Attribute and expr.attr.value == "values":
            return self._pandas(expr.value) or self.shape(expr.value, at)   # `df["price"].values`, `prices.values`
        if type(expr) is cst.Subscript and self._pandas(expr) is not None:
            return self._pandas(expr)   # `prices = df["price"]`
        if type(expr) is cst.Subscript and len(expr.slice) == 1:
            whole = self.shape(expr.value, at)
            index = expr.slice[0].slice
            if type(index) is cst.Index and type(index.value) is cst.Integer:
                return _part(whole, int(index.value.value, 0))
        if type(expr) is cst.Tuple and not any(type(e) is cst.StarredElement for e in expr.elements):
            return tuple(self.shape(e.value, at) for e in expr.elements)   # `x, y = x.to(d), y.to(d)`
        if type(expr) is cst.List and len(expr.elements) > 1 and all(
                type(e.value) in (cst.Integer, cst.Float) for e in expr.elements):
            return VECTOR
        return None

    def lookup(self, name: str, at: At) -> Shape:
        held = at.names.get(name)
        if held is not None:
            return held[0] if held[1] <= at.branches else None
        if name in at.local or self._top[name] != 1:
            return None
        return self.shape(self._top_values.get(name), _TOP)

    def _call(self, call: cst.Call, at: At) -> Shape:
        if any(a.star for a in call.args):
            return None
        func = call.func
        full = resolve(self.view.aliases, call_name(call) or "")
        if full.startswith("torch."):
            return self._torch_function(full, call, at)
        if type(func) is cst.Attribute:
            method, owner = func.attr.value, func.value
            if method in ("view", "reshape"):
                return _dims(_size_arguments(call))
            if method in ("flatten", "ravel") and not call.args:
                return VECTOR
            if method == "unsqueeze" and len(call.args) == 1:
                return _unsqueezed(self.shape(owner, at), call.args[0].value)
            if method in ("view_as", "reshape_as") and call.args:
                return self.shape(call.args[0].value, at)
            if method == "to_numpy":
                return self._pandas(owner) or self.shape(owner, at)
            if method in SHAPE_PRESERVING_METHODS:
                return self.shape(owner, at)
        return self._module_output(call, at)

    def _torch_function(self, full: str, call: cst.Call, at: At) -> Shape:
        leaf = last(full)
        first = arg_value(call, 0, "input")
        if leaf in VECTOR_FACTORIES:
            return VECTOR
        if leaf in TENSOR_CONVERSIONS:
            data = arg_value(call, 0, "data")
            return VECTOR if _is_size(data) and leaf[:1].isupper() else self.shape(data, at)
        if leaf in SIZE_FACTORIES:
            position = SIZE_FACTORIES[leaf]
            if position is not None:
                return _dims(_tuple_items(arg_value(call, position, "size")))
            return _dims(_size_arguments(call) if keyword(call, "size") is None
                         else _tuple_items(keyword(call, "size")))
        if leaf == "unsqueeze" and len(call.args) == 2:
            return _unsqueezed(self.shape(first, at), arg_value(call, 1, "dim"))
        if leaf == "flatten" and len(call.args) == 1:
            return VECTOR
        if leaf in ELEMENTWISE_FUNCTIONS and len(call.args) == 1:
            return self.shape(first, at)
        return None

    def _pandas(self, selection: cst.BaseExpression) -> Shape:
        """`df["price"]`, `df.price`: one column, 1-D; `df[["price"]]`: a one-column table, (N, 1)."""
        if type(selection) is cst.Attribute:
            column = selection.attr.value not in DATAFRAME_TABLE_ATTRIBUTES
            return VECTOR if column and self._is_dataframe(selection.value) else None
        if not type(selection) is cst.Subscript or len(selection.slice) != 1 \
                or not type(selection.slice[0].slice) is cst.Index or not self._is_dataframe(selection.value):
            return None
        index = selection.slice[0].slice.value
        if type(index) is cst.SimpleString:
            return VECTOR
        if type(index) is cst.List and index.elements and all(type(e.value) is cst.SimpleString for e in index.elements):
            return COLUMN if len(index.elements) == 1 else MATRIX
        return None

    def _is_dataframe(self, table: cst.BaseExpression) -> bool:
        name = dotted(table)
        if name is None:
            return False
        built = self.view.constructor(name)
        return bool(DATAFRAME_NAMES.search(last(name))) or (
            built is not None and last(call_name(built)) in DATAFRAME_MAKERS)

    # ---- models --------------------------------------------------------------------------
    def _module_output(self, call: cst.Call, at: At) -> Shape:
        """The output of a module ending in `nn.Linear(k, 1)`: COLUMN on a batch, else ONE_OUT."""
        callee = call.func
        built = constructed(callee) if type(callee) is cst.Call else self.view.constructor(dotted(callee))
        if built is None or not self.ends_in_one_output(built) or len(call.args) != 1:
            return None
        given = self.shape(call.args[0].value, at)
        return COLUMN if given in (COLUMN, MATRIX, BATCHED) else ONE_OUT

    def ends_in_one_output(self, built: cst.Call) -> bool:
        leaf = last(call_name(built))
        if leaf == "Linear":
            return _is_one(arg_value(built, 1, "out_features"))
        if leaf == "Sequential":
            layers = [a for a in built.args if a.keyword is None]
            while layers and not layers[-1].star and type(layers[-1].value) is cst.Call \
                    and last(call_name(layers[-1].value)) in ELEMENTWISE_LAYERS:
                layers.pop()
            return bool(layers) and not layers[-1].star and type(layers[-1].value) is cst.Call \
                and self.ends_in_one_output(layers[-1].value)
        if leaf not in self._one_output:
            self._one_output[leaf] = False   # a forward that builds its own class
            self._one_output[leaf] = self._forward_ends_in_one_output(leaf)
        return self._one_output[leaf]

    def _forward_ends_in_one_output(self, cls: str) -> bool:
        forward = self._methods.get(cls, {}).get("forward")
        if forward is None or not self.view.is_module_class(cls):
            return False
        steps = self.view.facts.steps.get(id(forward), [])
        returns = [self.shape(step.value, at) in (ONE_OUT, COLUMN)
                   for step, at in self.flow(steps, forward) if isinstance(step, Return)]
        return bool(returns) and all(returns)

    # ---- batches -------------------------------------------------------------------------
    def batches(self, iterated: Optional[cst.BaseExpression], at: At,
                pattern: Optional[cst.BaseExpression] = None) -> Shape:
        """What each iteration over `iterated` gives: a batch of an in-file DataLoader (through
        enumerate() when the target is `i, batch`)."""
        if type(iterated) is cst.Call and last(call_name(iterated)) == "enumerate" and iterated.args \
                and type(pattern) in (cst.Tuple, cst.List) and len(pattern.elements) == 2:
            return (None, self.batches(iterated.args[0].value, at))
        loader = self.view.constructor(dotted(iterated)) if iterated is not None else None
        if loader is None or last(call_name(loader)) != "DataLoader" \
                or any(a.keyword is not None and a.keyword.value not in BATCH_SAFE_LOADER_ARGUMENTS for a in loader.args) \
                or len([a for a in loader.args if a.keyword is None]) > 3 \
                or _is_none(keyword(loader, "batch_size")):
            return None
        dataset = arg_value(loader, 0, "dataset")
        built = self.view.constructor(dotted(dataset)) if dataset is not None and dotted(dataset) else \
            dataset if type(dataset) is cst.Call else None
        if built is None or last(call_name(built)) not in TENSOR_DATASETS or any(a.keyword or a.star for a in built.args):
            return BATCHED
        return tuple(_batched(self.shape(a.value, at)) for a in built.args)


def _unpack(pattern: cst.BaseExpression, shape: Shape) -> Iterator[tuple[str, Shape]]:
    if type(pattern) in (cst.Tuple, cst.List):
        elements = pattern.elements
        if any(type(e) is cst.StarredElement for e in elements):
            return
        for index, element in enumerate(elements):
            yield from _unpack(element.value, _part(shape, index) if shape is not None else None)
        return
    name = dotted(pattern)
    if name is not None:
        yield name, shape


def _part(whole: Shape, index: int) -> Shape:
    if whole == BATCHED:
        return BATCHED
    if isinstance(whole, tuple) and -len(whole) <= index < len(whole):
        return whole[index]
    return None


def _batched(shape: Shape) -> Shape:
    """A batch of a TensorDataset's tensor: the batch dimension replaces the first one."""
    return shape if shape in (VECTOR, COLUMN, MATRIX) else BATCHED


def _elementwise(left: Shape, right: Shape, left_expr: cst.BaseExpression, right_expr: cst.BaseExpression) -> Shape:
    """`a + b`, `2 * x`, `x ** 2`: with a number, the tensor's shape; two equal shapes, that shape."""
    if type(left_expr) in (cst.Integer, cst.Float):
        return right if right in (VECTOR, COLUMN, ONE_OUT) else None
    if type(right_expr) in (cst.Integer, cst.Float):
        return left if left in (VECTOR, COLUMN, ONE_OUT) else None
    return left if left == right and left in (VECTOR, COLUMN) else None


def _unsqueezed(shape: Shape, dim: Optional[cst.BaseExpression]) -> Shape:
    value = _int(dim)
    if shape == VECTOR and value in (1, -1):
        return COLUMN
    if shape in (COLUMN, MATRIX) and value == -1:
        return COLUMN
    return None


def _size_arguments(call: cst.Call) -> Optional[list[cst.BaseExpression]]:
    """The sizes of `t.view(-1, 1)`, `t.view((-1, 1))`, `torch.zeros(n, 1)`."""
    positional = [a.value for a in call.args if a.keyword is None]
    if len(positional) != len(call.args) or not positional:
        return None
    if len(positional) == 1 and type(positional[0]) in (cst.Tuple, cst.List):
        return _tuple_items(positional[0])
    return positional


def _tuple_items(node: Optional[cst.BaseExpression]) -> Optional[list[cst.BaseExpression]]:
    if not type(node) in (cst.Tuple, cst.List) or any(type(e) is cst.StarredElement for e in node.elements):
        return None
    return [e.value for e in node.elements]


def _dims(sizes: Optional[list[cst.BaseExpression]]) -> Shape:
    """The shape a list of sizes gives; one size must surely be a number (`t.view(n)` with
    `n = x.shape` would be a whole shape)."""
    if not sizes:
        return None
    if len(sizes) == 1:   # (1,) broadcasts to any shape without harm
        return VECTOR if _is_size(sizes[0]) and not _is_one(sizes[0]) else None
    return COLUMN if _is_one(sizes[-1]) else MATRIX


def _is_size(node: Optional[cst.BaseExpression]) -> bool:
    """Surely one integer: a literal, len(...), x.size(0), x.shape[0], arithmetic over those."""
    if _int(node) is not None:
        return True
    if type(node) is cst.BinaryOperation:
        return _is_size(node.left) and _is_size(node.right)
    if type(node) is cst.Call:
        name = call_name(node) or ""
        return name == "len" or (name.endswith(".size") and len(node.args) == 1)
    return type(node) is cst.Subscript and type(node.value) is cst.Attribute \
        and node.value.attr.value == "shape" and len(node.slice) == 1


def _is_none(node: Optional[cst.BaseExpression]) -> bool:
    return type(node) is cst.Name and node.value == "None"


def _int(node: Optional[cst.BaseExpression]) -> Optional[int]:
    if type(node) is cst.Integer:
        return int(node.value.replace("_", ""), 0)
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus \
            and type(node.expression) is cst.Integer:
        return -int(node.expression.value.replace("_", ""), 0)
    return None


def _is_one(node: Optional[cst.BaseExpression]) -> bool:
    return _int(node) == 1
