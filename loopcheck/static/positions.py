"""Where the nodes of a parsed file are, computed only when some node's position is asked for.

libcst computes positions by generating the code of the whole module again, which costs about
twice its parse; most files never need one (no event, no finding: about two thirds of the torch
source tree). Which nodes belong to the file is asked far more often (is a call into another
file?), and is answered by listing the tree's nodes, which costs a fraction of that.
"""
from __future__ import annotations

from typing import Iterator, Mapping, Optional

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from loopcheck.static.names import listed_children


class Positions(Mapping[cst.CSTNode, CodeRange]):
    """`PositionProvider`'s mapping of a tree that is never changed, resolved on first use."""

    def __init__(self, tree: cst.Module) -> None:
        self.tree = tree
        self._ranges: Optional[Mapping[cst.CSTNode, CodeRange]] = None
        self._nodes: Optional[set[cst.CSTNode]] = None

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        return self._resolved()[node]

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._resolved())

    def __len__(self) -> int:
        return len(self._resolved())

    def __contains__(self, node: object) -> bool:
        if self._ranges is not None:
            return node in self._ranges
        if self._nodes is None:
            self._nodes = nodes_of(self.tree)
        return node in self._nodes

    def _resolved(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._ranges is None:
            self._ranges = MetadataWrapper(self.tree, unsafe_skip_copy=True).resolve(PositionProvider)
            self._nodes = None
        return self._ranges


def nodes_of(tree: cst.CSTNode) -> set[cst.CSTNode]:
    """Every node of the tree: those `PositionProvider` gives a position."""
    found: set[cst.CSTNode] = set()
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        found.add(node)
        stack.extend(listed_children(node))
    return found
