"""The finding: one reported problem, shared by the static checker and the runtime watcher."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Optional


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """A 1-based source position; `cell` is the notebook cell's 1-based number (markdown cells
    counted, as ruff does) when checked from .ipynb, and `line` is then the line within the cell."""

    path: str
    line: int
    column: int
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    cell: Optional[int] = None


@dataclass(frozen=True)
class Finding:
    """One problem. `to_dict` is the stable JSON schema documented in the README."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    fix: Optional[str] = None
    count: int = 1
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, int, str]:
        loc = self.location
        return (loc.path, loc.cell or 0, loc.line, loc.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line if loc.end_line is not None else loc.line,
            "end_column": loc.end_column if loc.end_column is not None else loc.column,
            "fix": self.fix,
        }
        if loc.cell is not None:
            data["cell"] = loc.cell
        if self.count != 1:
            data["count"] = self.count
        if self.extra:
            data.update(asdict_safe(self.extra))
        return data


def asdict_safe(extra: dict[str, Any]) -> dict[str, Any]:
    """Extra fields must be JSON-serialisable; dataclasses inside are converted."""
    out: dict[str, Any] = {}
    for key, value in extra.items():
        if hasattr(value, "__dataclass_fields__"):
            value = asdict(value)
        out[key] = value
    return out
