"""Warnings keep the frame they would have had without the watcher.

torch warns with `stacklevel=2` from code that the watcher wraps (`GradScaler.__init__`,
a scheduler's `step`): the frame one level up is then the wrapper in loopcheck, and the
warning would name a loopcheck line. While the watcher is installed, `warnings.showwarning`
moves such a warning to the first frame outside loopcheck above the wrapper: the user's
line (or torch's), as plain python shows it.
"""
from __future__ import annotations

import os
import sys
import warnings
from typing import Any

from loopcheck.runtime.patches import Patches

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _outside(filename: str, lineno: int) -> "tuple[str, int] | None":
    """The first frame outside loopcheck above the frame at filename:lineno on this stack."""
    frame = sys._getframe(2)
    while frame is not None and not (frame.f_code.co_filename == filename and frame.f_lineno == lineno):
        frame = frame.f_back
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
    return None if frame is None else (frame.f_code.co_filename, frame.f_lineno)


def patch(patches: Patches) -> None:
    original = warnings.showwarning

    def showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                    line: Any = None) -> None:
        if isinstance(filename, str) and filename.startswith(_PACKAGE):
            site = _outside(filename, lineno)
            if site is not None:
                filename, lineno = site
                line = None  # read again from the new site
        original(message, category, filename, lineno, file, line)

    patches.set_attr(warnings, "showwarning", showwarning)
