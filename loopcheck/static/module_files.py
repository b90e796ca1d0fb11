"""Where a project's modules are: the project root, and the file an import names.

Plain paths, no parsing: loopcheck.static.project_modules reads and parses the files these name,
and the pre-filter (loopcheck.prefilter) asks whether a file imports anything of its project at
all, before libcst is imported. Imports are resolved as Python resolves them when the script runs,
but only inside the project: the project root is the nearest folder upward with pyproject.toml,
setup.py or .git (else the file's own folder), and a module is looked for in the importing file's
folder, the root and root/src (absolute imports) or from the importing file's package (relative
imports).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

ROOT_MARKERS = ("pyproject.toml", "setup.py", ".git")


def project_root(file: Path, absent: set[Path]) -> Path:
    """The project's root folder; `absent` receives the markers looked for below it."""
    for folder in file.parents:
        markers = [folder / marker for marker in ROOT_MARKERS]
        if any(marker.exists() for marker in markers):
            return folder
        absent.update(markers)
    return file.parent


def search_folders(file: Path, root: Path) -> list[Path]:
    """Where an absolute import is found: the script's folder, the project root, root/src."""
    folders: list[Path] = []
    for folder in (file.parent, root, root / "src"):
        if folder not in folders:
            folders.append(folder)
    return folders


def package_folder(file: Path, level: int, root: Path) -> list[Path]:
    """`from .` is the file's own package, each further dot one package up (never above the root)."""
    folder = file.parent
    for _ in range(level - 1):
        folder = folder.parent
    return [folder] if folder == root or root in folder.parents else []


def module_file_in(folders: list[Path], parts: list[str], root: Path, absent: set[Path]) -> Optional[Path]:
    for folder in folders:
        found = module_file(folder, parts, root, absent)
        if found is not None:
            return found
    return None


def module_file(folder: Path, parts: list[str], root: Path, absent: set[Path]) -> Optional[Path]:
    """`folder/a/b.py` or `folder/a/b/__init__.py` for the parts of `a.b`, inside the project;
    `absent` receives the candidates that do not exist."""
    if any(not part.isidentifier() for part in parts):
        return None
    base = folder.joinpath(*parts)
    candidates = [base / "__init__.py"] if not parts else [base.with_name(parts[-1] + ".py"), base / "__init__.py"]
    for candidate in candidates:
        if not (root == candidate.parent or root in candidate.parents):
            continue
        if candidate.is_file():
            return candidate
        if not candidate.exists():
            absent.add(candidate)
    return None

