"""Configuration files: `[tool.loopcheck]` in pyproject.toml, or top-level keys in loopcheck.toml.

The nearest configuration above a checked file applies to it (loopcheck.toml beats pyproject.toml
in the same folder; a pyproject.toml without `[tool.loopcheck]` is skipped). Every problem becomes a
`ConfigError` whose message is one line naming the file and the key, never a traceback.
"""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

from loopcheck.catalogue import BY_CODE, is_known_selector

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib

CONFIG_NAMES = ("loopcheck.toml", "pyproject.toml")
KEYS = ("select", "ignore", "per-file-ignores", "exclude", "extend-exclude")


class ConfigError(Exception):
    """A configuration problem; `str()` is the one-line message for the user."""


@dataclass(frozen=True)
class Config:
    """One configuration file's settings. Globs are relative to `root`, the file's folder."""

    root: Path
    source: Optional[Path] = None
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: Optional[tuple[str, ...]] = None
    extend_exclude: tuple[str, ...] = field(default=())


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest configuration file in `start` or a folder above it."""
    return _find_in(start.resolve())


@lru_cache(maxsize=None)
def _find_in(folder: Path) -> Optional[Path]:
    # Cached per folder: walking thousands of files asks the same folders again and again.
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None if folder.parent == folder else _find_in(folder.parent)


def _has_tool_table(pyproject: Path) -> bool:
    # A cheap text test first: most pyproject.toml files have no loopcheck section at all.
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "loopcheck" not in text:
        return False
    data = _parse(pyproject, text)
    return isinstance(data.get("tool"), dict) and "loopcheck" in data["tool"]


def load_config(path: Path) -> Config:
    """Read and validate one configuration file (loopcheck.toml or pyproject.toml)."""
    path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration ({error})") from None
    data = _parse(path, text)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("loopcheck", {}) if isinstance(tool, dict) else {}
        prefix = "[tool.loopcheck] "
    else:
        table, prefix = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix or 'configuration '}must be a table")
    return _validate(table, path, prefix)


@lru_cache(maxsize=None)
def load_config_cached(path: Path) -> Config:
    return load_config(path)


def config_for(folder: Path) -> Config:
    """The configuration that applies to files in `folder` (defaults when there is none)."""
    found = find_config_file(folder)
    return load_config_cached(found) if found else Config(root=Path.cwd())


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def _validate(table: dict[str, Any], path: Path, prefix: str) -> Config:
    for key in table:
        if key not in KEYS:
            hint = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{path}: {prefix}unknown key {key!r}{suggestion}")

    def where(key: str) -> str:
        return f"{path}: {prefix}{key}"

    per_file: list[tuple[str, tuple[str, ...]]] = []
    raw_per_file = table.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise ConfigError(f"{where('per-file-ignores')}: must be a table of glob = [codes]")
    for glob, codes in raw_per_file.items():
        per_file.append((glob, _codes(codes, f"{where('per-file-ignores')}.{glob!r}")))

    return Config(
        root=path.parent,
        source=path,
        select=_codes(table["select"], where("select")) if "select" in table else None,
        ignore=_codes(table["ignore"], where("ignore")) if "ignore" in table else None,
        per_file_ignores=tuple(per_file),
        exclude=_strings(table["exclude"], where("exclude")) if "exclude" in table else None,
        extend_exclude=_strings(table.get("extend-exclude", []), where("extend-exclude")),
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def _codes(value: Any, where: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in _strings(value, where))
    for code in codes:
        check_code(code, lambda message: ConfigError(f"{where}: {message}"))
    return codes


def check_code(code: str, error: Callable[[str], Exception]) -> None:
    """Raise `error(message)` for a selector that matches no rule, suggesting the nearest code."""
    if not is_known_selector(code):
        hint = difflib.get_close_matches(code, list(BY_CODE), n=1, cutoff=0.5)
        suggestion = f" (did you mean {hint[0]}?)" if hint else " (see `loopcheck rules`)"
        raise error(f"unknown rule code {code!r}{suggestion}")
