"""Spelling `torch.no_grad` the way the fixed file already imports torch."""
from __future__ import annotations

import libcst as cst

from loopcheck.fixes.tree import body_start, walk


def torch_name(module: cst.Module, attr: str) -> tuple[str, bool]:
    """(expression for `torch.<attr>`, whether `import torch` must be added)."""
    for imp in walk(module, cst.Import):
        for alias in imp.names:
            if module.code_for_node(alias.name) == "torch":
                return f"{_asname(module, alias) or 'torch'}.{attr}", False
    for imp in walk(module, cst.ImportFrom):
        if imp.module is not None and module.code_for_node(imp.module) == "torch" and not isinstance(
                imp.names, cst.ImportStar):
            for alias in imp.names:
                if module.code_for_node(alias.name) == attr:
                    return _asname(module, alias) or attr, False
    return f"torch.{attr}", True


def add_import_torch(module: cst.Module) -> cst.Module:
    """`import torch` after the module's leading imports (or its docstring)."""
    body = list(module.body)
    index = body_start(module)
    last_import = None
    for i, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            last_import = i
        elif i >= index:
            break
    at = last_import + 1 if last_import is not None else index
    body.insert(at, cst.parse_statement("import torch\n"))
    return module.with_changes(body=body)


def _asname(module: cst.Module, alias: cst.ImportAlias) -> "str | None":
    if alias.asname is None:
        return None
    return module.code_for_node(alias.asname.name)
