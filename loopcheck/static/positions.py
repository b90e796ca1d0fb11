"""Where the nodes of a parsed file are, computed only when some node's position is asked for.

The positions are libcst's `PositionProvider`'s, exactly (tests/static/test_positions.py
compares them for every node), computed for a fraction of its cost:

- libcst generates the code of the whole module again, and its code generation state splits
  every token on newlines with a regular expression and makes two `CodePosition`s per node;
  `_RecordingState` only notes, per node, how many tokens had been written when it started and
  ended (the same code generation, so the same nodes and the same syntactic spans), and the
  token counts become lines and columns only for the nodes asked for, through the offsets of
  the line breaks of the generated code;
- `MetadataWrapper.resolve` also walks the whole tree with an (empty) batch of visitors, which
  costs half as much again: the provider's work is done here without a wrapper.

Most files never need a position (no event, no finding: about two thirds of the torch source
tree). Which nodes belong to the file is asked far more often (is a call into another file?), and
is answered by listing the tree's nodes, which costs a fraction of the code generation.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any, Iterator, Mapping, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

from loopcheck.static.names import listed_children

# What libcst's position state counts as a line break (libcst.metadata.position_provider.NEWLINE_RE).
_LINE_BREAK = re.compile(r"\r\n?|\n")


class Positions(Mapping[cst.CSTNode, CodeRange]):
    """`PositionProvider`'s mapping of a tree that is never changed, resolved on first use."""

    def __init__(self, tree: cst.Module) -> None:
        self.tree = tree
        self._spans: Optional[dict[cst.CSTNode, tuple[int, int]]] = None   # node -> token counts
        self._ranges: dict[cst.CSTNode, CodeRange] = {}
        self._nodes: Optional[set[cst.CSTNode]] = None
        self._token_ends: list[int] = []    # token count -> offset in the generated code
        self._line_starts: list[int] = []   # offsets where lines 1, 2, ... start

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        found = self._ranges.get(node)
        if found is None:
            start, end = self._resolved()[node]
            found = self._ranges[node] = CodeRange(self._position(start), self._position(end))
        return found

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._resolved())

    def __len__(self) -> int:
        return len(self._resolved())

    def __contains__(self, node: object) -> bool:
        if self._spans is not None:
            return node in self._spans
        if self._nodes is None:
            self._nodes = nodes_of(self.tree)
        return node in self._nodes

    def _resolved(self) -> dict[cst.CSTNode, tuple[int, int]]:
        if self._spans is None:
            state = _RecordingState(self.tree.default_indent, self.tree.default_newline)
            self.tree._codegen(state)
            tokens = state.tokens
            self._token_ends = list(accumulate(map(len, tokens), initial=0))
            self._line_starts = _line_starts("".join(tokens), self._token_ends)
            self._spans = state.spans
            self._nodes = None
        return self._spans

    def _position(self, tokens: int) -> CodePosition:
        offset = self._token_ends[tokens]
        line = bisect_right(self._line_starts, offset)
        return CodePosition(line, offset - self._line_starts[line - 1])


def _line_starts(code: str, token_ends: list[int]) -> list[int]:
    """The offsets at which libcst's position state starts a new line. It finds the line breaks
    of each token apart, so a carriage return ending one token and a line feed starting the next
    are two line breaks there (never seen in parsed code, but exact costs nothing)."""
    starts = [0]
    if "\r" not in code:
        starts.extend(match.end() for match in re.finditer("\n", code))
        return starts
    boundaries = set(token_ends)
    for match in _LINE_BREAK.finditer(code):
        split = match.start() + 1
        if match.end() - match.start() == 2 and split in boundaries:
            starts.append(split)
        starts.append(match.end())
    return starts


class _RecordingState(CodegenState):
    """libcst's code generation, noting for each node the number of tokens written when it starts
    and when it ends, with `PositionProvidingCodegenState`'s rules: a node's syntactic span (its
    `record_syntactic_position`, which may borrow the start or the end of a child's) wins over the
    whole span of its code generation, and the first span noted for a node stays."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent, default_newline)
        self.spans: dict[cst.CSTNode, tuple[int, int]] = {}
        self.starts: list[int] = []

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append(len(self.tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.starts.pop()
        if node not in self.spans:
            self.spans[node] = (start, len(self.tokens))

    def pop_trailing_newline(self) -> None:
        # libcst's position state drops the module's last newline from the code but not from the
        # positions (the module ends on the line after its last one): the token stays.
        pass

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: Optional[cst.CSTNode] = None,
                                  end_node: Optional[cst.CSTNode] = None) -> "_Syntactic":
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _RecordingState, node: cst.CSTNode, start_node: Optional[cst.CSTNode],
                 end_node: Optional[cst.CSTNode]) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        self.start = len(self.state.tokens)

    def __exit__(self, *exc_info: Any) -> None:
        spans = self.state.spans
        start = spans[self.start_node][0] if self.start_node is not None else self.start
        end = spans[self.end_node][1] if self.end_node is not None else len(self.state.tokens)
        spans[self.node] = (start, end)


def nodes_of(tree: cst.CSTNode) -> set[cst.CSTNode]:
    """Every node of the tree: those `PositionProvider` gives a position."""
    found: set[cst.CSTNode] = set()
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        found.add(node)
        stack.extend(listed_children(node))
    return found
