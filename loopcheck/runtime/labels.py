"""Human names for watched objects: `optimizer`, `netG`, `self.model`.

Events identify objects by opaque tokens (`model:1`); messages should use the name the
user wrote. The name is read from the *source* of the call that touched the object: the
receiver of `optimizer.step()`, the callee of `model(x)`, the target of
`optimizer = torch.optim.SGD(...)`, the arguments of `watch(model, optimizer)`.

Frame locals are deliberately not inspected: on Python < 3.13 reading `frame.f_locals`
of a function stores a snapshot dict in the frame that keeps every local (tensors, the
autograd graph) alive until the function returns.
"""
from __future__ import annotations

import ast
import linecache
import re
from typing import Optional

from loopcheck.findings import Location

_MAX_TRIES = 8
_ASSIGN = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(?::[^=]*)?=(?!=)")
_cache: dict[tuple[Location, str], Optional[object]] = {}


def _segment(loc: Location) -> Optional[str]:
    if loc.line <= 0 or loc.end_line is None or loc.end_column is None:
        return None
    lines = linecache.getlines(loc.path) or linecache.getlines(loc.path.lstrip("./"))
    if not lines or loc.end_line > len(lines):
        return None
    chunk = lines[loc.line - 1:loc.end_line]
    if len(chunk) == 1:
        return chunk[0][loc.column - 1:loc.end_column - 1]
    chunk[-1] = chunk[-1][:loc.end_column - 1]
    chunk[0] = chunk[0][loc.column - 1:]
    return "".join(chunk)


def _call(loc: Location) -> Optional[ast.Call]:
    text = _segment(loc)
    if not text:
        return None
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    return node if isinstance(node, ast.Call) else None


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _call_parts(call: ast.Call, text: str) -> tuple:
    """(positional argument texts, {keyword: text}, texts of the `**mapping` arguments).
    A positional entry is None from the first `*args` on (positions are unknown there)."""
    def shown(node: ast.AST) -> Optional[str]:
        segment = ast.get_source_segment(text, node)
        return " ".join(segment.split()) if segment and len(segment) <= 80 else None

    positional: list[Optional[str]] = []
    starred = False
    for arg in call.args:
        starred = starred or isinstance(arg, ast.Starred)
        positional.append(None if starred else shown(arg))
    keywords = {k.arg: shown(k.value) for k in call.keywords if k.arg is not None}
    mappings = tuple(shown(k.value) for k in call.keywords if k.arg is None)
    return tuple(positional), keywords, mappings


def from_source(loc: Location, role: str) -> Optional[object]:
    """role: "receiver" (x of x.m()), "callee" (x of x()), "assign" (x of x = ...),
    "args" (a tuple of the positional argument names of the call), "call_parts" (the
    argument expressions as written, see _call_parts)."""
    key = (loc, role)
    if key in _cache:
        return _cache[key]
    result: Optional[object] = None
    try:
        if role == "assign":
            line = linecache.getline(loc.path, loc.line)
            match = _ASSIGN.match(line)
            result = match.group(1) if match else None
        else:
            call = _call(loc)
            if call is not None:
                if role == "receiver" and isinstance(call.func, ast.Attribute):
                    result = _dotted(call.func.value)
                elif role == "callee":
                    result = _dotted(call.func)
                elif role == "args":
                    result = tuple(_dotted(arg) for arg in call.args)
                elif role == "call_parts":  # the argument expressions as written (device audit)
                    result = _call_parts(call, _segment(loc).strip())  # type: ignore[union-attr]
                elif role == "args_nested":  # watch(model, [opt_g, opt_d]) and keywords
                    def names(node: ast.AST) -> object:
                        if isinstance(node, (ast.List, ast.Tuple)):
                            return tuple(_dotted(e) for e in node.elts)
                        return _dotted(node)
                    positional = [names(arg) for arg in call.args]
                    keywords = {k.arg: names(k.value) for k in call.keywords}
                    while len(positional) < 2:
                        positional.append(None)
                    result = (keywords.get("models", positional[0]), keywords.get("optimizers", positional[1]))
    except Exception:  # unreadable source (a notebook cell, a zip import): fall back
        result = None
    _cache[key] = result
    return result


class Labels:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}    # token -> "model" / "optimizer" / ...
        self.types: dict[str, str] = {}    # token -> class name
        self._tries: dict[str, int] = {}

    def register(self, token: str, kind: str, obj: object, name: Optional[str] = None) -> None:
        self.kinds[token] = kind
        self.types[token] = type(obj).__name__
        self._tries[token] = 0
        if name:
            self.names[token] = name

    def wants(self, token: str) -> bool:
        return token not in self.names and self._tries.get(token, _MAX_TRIES) < _MAX_TRIES

    def offer(self, token: str, loc: Location, role: str) -> None:
        """Take the name from the source at `loc` (called until one is found)."""
        if not self.wants(token):
            return
        self._tries[token] += 1
        name = from_source(loc, role)
        if role == "callee" and isinstance(name, str) and name.rsplit(".", 1)[-1] == "functional_call":
            written = from_source(loc, "args")  # torch.func.functional_call(model, params, ...)
            name = written[0] if written else None
        if isinstance(name, str) and name not in ("self", "super"):
            self.names[token] = name

    def resolve(self) -> dict[str, str]:
        """token -> unique display name (a fallback such as `optimizer#2` when unknown)."""
        out: dict[str, str] = {}
        used: dict[str, int] = {}
        for token, kind in self.kinds.items():
            base = self.names.get(token) or kind
            used[base] = used.get(base, 0) + 1
            out[token] = base if used[base] == 1 else f"{base}#{used[base]}"
        return out
