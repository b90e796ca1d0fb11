"""Glob patterns as used by `exclude`, `per-file-ignores` and .gitignore files.

Semantics (gitignore-like, as ruff users expect): a pattern without a slash matches a file or
folder name at any depth (`build`, `*.ipynb`); a pattern with a slash is anchored at the folder
that defines it (`tests/data/*`, `/scripts`); `**` spans folders; a trailing `/` matches folders only.

Matching runs in time linear in the name (times the pattern's length), whatever the pattern: a
repository's .gitignore is untrusted input, and a backtracking regex turns `*a*a*a*a*a*a*b` into
hours. The pattern becomes a small automaton whose set of live states is one integer, advanced
one character at a time (the bit-parallel "shift-and" method).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

CharTest = Callable[[str], bool]


class GlobError(ValueError):
    """An invalid pattern; `str()` is a one-line reason."""


def _any_char(char: str) -> bool:
    return True


def _no_char(char: str) -> bool:
    return False


def _not_slash(char: str) -> bool:
    return char != "/"


@dataclass
class _Automaton:
    """Position i of `steps` consumes one character: it moves on to i+1 (`loops[i]` False) or stays
    at i (`loops[i]` True, a star, which may also be skipped). `jumps` are extra skips (i -> j)."""

    steps: list[CharTest] = field(default_factory=list)
    loops: list[bool] = field(default_factory=list)
    jumps: list[tuple[int, int]] = field(default_factory=list)
    skippable: int = 0              # the stars, as a bit mask
    _masks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, test: CharTest, loop: bool = False) -> None:
        if loop:
            self.skippable |= 1 << len(self.steps)
        self.steps.append(test)
        self.loops.append(loop)

    def matches(self, text: str) -> bool:
        states = self._closure(1)
        for char in text:
            masks = self._masks.get(char)
            if masks is None:
                masks = self._masks[char] = self._char_masks(char)
            advance, stay = masks
            states = self._closure(((states & advance) << 1) | (states & stay))
            if not states:
                return False
        return bool(states >> len(self.steps) & 1)

    def _char_masks(self, char: str) -> tuple[int, int]:
        advance = stay = 0
        for i, (test, loop) in enumerate(zip(self.steps, self.loops)):
            if test(char):
                if loop:
                    stay |= 1 << i
                else:
                    advance |= 1 << i
        return advance, stay

    def _closure(self, states: int) -> int:
        while True:
            grown = states | ((states & self.skippable) << 1)
            for start, end in self.jumps:
                if grown >> start & 1:
                    grown |= 1 << end
            if grown == states:
                return states
            states = grown


@dataclass(frozen=True)
class Glob:
    pattern: str
    anchored: bool
    dir_only: bool
    literal: "str | None"          # the pattern has no wildcard: plain comparison
    suffix: "str | None"           # `*.ext`-like: a name that ends with `suffix` (no slash)
    automaton: _Automaton

    def matches(self, relative: str, is_dir: bool) -> bool:
        """`relative`: a path relative to the pattern's folder, with forward slashes."""
        if self.dir_only and not is_dir:
            return False
        if self.anchored:
            return self._full(relative)
        return self._full(relative.rsplit("/", 1)[-1]) or self._full(relative)

    def _full(self, text: str) -> bool:
        if self.literal is not None:
            return text == self.literal
        if self.suffix is not None:
            return text.endswith(self.suffix) and "/" not in text
        return self.automaton.matches(text)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Glob:
    """Raises GlobError for an invalid pattern (`[z-a]`, `[]`)."""
    dir_only = pattern.endswith("/")
    body = pattern.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    if body.startswith("./"):
        body = body[2:]
    automaton = _compile(body, pattern)
    wild = any(char in body for char in "*?[\\")
    suffix = body[1:] if body.startswith("*") and not any(c in body[1:] for c in "*?[\\/") else None
    return Glob(pattern, anchored, dir_only, None if wild else body, suffix, automaton)


def check_glob(pattern: str) -> None:
    """Raise GlobError when `pattern` is invalid."""
    compile_glob(pattern)


def _compile(glob: str, pattern: str) -> _Automaton:
    automaton = _Automaton()
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):          # zero or more whole folders
            entry = len(automaton.steps)     # consumes nothing: either skip it all or enter the loop
            automaton.add(_no_char)
            automaton.add(_any_char, loop=True)
            automaton.add(_equals("/"))
            automaton.jumps += [(entry, entry + 1), (entry, entry + 3)]
            i += 3
            continue
        if glob.startswith("**", i):
            automaton.add(_any_char, loop=True)
            i += 2
            continue
        if char == "*":
            automaton.add(_not_slash, loop=True)
        elif char == "?":
            automaton.add(_not_slash)
        elif char == "[" and glob.find("]", i + 1) != -1:
            end = glob.find("]", i + 1)
            automaton.add(_char_class(glob[i + 1:end], pattern))
            i = end
        elif char == "\\" and i + 1 < len(glob):
            i += 1
            automaton.add(_equals(glob[i]))
        else:
            automaton.add(_equals(char))
        i += 1
    return automaton


def _equals(expected: str) -> CharTest:
    return lambda char: char == expected


def _char_class(inner: str, pattern: str) -> CharTest:
    negated = inner[:1] in ("!", "^")
    if negated:
        inner = inner[1:]
    if not inner:
        raise GlobError(f"invalid glob {pattern!r}: empty character class []")
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    i = 0
    while i < len(inner):
        if inner[i] == "\\" and i + 1 < len(inner):
            i += 1
        if i + 2 < len(inner) and inner[i + 1] == "-":
            low, high = inner[i], inner[i + 2]
            if low > high:
                raise GlobError(f"invalid glob {pattern!r}: reversed range {low}-{high}")
            ranges.append((low, high))
            i += 3
            continue
        singles.add(inner[i])
        i += 1

    def test(char: str) -> bool:
        member = char in singles or any(low <= char <= high for low, high in ranges)
        return member != negated and char != "/"

    return test


def matches_any(relative: str, is_dir: bool, patterns: "tuple[str, ...] | list[str]") -> bool:
    return any(compile_glob(p).matches(relative, is_dir) for p in patterns)
