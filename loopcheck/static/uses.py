"""How a scope uses its names: which are read for more than their shape (LC201 shape checks)."""
from __future__ import annotations

import libcst as cst

from loopcheck.static.idioms import SHAPE_ATTRIBUTES, SHAPE_FUNCTIONS
from loopcheck.static.names import nodes_in


def read_beyond_shape(scope: cst.CSTNode) -> frozenset[str]:
    """The names that `scope` (nested functions included) reads other than through their
    shape (`out.shape`, `out.size(1)`, `len(out)`); assigning a name is no read."""
    skipped: set[int] = set()   # Name nodes that are no read of a value, or only a shape read
    names: list[cst.Name] = []
    for node in nodes_in(scope, into_functions=True):
        kind = type(node)
        if kind is cst.Name:
            names.append(node)
        elif kind is cst.Attribute:
            skipped.add(id(node.attr))
            if type(node.value) is cst.Name and node.attr.value in SHAPE_ATTRIBUTES:
                skipped.add(id(node.value))
        elif kind is cst.Call:
            if type(node.func) is cst.Name and node.func.value in SHAPE_FUNCTIONS and len(node.args) == 1 \
                    and type(node.args[0].value) is cst.Name:
                skipped.add(id(node.args[0].value))
        elif kind is cst.Arg and node.keyword is not None:
            skipped.add(id(node.keyword))
        elif kind is cst.Assign:
            for target in node.targets:
                skipped.update(id(n) for n in _target_names(target.target))
        elif kind is cst.AnnAssign:
            skipped.update(id(n) for n in _target_names(node.target))
        elif kind is cst.For:
            skipped.update(id(n) for n in _target_names(node.target))
    return frozenset(n.value for n in names if id(n) not in skipped)


def _target_names(target: cst.BaseExpression) -> list[cst.Name]:
    if type(target) is cst.Name:
        return [target]
    if type(target) in (cst.Tuple, cst.List):
        return [n for e in target.elements for n in _target_names(e.value)]
    if type(target) is cst.StarredElement:
        return _target_names(target.value)
    return []
