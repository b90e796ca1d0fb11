"""Find the user's line: the first frame outside loopcheck and the libraries that wrap torch.

Runs on every recorded event, so everything is cached per code object and per
instruction offset; a lookup on a warm cache is a short frame walk and two dict hits.
"""
from __future__ import annotations

import os
import sys
from types import CodeType, FrameType
from typing import Optional

from loopcheck.findings import Location

UNKNOWN = Location("<unknown>", 0, 0)
_getframe = sys._getframe


def _package_dir(name: str) -> Optional[str]:
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    return os.path.dirname(os.path.abspath(path)) + os.sep if path else None


def installed(filename: str) -> bool:
    """Code of an installed package (tqdm, timm, transformers), not the user's own."""
    return "site-packages" in filename or "dist-packages" in filename


class Locator:
    """Maps frames to `Location`s of user code.

    Frames in torch, in loopcheck and in training wrappers that call backward()/step() on
    the user's behalf (accelerate) are skipped, so a finding points at the line the
    user wrote, e.g. `loss.backward()`, not at torch's implementation of it.

    The caches are keyed by `id(code)`, not by the code object: hashing a code object
    hashes its bytecode, constants and names on every lookup (~2 us for a large torch
    function). Each cached id keeps its code object alive, so an id is never reused
    while it is in the cache.
    """

    def __init__(self, extra_internal: tuple[str, ...] = ()) -> None:
        prefixes = [_package_dir("torch"), _package_dir("loopcheck"), _package_dir("accelerate")]
        self._prefixes = tuple(p for p in prefixes if p) + tuple(extra_internal)
        # id(code) -> (code, internal, {f_lasti: Location} or None for internal code)
        self._codes: dict[int, tuple[CodeType, bool, Optional[dict[int, Location]]]] = {}
        self._paths: dict[str, str] = {}
        self._cwd = os.getcwd() + os.sep

    def _entry(self, code: CodeType) -> tuple[CodeType, bool, Optional[dict[int, Location]]]:
        entry = self._codes.get(id(code))
        if entry is None:
            filename = code.co_filename
            internal = filename.startswith(self._prefixes) or (
                filename.startswith("<") and "loopcheck" in filename
            )
            entry = self._codes[id(code)] = (code, internal, None if internal else {})
        return entry

    def is_internal(self, code: CodeType) -> bool:
        entry = self._codes.get(id(code))
        return (entry if entry is not None else self._entry(code))[1]

    def user_frame(self, depth: int = 1) -> Optional[FrameType]:
        frame: Optional[FrameType] = sys._getframe(depth)
        codes = self._codes
        while frame is not None:
            code = frame.f_code
            entry = codes.get(id(code))
            if entry is None:
                entry = self._entry(code)
            if not entry[1]:
                return frame
            frame = frame.f_back
        return None

    def script_frame(self, depth: int = 1) -> Optional[FrameType]:
        """The nearest frame of the user's own code: user_frame() that also skips installed
        packages (a loader wrapped in tqdm is iterated from tqdm's code). Not for hot paths."""
        frame = self.user_frame(depth + 1)
        while frame is not None and (installed(frame.f_code.co_filename) or self.is_internal(frame.f_code)):
            frame = frame.f_back
        return frame

    def here(self, depth: int = 1) -> Location:
        """The location of the nearest user frame (the walk of user_frame, inlined: this
        runs for every recorded event). Callers pass a depth that skips their own
        loopcheck frames (always internal): every frame object the walk touches is
        materialised by the interpreter, so skipping known frames saves work."""
        frame: Optional[FrameType] = _getframe(depth)
        codes = self._codes
        while frame is not None:
            entry = codes.get(id(frame.f_code))
            if entry is None:
                entry = self._entry(frame.f_code)
            locs = entry[2]
            if locs is not None:  # not internal: the user's frame
                loc = locs.get(frame.f_lasti)
                return loc if loc is not None else self.location(frame)
            frame = frame.f_back
        return UNKNOWN

    def location(self, frame: FrameType) -> Location:
        code, lasti = frame.f_code, frame.f_lasti
        entry = self._codes.get(id(code))
        if entry is None:
            entry = self._entry(code)
        cache = entry[2]
        if cache is None:  # an internal frame asked for explicitly: not cached
            return self._make(code, lasti, frame.f_lineno)
        loc = cache.get(lasti)
        if loc is None:
            loc = cache[lasti] = self._make(code, lasti, frame.f_lineno)
        return loc

    def _make(self, code: CodeType, lasti: int, lineno: Optional[int]) -> Location:
        path = self._display_path(code.co_filename)
        line, col, end_line, end_col = lineno or code.co_firstlineno, 0, None, None
        positions = getattr(code, "co_positions", None)
        if positions is not None and lasti >= 0:
            # co_positions() yields one entry per 2-byte code unit (Python >= 3.11).
            for index, pos in enumerate(positions()):
                if index == lasti // 2:
                    if pos[0] is not None:
                        line, end_line = pos[0], pos[1]
                        col = pos[2] if pos[2] is not None else 0
                        end_col = pos[3]
                    break
        return Location(
            path, line, col + 1,
            end_line, end_col + 1 if end_col is not None else None,
        )

    def file_of(self, shown: str) -> str:
        """The file a location's path (as `location` shows it) names."""
        return shown if os.path.isabs(shown) else self._cwd + shown

    def _display_path(self, filename: str) -> str:
        shown = self._paths.get(filename)
        if shown is None:
            shown = filename
            if os.path.isabs(filename) and filename.startswith(self._cwd):
                shown = filename[len(self._cwd):]
            self._paths[filename] = shown
        return shown
