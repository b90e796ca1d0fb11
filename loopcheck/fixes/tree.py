"""The libcst tree a fix edits: find nodes by a finding's position, walk up, splice statements.

Every edit replaces nodes by identity (`deep_replace`), so everything a fix does not touch —
formatting, comments, blank lines — is reproduced byte for byte.
"""
from __future__ import annotations

from typing import Iterator, Optional, Sequence, TypeVar, Union

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

N = TypeVar("N", bound=cst.CSTNode)
Block = Union[cst.IndentedBlock, cst.Module]
Loop = (cst.For, cst.While)
Scope = (cst.FunctionDef, cst.Module)


class Tree:
    def __init__(self, source: str) -> None:
        self.wrapper = MetadataWrapper(cst.parse_module(source))
        self.module = self.wrapper.module
        self.positions = self.wrapper.resolve(PositionProvider)
        self.parents = self.wrapper.resolve(ParentNodeProvider)

    # -- finding nodes --------------------------------------------------------------------------
    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node).strip()

    def range(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def statement_at(self, line: int) -> Optional[cst.BaseStatement]:
        """The innermost statement that covers `line`."""
        best: Optional[cst.BaseStatement] = None
        for node, where in self.positions.items():
            if isinstance(node, cst.BaseStatement) and where.start.line <= line <= where.end.line:
                if best is None or _span(where) < _span(self.positions[best]):
                    best = node
        return best

    def call_at(self, line: int, column: int) -> Optional[cst.Call]:
        """The call that starts at (line, column) — 1-based, as in findings — or the first call on
        that line (analysers may point at the receiver or at the statement)."""
        calls = [(where.start.line, where.start.column, node) for node, where in self.positions.items()
                 if isinstance(node, cst.Call) and where.start.line == line]
        exact = [c for c in calls if c[1] == column - 1]
        # Otherwise the leftmost, outermost call: `criterion(model(x), y)` -> criterion(...).
        pick = exact or sorted(calls, key=lambda c: (c[1], tuple(-v for v in _span(self.positions[c[2]]))))
        return pick[0][2] if pick else None

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        while node in self.parents:
            node = self.parents[node]
            yield node

    def scope_of(self, node: cst.CSTNode) -> Union[cst.FunctionDef, cst.Module]:
        return next((a for a in self.ancestors(node) if isinstance(a, Scope)), self.module)

    def loops_around(self, node: cst.CSTNode) -> list[Union[cst.For, cst.While]]:
        """Enclosing loops inside the node's own function, outermost first."""
        loops = []
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, Scope):
                break
            if isinstance(ancestor, Loop):
                loops.append(ancestor)
        return list(reversed(loops))

    def block_of(self, statement: cst.BaseStatement) -> Optional[Block]:
        parent = self.parents.get(statement)
        return parent if isinstance(parent, (cst.IndentedBlock, cst.Module)) else None

    def top_statement_in(self, block: Block, node: cst.CSTNode) -> Optional[cst.BaseStatement]:
        """The statement of `block` that contains `node`."""
        chain = [node, *self.ancestors(node)]
        return next((s for s in block.body if any(s is c for c in chain)), None)


def _span(where: CodeRange) -> tuple[int, int]:
    return (where.end.line - where.start.line, where.end.column - where.start.column if
            where.end.line == where.start.line else 10**6)


def walk(node: cst.CSTNode, kind: "type[N]") -> Iterator[N]:
    """Every node of `kind` below `node` (inclusive)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            yield current
        stack.extend(reversed(current.children))


def method_calls(node: cst.CSTNode, names: Sequence[str]) -> Iterator[cst.Call]:
    """Calls `x.<name>(...)` (and bare `<name>(...)`) below `node`."""
    for call in walk(node, cst.Call):
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in names:
            yield call
        elif isinstance(func, cst.Name) and func.value in names:
            yield call


def receiver(call: cst.Call) -> Optional[cst.BaseExpression]:
    return call.func.value if isinstance(call.func, cst.Attribute) else None


def body_start(block: Block) -> int:
    """Index after a docstring (and `from __future__` imports in a module)."""
    index = 0
    body = list(block.body)
    if body and _is_docstring(body[0]):
        index = 1
    if isinstance(block, cst.Module):
        while index < len(body) and isinstance(body[index], cst.SimpleStatementLine) and any(
                isinstance(s, cst.ImportFrom) and isinstance(s.module, cst.Name) and s.module.value == "__future__"
                for s in body[index].body):
            index += 1
    return index


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def is_call_statement(statement: cst.CSTNode, receiver_code: str, method: str, tree: Tree) -> bool:
    """`statement` is exactly `<receiver_code>.<method>(...)`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
        return False
    func = expr.value.func
    return isinstance(func, cst.Attribute) and func.attr.value == method and tree.code(func.value) == receiver_code


def statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code.rstrip("\n") + "\n")


def with_body(block: Block, body: Sequence[cst.BaseStatement]) -> Block:
    return block.with_changes(body=tuple(body))


def insert(tree: Tree, block: Block, index: int, new: cst.BaseStatement) -> cst.Module:
    """The module with `new` inserted in `block` at `index`.

    Blank lines above the displaced statement move above the new one (the new line joins that
    statement's paragraph); comments stay with the statement they describe."""
    body = list(block.body)
    if index < len(body):
        following = body[index]
        lines = list(following.leading_lines)
        blank = 0
        while blank < len(lines) and lines[blank].comment is None:
            blank += 1
        new = new.with_changes(leading_lines=tuple(lines[:blank]))
        body[index] = following.with_changes(leading_lines=tuple(lines[blank:]))
    body.insert(index, new)
    return replace(tree, block, with_body(block, body))


def replace(tree: Tree, old: cst.CSTNode, new: cst.CSTNode) -> cst.Module:
    if old is tree.module:
        assert isinstance(new, cst.Module)
        return new
    return tree.module.deep_replace(old, new)  # type: ignore[return-value]
