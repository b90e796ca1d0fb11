"""Per-file settings: defaults, then the nearest configuration file, then command-line flags.

Kept apart from the checker so that the rules of precedence live in one place:
- `select`/`ignore`: the CLI flag replaces the configuration's value, which replaces the default.
- `per-file-ignores` from the configuration always apply (globs relative to the config's folder).
- `exclude` replaces the default excludes; `extend-exclude` adds to them (config and CLI alike).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from loopcheck.config import Config, find_config_file, load_config
from loopcheck.files import DEFAULT_EXCLUDES


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None means "not given"."""

    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    exclude: Optional[tuple[str, ...]] = None
    extend_exclude: tuple[str, ...] = ()
    config_file: Optional[Path] = None      # --config: this file for every path
    isolated: bool = False                  # --isolated: no configuration files at all


class Project:
    def __init__(self, overrides: Overrides = Overrides()) -> None:
        self.overrides = overrides
        self.cwd = Path.cwd().resolve()
        self._found: dict[Path, Optional[Path]] = {}
        self._loaded: dict[Path, Config] = {}
        self._by_folder: dict[Path, Config] = {}

    def config(self, folder: Path) -> Config:
        # Asked once per file while walking: remember the answer per folder (no resolve() calls).
        config = self._by_folder.get(folder)
        if config is None:
            config = self._by_folder[folder] = self._config(folder)
        return config

    def _config(self, folder: Path) -> Config:
        if self.overrides.isolated:
            return Config(root=self.cwd)
        found = self.overrides.config_file or find_config_file(folder, self._found)
        if found is None:
            return Config(root=self.cwd)
        found = found.resolve()
        if found not in self._loaded:
            self._loaded[found] = load_config(found)
        return self._loaded[found]

    def load_all(self, paths: "list[str] | tuple[str, ...]") -> None:
        """Load the configuration of every named path now, so that errors surface before checking."""
        for raw in paths:
            path = Path(raw) if raw != "-" else self.cwd
            self.config(path if path.is_dir() else path.parent)

    def rule_selection(self, file: Optional[Path]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(select, ignore) for one file; `file` None is standard input (configured from the cwd)."""
        config = self.config(file.parent if file is not None else self.cwd)
        select = self.overrides.select or config.select or ("LC",)
        select = tuple("LC" if code == "ALL" else code for code in select)
        ignore = self.overrides.ignore if self.overrides.ignore is not None else (config.ignore or ())
        if file is not None and config.per_file_ignores:
            from loopcheck.globs import matches_any

            relative = _relative(file.resolve(), config.root)
            for glob, codes in config.per_file_ignores:
                if matches_any(relative, False, (glob,)):
                    ignore = ignore + codes
        return select, ignore

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """True when discovery must skip `path` (absolute)."""
        # Imported here: a run over named files never walks a folder, and does not need globs.
        from loopcheck.globs import matches_any

        if is_dir and path.name.endswith(".egg-info"):
            return True
        config = self.config(path.parent)
        if self.overrides.exclude is not None:
            if matches_any(_relative(path, self.cwd), is_dir, self.overrides.exclude):
                return True
        elif matches_any(_relative(path, config.root), is_dir,
                         config.exclude if config.exclude is not None else DEFAULT_EXCLUDES):
            return True
        if config.extend_exclude and matches_any(_relative(path, config.root), is_dir, config.extend_exclude):
            return True
        return bool(self.overrides.extend_exclude) and matches_any(
            _relative(path, self.cwd), is_dir, self.overrides.extend_exclude)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()     # both absolute and resolved
    except ValueError:
        return path.as_posix().lstrip("/")
