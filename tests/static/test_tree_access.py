"""The analysis reads libcst trees its own cheaper ways: the same children, the same positions."""
from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

import loopcheck.static.names
from loopcheck.checker import check_file
from loopcheck.static.names import listed_children
from loopcheck.static.positions import Positions
from tests.markers import FIXTURES

# Fields libcst visits only when they are set (an f-string's format spec), first unset, then set.
VARIED = '''\
from . import (a, b as c)
from x import *
a = f"{x}" f"{x:>{width}}" f"{y!r:{w}.{p}}"
del a, b[1:2, ::3]
print(*args, sep="", **kw)
lambda *, k=1, **rest: k
async def g(x: int = 1, /, *a, b, **c) -> None:
    async with a as (b, c):
        await x
    return [i async for i in y if i]
'''


def all_nodes(tree: cst.CSTNode) -> list[cst.CSTNode]:
    """In the order of the source."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return found


@pytest.mark.parametrize("order", ["as written", "format spec first"])
def test_children_are_libcsts_in_the_same_order(monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    monkeypatch.setattr(loopcheck.static.names, "_VISITED_FIELDS", {})
    sources = [VARIED if order == "as written" else VARIED.replace('f"{x}" f"{x:>{width}}"', 'f"{x:>{width}}" f"{x}"')]
    sources += [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.py"))]
    for source in sources:
        for node in all_nodes(cst.parse_module(source)):
            expected = node.children
            listed = listed_children(node)
            assert len(listed) == len(expected) and all(a is b for a, b in zip(listed, expected)), type(node)
    learnt = loopcheck.static.names._VISITED_FIELDS[cst.FormattedStringExpression]
    assert (learnt is None) == (order == "as written")   # listed by libcst when learnt from an unset spec


def test_positions_are_libcsts_and_computed_only_when_asked() -> None:
    tree = cst.parse_module(VARIED)
    positions = Positions(tree)
    nodes = all_nodes(tree)
    assert all(node in positions for node in nodes) and cst.Name("a") not in positions
    assert positions._spans is None
    expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions) == dict(expected)


def test_a_file_without_findings_or_events_never_computes_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    resolved: list[Positions] = []
    real = Positions._resolved

    def counting(self: Positions) -> object:
        resolved.append(self)
        return real(self)

    monkeypatch.setattr(Positions, "_resolved", counting)
    source = "def evaluate(values, device):\n    return [v.to(device) + 1 for v in values]\n"
    assert check_file(source, "helpers.py") == ([], [])
    assert resolved == []
    check_file("for x in loader:\n    loss = model(x)\n    loss.backward()\n", "train.py")
    assert resolved


class _Recording(cst.CSTVisitor):
    """Records every visit, leave and attribute hook that the shared tape serves."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []


for _code in loopcheck.static.names.TAPE_CODES:
    setattr(_Recording, _code, (lambda code: lambda self, node: self.log.append((code, id(node))))(_code))


def test_one_walk_serves_every_visitor_as_a_walk_of_its_own() -> None:
    """`visit` reads the module's tape (one walk for the symbol, call and pattern passes; a
    function's or class's part of it for a visit of that node): the same calls in the same order
    as a recursive walk of the listed children, which skips no node."""
    names = loopcheck.static.names
    hooks = names._attribute_hooks(_Recording)
    sources = [VARIED] + [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.py"))]
    try:
        for source in sources:
            module = cst.parse_module(source)
            walked, read = _Recording(), _Recording()
            names._visit(module, walked, hooks, {})
            names.visit(module, read)
            assert read.log == walked.log
            by_id = {id(n): n for n in all_nodes(module)}
            starts: dict[int, int] = {}
            for index, (code, node) in enumerate(walked.log):   # a function or a class: its part of the walk
                if code in ("visit_FunctionDef", "visit_ClassDef"):
                    starts[node] = index
                elif code in ("leave_FunctionDef", "leave_ClassDef"):
                    read = _Recording()
                    names.visit(by_id[node], read)
                    assert read.log == walked.log[starts[node]:index + 1]
            names.forget_children()
    finally:
        names.forget_children()
