"""The rule documentation files (rules/LCxxx-name.md), shipped inside the package."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from loopcheck.catalogue import RuleInfo

_PACKAGE = Path(__file__).resolve().parent


def docs_dir() -> Path:
    """In a wheel the docs are packaged as loopcheck/rule_docs; in a checkout they are ../rules."""
    packaged = _PACKAGE / "rule_docs"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "rules"


def doc_path(rule: RuleInfo) -> Path:
    return docs_dir() / rule.doc_filename


def read_doc(rule: RuleInfo) -> Optional[str]:
    path = doc_path(rule)
    return path.read_text(encoding="utf-8") if path.is_file() else None
