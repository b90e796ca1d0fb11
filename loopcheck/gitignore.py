"""A small .gitignore reader, so that walking a folder skips what git ignores without running git.

Parsing the files ourselves keeps discovery fast (no subprocess per path) and works outside a git
checkout (an unpacked sdist still has its .gitignore). Supported: comments, blank lines, `!`
negation, trailing `/`, anchoring by a slash, `*`, `?`, `[...]`, `**`; the last matching rule wins,
as in git. Not supported: the user's global excludes file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from loopcheck.globs import Glob, GlobError, compile_glob


@dataclass(frozen=True)
class _Rule:
    base: Path
    glob: Glob
    negated: bool


@dataclass(frozen=True)
class IgnoreRules:
    rules: tuple[_Rule, ...] = ()

    def with_file(self, ignore_file: Path, base: Optional[Path] = None,
                  problems: Optional[list[str]] = None) -> "IgnoreRules":
        """These rules plus those of `ignore_file` (patterns relative to `base`, default its folder).

        An invalid pattern (`[z-a]`) matches nothing, as in git, and is appended to `problems` as a
        one-line message."""
        try:
            text = ignore_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self
        base = (base or ignore_file.parent).resolve()   # matched against absolute paths
        added = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.rstrip()
            if line.endswith("\\"):  # a trailing escaped space is kept by git
                line = raw
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            if line.startswith("\\"):  # `\#file`, `\!file`
                line = line[1:]
            try:
                added.append(_Rule(base, compile_glob(line), negated))
            except GlobError as error:
                if problems is not None:
                    problems.append(f"{ignore_file}:{number}: {error}; line ignored")
        return IgnoreRules(self.rules + tuple(added)) if added else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        result = False
        for rule in self.rules:
            try:
                relative = path.relative_to(rule.base).as_posix()
            except ValueError:
                continue
            if relative != "." and rule.glob.matches(relative, is_dir):
                result = not rule.negated
        return result


def repo_root(start: Path) -> Optional[Path]:
    """The nearest folder at or above `start` that holds a `.git` (folder or worktree file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def rules_above(folder: Path, problems: Optional[list[str]] = None) -> IgnoreRules:
    """The .gitignore rules that apply to `folder` from its ancestors up to the repository root.

    Outside a repository only `folder`'s own .gitignore counts: an unrelated .gitignore in a home
    directory must not hide a project's files.
    """
    folder = folder.resolve()
    root = repo_root(folder)
    chain = [folder]
    if root is not None:
        parts = folder.relative_to(root).parts
        chain = [root.joinpath(*parts[:i]) for i in range(len(parts) + 1)]
    rules = IgnoreRules()
    if root is not None:
        rules = rules.with_file(root / ".git" / "info" / "exclude", base=root, problems=problems)
    for part in chain:
        rules = rules.with_file(part / ".gitignore", problems=problems)
    return rules
