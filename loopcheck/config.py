"""Configuration files: `[tool.loopcheck]` in pyproject.toml, or top-level keys in loopcheck.toml.

The nearest configuration above a checked file applies to it (loopcheck.toml beats pyproject.toml
in the same folder; a pyproject.toml without `[tool.loopcheck]` is skipped). Every problem becomes a
`ConfigError` whose message is one line naming the file and the key, never a traceback.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from loopcheck.catalogue import BY_CODE, is_known_selector

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


def find_config_file(start: Path, cache: Optional[dict[Path, Optional[Path]]] = None) -> Optional[Path]:
    """The nearest configuration file in `start` or a folder above it.

    `cache` (folder -> answer) is shared by one run: walking thousands of files asks about the same
    folders again and again. It is per run, not global, so a long-lived process sees edits."""
    cache = {} if cache is None else cache
    folder = start.resolve()
    visited = []
    found: Optional[Path] = None
    while True:
        if folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        found = next((folder / name for name in CONFIG_NAMES if _is_config(folder / name)), None)
        if found is not None or folder.parent == folder:
            break
        folder = folder.parent
    for seen in visited:
        cache[seen] = found
    return found


def _is_config(candidate: Path) -> bool:
    if not candidate.is_file():
        return False
    return candidate.name != "pyproject.toml" or _has_tool_table(candidate)


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
        raise ConfigError(f"{shown(path)}: cannot read configuration ({error})") from None
    data = _parse(path, text)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("loopcheck", {}) if isinstance(tool, dict) else {}
        prefix = "[tool.loopcheck] "
    else:
        table, prefix = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{shown(path)}: {prefix or 'configuration '}must be a table")
    return _validate(table, path, prefix)


def _parse(path: Path, text: str) -> dict[str, Any]:
    # Imported here, as are difflib and the globs below: most runs have no configuration to read.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown(path)}: invalid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{shown(path)}: invalid TOML: nested too deeply") from None


def _validate(table: dict[str, Any], path: Path, prefix: str) -> Config:
    for key in table:
        if key not in KEYS:
            import difflib

            hint = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{shown(path)}: {prefix}unknown key {key!r}{suggestion}")

    def where(key: str) -> str:
        return f"{shown(path)}: {prefix}{key}"

    per_file: list[tuple[str, tuple[str, ...]]] = []
    raw_per_file = table.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise ConfigError(f"{where('per-file-ignores')}: must be a table of glob = [codes]")
    for glob, codes in raw_per_file.items():
        _globs([glob], where("per-file-ignores"))
        per_file.append((glob, _codes(codes, f"{where('per-file-ignores')}.{glob!r}")))

    return Config(
        root=path.parent,
        source=path,
        select=_codes(table["select"], where("select")) if "select" in table else None,
        ignore=_codes(table["ignore"], where("ignore")) if "ignore" in table else None,
        per_file_ignores=tuple(per_file),
        exclude=_globs(table["exclude"], where("exclude")) if "exclude" in table else None,
        extend_exclude=_globs(table.get("extend-exclude", []), where("extend-exclude")),
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def _globs(value: Any, where: str) -> tuple[str, ...]:
    from loopcheck.globs import GlobError, check_glob

    patterns = _strings(value, where)
    for pattern in patterns:
        try:
            check_glob(pattern)
        except GlobError as error:
            raise ConfigError(f"{where}: {error}") from None
    return patterns


def _codes(value: Any, where: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in _strings(value, where))
    for code in codes:
        check_code(code, lambda message: ConfigError(f"{where}: {message}"))
    return codes


def check_code(code: str, error: Callable[[str], Exception]) -> None:
    """Raise `error(message)` for a selector that matches no rule, suggesting the nearest code."""
    if is_known_selector(code):
        return
    # Typed look-alikes first (LC1O1, LC10l): difflib alone would rank LC107 as close as LC101.
    lookalike = code.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    lookalike = "LC" + lookalike[2:] if code.upper().startswith("LC") else lookalike
    if lookalike in BY_CODE:
        hint = [lookalike]
    else:
        import difflib

        hint = difflib.get_close_matches(code, list(BY_CODE), n=1, cutoff=0.5)
    suggestion = f" (did you mean {hint[0]}?)" if hint else " (see `loopcheck rules`)"
    raise error(f"unknown rule code {code!r}{suggestion}")


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working directory when below it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
