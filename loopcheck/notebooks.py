"""Jupyter notebooks: the code cells, in order, become one Python program for the analyser.

A notebook runs top to bottom as one namespace, so a training loop in cell 5 that uses the
optimizer from cell 2 must be analysed as one program. IPython syntax is not Python: magics
(`%time`, `%%bash`), shell escapes (`!pip`) and help (`obj?`) are replaced by placeholders that
keep every line where it was (`pass` keeps an indented block valid; `x = !ls` becomes `x = None`),
so each program line maps back to exactly one (cell, line) pair.

Positions follow ruff: `Location.cell` is the cell's 1-based number in the notebook, markdown
cells included (the N-th cell from the top as Jupyter shows it; `jq '.cells[N-1]'`), and lines are
1-based within the cell. Text, JSON, SARIF and GitHub output all use this number.

A code cell that is not Python even after the placeholders (an exercise template with `...`
holes, a stray `?`) is left out and reported as a note; the other cells are still analysed.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from loopcheck.files import UnreadableFile
from loopcheck.findings import Finding

# Cell magics whose body is ordinary Python: keep the body, blank the magic line.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

_LINE_MAGIC = re.compile(r"^(\s*)(?:%|!)")
_ASSIGN_MAGIC = re.compile(r"^(\s*)([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[%!]")
_HELP = re.compile(r"^(\s*)(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")


@dataclass(frozen=True)
class NotebookProgram:
    source: str
    positions: tuple[tuple[int, int], ...]   # program line i+1 -> (cell number, line in cell)
    notes: tuple[str, ...] = ()              # cells left out, one line each

    def locate(self, line: int) -> tuple[int, int]:
        if 0 < line <= len(self.positions):
            return self.positions[line - 1]
        return self.positions[-1] if self.positions else (1, line)


def load(text: str, display: str) -> NotebookProgram:
    """The program of a notebook's JSON text. Raises UnreadableFile with a one-line reason."""
    try:
        data = json.loads(text) if text.strip() else {"cells": []}
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"{display}: not a valid notebook (invalid JSON: {error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        major = data.get("nbformat") if isinstance(data, dict) else None
        reason = f"nbformat {major} is not supported" if major is not None else "no cells list"
        raise UnreadableFile(f"{display}: not a valid notebook ({reason})")
    if not _is_python(data.get("metadata", {})):
        return NotebookProgram("", ())
    lines: list[str] = []
    positions: list[tuple[int, int]] = []
    notes: list[str] = []
    for number, cell in enumerate(data.get("cells", []), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        cell_lines = python_lines(_cell_text(cell.get("source", "")))
        problem = _syntax_problem(cell_lines, number, display)
        if problem:
            notes.append(problem)
            cell_lines = [""] * len(cell_lines)    # keeps every other line where it was
        for line_number, line in enumerate(cell_lines, start=1):
            lines.append(line)
            positions.append((number, line_number))
    return NotebookProgram("".join(line + "\n" for line in lines), tuple(positions), tuple(notes))


def python_lines(cell_source: str) -> list[str]:
    """The cell's lines with IPython-only syntax replaced by same-line placeholders."""
    lines = cell_source.splitlines()
    if not lines:
        return []
    first = lines[0].lstrip()
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)     # %%bash, %%html, %%writefile...: not Python at all
        lines = ["", *lines[1:]]
    out: list[str] = []
    continued = False                    # inside a magic continued with a backslash
    depth, triple, joined = 0, None, False   # Python state: only a logical line's start can be a magic
    for line in lines:
        if continued:
            out.append("")
            continued = line.rstrip().endswith("\\")
            continue
        at_start = depth == 0 and triple is None and not joined
        assign = _ASSIGN_MAGIC.match(line) if at_start else None
        if assign:
            out.append(f"{assign.group(1)}{assign.group(2)} = None")
        elif at_start and (_LINE_MAGIC.match(line) or _HELP.match(line)):
            out.append(f"{_indent(line)}pass")
        else:
            out.append(line)
            depth, triple = _scan(line, depth, triple)
            joined = triple is None and line.rstrip().endswith("\\") and not line.lstrip().startswith("#")
            continue
        continued = line.rstrip().endswith("\\")
    return out


def _scan(line: str, depth: int, triple: "str | None") -> "tuple[int, str | None]":
    """Bracket depth and open triple-quoted string after `line`: a tiny tokenizer, enough to know
    whether the next line starts a new statement (`% b` inside parentheses is a modulo)."""
    i = 0
    while i < len(line):
        if triple:
            end = line.find(triple, i)
            if end < 0:
                return depth, triple
            i, triple = end + 3, None
            continue
        char = line[i]
        if char == "#":
            break
        if char in "'\"":
            if line.startswith(char * 3, i):
                triple, i = char * 3, i + 3
                continue
            i += 1
            while i < len(line) and line[i] != char:
                i += 2 if line[i] == "\\" else 1
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, triple


def map_findings(findings: Sequence[Finding], program: NotebookProgram) -> list[Finding]:
    """Program positions -> (cell, line within cell)."""
    mapped = []
    for finding in findings:
        loc = finding.location
        cell, line = program.locate(loc.line)
        end_line, end_column = loc.end_line, loc.end_column
        if end_line is not None:
            end_cell, end_in_cell = program.locate(end_line)
            end_line, end_column = (end_in_cell, end_column) if end_cell == cell else (line, loc.column)
        mapped.append(replace(finding, location=replace(loc, line=line, end_line=end_line,
                                                          end_column=end_column, cell=cell)))
    return mapped


def _cell_text(source: Any) -> str:
    # nbformat allows a string or a list of strings; anything else (numbers) is read as text.
    return "".join(map(str, source)) if isinstance(source, list) else str(source)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _is_python(metadata: Any) -> bool:
    if not isinstance(metadata, dict):
        return True
    def entry(table: str, key: str) -> Any:
        value = metadata.get(table)
        return value.get(key) if isinstance(value, dict) else None

    language = entry("language_info", "name") or entry("kernelspec", "language")
    return language is None or str(language).lower() in ("python", "python3", "ipython")


def _syntax_problem(lines: list[str], number: int, display: str) -> "str | None":
    """Why the cell is not Python, by the cell's own number and line; None when it parses."""
    source = "\n".join(lines) + "\n"
    try:
        compile(source, display, "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                dont_inherit=True)
    except SyntaxError as error:
        return f"{display}:cell {number}:{error.lineno or 1}:{error.offset or 1}: " \
               f"cell not checked, not valid Python: {error.msg}"
    except (ValueError, RecursionError, MemoryError) as error:
        return f"{display}:cell {number}: cell not checked, cannot parse it ({error})"
    return None
