"""What a file must be before libcst sees it, and the stack the analysis runs on.

libcst's native parser overflows the C stack (a segfault, not an exception) on deeply nested input
(2,000 nested parentheses, a 20,000-link `a.b.b…` chain, a 200,000-term `1+1+…` line), and its
parse time grows with the square of the nesting. Python's own parser is a hundred times faster and
fails cleanly, so it runs first: a syntax error or a nesting deeper than MAX_DEPTH becomes a
one-line reason and libcst never sees the file. Python's verdict on syntax is final: handing
rejected files to libcst (which is laxer, and reads some newer syntax) let the fuzzer through
with 2,000-link chains next to a syntax error (minutes of quadratic parsing) and invalid string
escapes (crashes in literal evaluation); check code with a Python that runs it. Valid, merely deep code (an 800-branch `elif`
chain, 500 `+` terms) needs more than the default stack and recursion limit; the analysis runs on
a thread with STACK_BYTES of stack (only the pages it touches are ever allocated).
"""
from __future__ import annotations

import ast
import sys
import threading
from typing import Callable, TypeVar

from loopcheck.files import UnreadableFile

MAX_DEPTH = 1000                # levels of the syntax tree; deeper code is reported, not analysed
STACK_BYTES = 512 << 20
RECURSION_LIMIT = 40_000        # Python frames; STACK_BYTES leaves over 12 KB of C stack for each

T = TypeVar("T")


def check_parseable(source: str, display: str) -> ast.Module:
    """Python's syntax tree of the file (for the pre-filter, loopcheck.prefilter); raises
    UnreadableFile, with a one-line reason, when the file must not reach libcst."""
    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if display.endswith(".ipynb") else 0)
    try:
        tree = compile(source, display, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:
        raise UnreadableFile(f"{display}:{error.lineno or 1}:{error.offset or 1}: syntax error: {error.msg}") from None
    except (RecursionError, MemoryError):
        raise _too_deep(display, None) from None
    except ValueError as error:    # null bytes
        raise UnreadableFile(f"{display}: cannot parse ({error})") from None
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise _too_deep(display, depth)
    return tree


def _too_deep(display: str, depth: "int | None") -> UnreadableFile:
    found = f"over {MAX_DEPTH} levels" if depth is not None else "deeper than Python itself can parse"
    return UnreadableFile(f"{display}: too deeply nested to analyse ({found}); not checked")


def _depth(tree: ast.AST) -> int:
    deepest = 0
    pending = [(tree, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                break
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def run_deep(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` on a thread with a large stack; its exception is re-raised here."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:   # handed to the caller, which decides
            outcome["error"] = error

    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    previous = threading.stack_size(STACK_BYTES)
    try:
        worker = threading.Thread(target=target, name="loopcheck-analysis", daemon=True)
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
