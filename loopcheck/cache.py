"""The result cache: a file already checked with the same content, the same loopcheck and the same
effective configuration is not analysed again (as ruff's .ruff_cache).

Location: `.loopcheck_cache/` in the working directory, or `$LOOPCHECK_CACHE_DIR`; `--no-cache` or
`LOOPCHECK_NO_CACHE=1` turns it off. The folder holds a CACHEDIR.TAG and a `.gitignore` of `*`, so
backups and git skip it. One JSON file per entry, named by the SHA-256 of (content, path shown,
selected and ignored codes), under a folder named by loopcheck's version and a fingerprint of its
own source files (an edited checkout never reads stale results; the first run of a new build
removes the entries of the others). An entry also holds the content hashes of the project files
the checked file imports (cross-file analysis), and the paths where its imports looked for a module
and found none: when one of those files has changed, or one has appeared (engine.py created, a
package's __init__.py, a module that shadows another), the entry is a miss, so the edit is seen in
train.py's result. Entries are written to a
temporary file and renamed into place, so concurrent runs never see a partial entry; an entry that
cannot be read is a miss. Entries are JSON, never pickles: a repository can ship its own cache
folder, and reading it must not run code.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from loopcheck import __version__
from loopcheck.findings import Finding, Location, Severity

DEFAULT_DIR = ".loopcheck_cache"
DIR_VARIABLE = "LOOPCHECK_CACHE_DIR"
OFF_VARIABLE = "LOOPCHECK_NO_CACHE"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# A loopcheck result cache: https://bford.info/cachedir/\n"


@dataclass(frozen=True)
class Entry:
    findings: list[Finding]
    notes: list[str]
    depends: dict[str, str] = field(default_factory=dict)   # project files imported -> content hash, or "" if absent


@dataclass(frozen=True)
class Cache:
    folder: Path        # entries of this loopcheck build

    def key(self, data: bytes, display: str, select: Sequence[str], ignore: Sequence[str]) -> str:
        digest = hashlib.sha256(data)
        digest.update(json.dumps([display, list(select), list(ignore)]).encode())
        return digest.hexdigest()

    def get(self, key: str) -> Optional[Entry]:
        try:
            raw = json.loads((self.folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            return Entry([_finding(item) for item in raw["findings"]], [str(n) for n in raw["notes"]],
                         {str(path): str(digest) for path, digest in raw.get("depends", {}).items()})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Best effort: a read-only or full disk costs speed, never a result."""
        folder = self.folder / key[:2]
        try:
            data = json.dumps({"findings": [_record(f) for f in entry.findings], "notes": entry.notes,
                               "depends": entry.depends})
        except (TypeError, ValueError):     # an extra field JSON cannot hold: analyse again next time
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Named by the process, which writes one entry at a time: no other writer shares it
            # (tempfile's random names cost a one-file run more to import than the write itself).
            # Private, as tempfile made it.
            temporary = folder / f".tmp-{os.getpid()}-{key}.json"
            with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                           encoding="utf-8") as file:
                file.write(data)
            os.replace(temporary, folder / f"{key}.json")
        except OSError:
            pass


def open_cache(enabled: bool = True) -> Optional[Cache]:
    """The cache of this loopcheck build, created on first use; None when turned off."""
    if not enabled or os.environ.get(OFF_VARIABLE, "") not in ("", "0"):
        return None
    root = Path(os.environ.get(DIR_VARIABLE) or DEFAULT_DIR)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by loopcheck\n*\n")):
            if not (root / name).exists():
                (root / name).write_text(text, encoding="utf-8")
    except OSError:
        return None
    folder = root.resolve() / f"{__version__}-{build_fingerprint()}"
    if not folder.exists():
        _forget_other_builds(root)
    return Cache(folder)


def _forget_other_builds(root: Path) -> None:
    """A new loopcheck build starts afresh: entries of other builds are never read again, and an
    edited checkout would otherwise grow one folder per edit. A run of another build that is
    still writing merely loses its entries (writes are best effort)."""
    import shutil

    for old in root.iterdir():
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def build_fingerprint() -> str:
    """A hash of the names, sizes and modification times of loopcheck's own source files."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _record(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "name": finding.name, "severity": finding.severity.value,
            "message": finding.message, "location": asdict(finding.location), "fix": finding.fix,
            "count": finding.count, "extra": finding.extra}


def _finding(record: dict[str, Any]) -> Finding:
    return Finding(str(record["code"]), str(record["name"]), Severity(record["severity"]), str(record["message"]),
                   Location(**record["location"]), record["fix"], int(record["count"]), dict(record["extra"]))
