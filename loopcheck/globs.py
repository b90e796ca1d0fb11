"""Glob patterns as used by `exclude`, `per-file-ignores` and .gitignore files.

Semantics (gitignore-like, as ruff users expect): a pattern without a slash matches a file or
folder name at any depth (`build`, `*.ipynb`); a pattern with a slash is anchored at the folder
that defines it (`tests/data/*`, `/scripts`); `**` spans folders; a trailing `/` matches folders only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Pattern


@dataclass(frozen=True)
class Glob:
    regex: Pattern[str]
    anchored: bool
    dir_only: bool

    def matches(self, relative: str, is_dir: bool) -> bool:
        """`relative`: a path relative to the pattern's folder, with forward slashes."""
        if self.dir_only and not is_dir:
            return False
        if self.anchored:
            return bool(self.regex.fullmatch(relative))
        return bool(self.regex.fullmatch(relative.rsplit("/", 1)[-1]) or self.regex.fullmatch(relative))


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Glob:
    dir_only = pattern.endswith("/")
    body = pattern.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    if body.startswith("./"):
        body = body[2:]
    return Glob(re.compile(_translate(body)), anchored, dir_only)


def _translate(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = glob.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                inner = glob[i + 1:end].replace("\\", "\\\\")
                if inner.startswith("!"):
                    inner = "^" + inner[1:]
                out.append(f"[{inner}]")
                i = end
        elif char == "\\" and i + 1 < len(glob):
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def matches_any(relative: str, is_dir: bool, patterns: "tuple[str, ...] | list[str]") -> bool:
    return any(compile_glob(p).matches(relative, is_dir) for p in patterns)
