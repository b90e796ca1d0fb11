"""The other files of the checked project: which file an import names, and what it defines there.

Cross-file analysis lets the walker inline `train_one_epoch` imported from `engine.py` as it
inlines a function of the same file. Imports are resolved as Python resolves them when the script
runs, but only inside the project: the project root is the nearest folder upward with
pyproject.toml, setup.py or .git (else the file's own folder), and a module is looked for in the
importing file's folder, the root and root/src (absolute imports) or from the importing file's
package (relative imports). Files are read and parsed, never executed nor imported; whatever is not
found there (torch, installed packages) stays unknown, as before.

Each imported module is parsed and summarised once per process, that is once per run (each worker
keeps its own), under its path and checked against its content hash. Parsed trees (and their
positions) are kept apart from the summaries and shared with the checked files: a file checked
after another file imported it (or imported after it was checked), as on a large tree whose
modules import each other, is parsed once, not twice.

What an analysis read is what its cached result depends on: the content hash of each project file
it used, and each path it looked for and did not find (a module an import could name, a root
marker), since a file created there later (engine.py, a package's __init__.py, a module that
shadows another) changes what the imports mean.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional, Sequence, Union

import libcst as cst
from libcst.metadata import CodeRange

from loopcheck.files import UnreadableFile, decode, read_regular_file
from loopcheck.findings import Location
from loopcheck.static.depends import ABSENT, READ_BY, content_hash
from loopcheck.static.module_files import (
    module_file, module_file_in, package_folder as _package_folder, project_root, search_folders as _search_folders,
)
from loopcheck.static.names import dotted, last
from loopcheck.static.positions import Positions
from loopcheck.static.symbols import MODULE_BASES, ModelClass, Symbols, class_mode_layers

MAX_MODULES = 64      # parsed modules kept per process (a parsed module weighs megabytes)
MAX_TREE_TEXT = 2_000_000   # characters of source whose trees are kept for checked files to share
MAX_HOPS = 8          # re-exports (`from .engine import *` in a package __init__) and base classes followed

Definition = Union[cst.FunctionDef, cst.ClassDef, "Module"]


@dataclass(frozen=True)
class Binding:
    """What an imported name stands for: a module file, or a `name` defined in one."""

    file: Path
    name: Optional[str] = None


@dataclass
class Module:
    """One parsed file of the project and the names it imports."""

    path: Path
    digest: str
    tree: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    symbols: Symbols
    bindings: dict[str, Binding] = field(default_factory=dict)
    star: list[Path] = field(default_factory=list)   # `from engine import *`
    absent: set[Path] = field(default_factory=set)    # where its imports looked for a module and found none


@dataclass
class _Tree:
    source: str
    tree: cst.Module
    positions: Positions


class _Parsed:
    """The per-process cache of parsed project modules: path -> Module, and of parsed files,
    checked or imported: path -> its text, tree and positions (least recently used out)."""

    def __init__(self) -> None:
        self.modules: OrderedDict[Path, Module] = OrderedDict()
        self.trees: OrderedDict[Path, _Tree] = OrderedDict()
        self.tree_text = 0   # characters of source in `trees` (a tree and its positions weigh ~100 bytes a character)
        self.unsaved: Mapping[Path, str] = {}          # a fix run's edits not written yet, read in place of the files

    def text(self, path: Path) -> tuple[str, str]:
        """A project file's text and content hash (of its edited text while a fix run holds one).
        Raises UnreadableFile."""
        unsaved = self.unsaved.get(path)
        if unsaved is not None:
            return unsaved, content_hash(unsaved.encode("utf-8", "surrogatepass"))
        data = read_regular_file(str(path), str(path))
        return decode(data, str(path)), content_hash(data)

    def load(self, path: Path, root: Path) -> Optional[Module]:
        try:
            source, digest = self.text(path)
        except UnreadableFile:
            return None
        cached = self.modules.get(path)
        if cached is not None and cached.digest == digest:
            self.modules.move_to_end(path)
            return cached
        try:
            tree, positions = self.tree(path, source, cst.parse_module)
        except Exception:   # a file libcst cannot read stays unknown, as a third-party module does
            return None
        absent: set[Path] = set()
        bindings, star = imports_of(tree, path, root, absent)
        module = Module(path, digest, tree, positions, definitions(tree), bindings, star, absent)
        self.modules[path] = module
        while len(self.modules) > MAX_MODULES:
            self.modules.popitem(last=False)
        return module


    def tree(self, path: Path, source: str,
             parse: Callable[[str], cst.Module]) -> tuple[cst.Module, Positions]:
        """The tree of a file (absolute path) whose text is `source`, and its positions: parsed by
        `parse` unless a checked or imported file of that path and text was parsed already.
        Raises what `parse` raises."""
        known = self.trees.get(path)
        if known is not None and known.source == source:
            self.trees.move_to_end(path)
            return known.tree, known.positions
        tree = parse(source)
        if known is not None:
            self.tree_text -= len(self.trees.pop(path).source)
        entry = self.trees[path] = _Tree(source, tree, Positions(tree))
        self.tree_text += len(source)
        while len(self.trees) > 1 and (len(self.trees) > MAX_MODULES or self.tree_text > MAX_TREE_TEXT):
            self.tree_text -= len(self.trees.popitem(last=False)[1].source)
        return tree, entry.positions


PARSED = _Parsed()


class ProjectCode:
    """For one checked file: the code of the project files it imports, for the walker to inline,
    and where their nodes are. `callers` is the walker's chain of call sites in the checked file
    that led into other files; `via` remembers, for each location reported in another file, the
    call site of the checked file it was reached through."""

    def __init__(self, file: str, display: str, tree: cst.Module,
                 positions: Optional[Mapping[cst.CSTNode, CodeRange]] = None) -> None:
        self.file = Path(os.path.abspath(file))
        self.display = display
        self.own = positions   # the checked file's positions (its nodes), when given
        absent: set[Path] = set()
        self.root = project_root(self.file, absent)
        bindings, star = imports_of(tree, self.file, self.root, absent)
        self.home = Module(self.file, "", tree, {}, Symbols(), bindings, star, absent)
        self.loaded: dict[Path, Module] = {}
        self.callers: list[Location] = []
        self.via: dict[Location, Location] = {}

    @property
    def read(self) -> dict[str, str]:
        absent = self.home.absent.union(*(module.absent for module in self.loaded.values()))
        return {**{str(path): ABSENT for path in sorted(absent)},
                **{str(path): module.digest for path, module in self.loaded.items()}}

    def use(self, symbols: Symbols) -> None:
        """The checked file's own symbols (collected with the classes it imports)."""
        self.home.symbols = symbols

    def finish(self) -> None:
        """Record the files this analysis read, for the result cache."""
        READ_BY[str(self.file)] = self.read

    # ---- what names mean -------------------------------------------------------------------
    def load(self, path: Path) -> Optional[Module]:
        if path == self.file:
            return self.home
        module = self.loaded.get(path) or PARSED.load(path, self.root)
        if module is not None:
            self.loaded[path] = module
        return module

    def lookup(self, scope: Module, name: str) -> Optional[Definition]:
        """The function, class or module a dotted name of `scope` stands for."""
        parts = name.split(".")
        found: Optional[Definition] = None
        for size in range(len(parts), 0, -1):   # `import a.b` binds `a.b`
            binding = scope.bindings.get(".".join(parts[:size]))
            if binding is not None:
                found, parts = self.target(binding, 0), parts[size:]
                break
        else:
            found, parts = self.member(scope, parts[0], 0), parts[1:]
        for part in parts:
            found = self.member(found, part, 0) if isinstance(found, Module) else None
        return found

    def member(self, module: Module, name: str, hops: int) -> Optional[Definition]:
        """What `name` means at the top level of `module`: a definition, a re-export, a submodule."""
        if name in module.symbols.functions:
            return module.symbols.functions[name]
        if name in module.symbols.classes:
            return module.symbols.classes[name].node
        if hops >= MAX_HOPS:
            return None
        if name in module.bindings:
            return self.target(module.bindings[name], hops + 1)
        for path in module.star:
            star = self.load(path)
            found = self.member(star, name, hops + 1) if star is not None else None
            if found is not None:
                return found
        if module.path.name == "__init__.py":
            submodule = module_file(module.path.parent, [name], self.root, module.absent)
            return self.load(submodule) if submodule is not None else None
        return None

    def target(self, binding: Binding, hops: int) -> Optional[Definition]:
        module = self.load(binding.file)
        if module is None or binding.name is None:
            return module
        return self.member(module, binding.name, hops)

    def scope_of(self, node: Optional[cst.CSTNode]) -> Module:
        """The module whose code `node` is (the checked file's when it is none of the others)."""
        if node is not None and self.loaded:
            # The checked file's own nodes first: they are most of those asked about, and the
            # imported files' nodes are listed only when one of them is (a node is in one tree).
            if self.own is not None and node in self.own:
                return self.home
            for module in self.loaded.values():
                if node in module.positions:
                    return module
        return self.home

    # ---- for the walker ---------------------------------------------------------------------
    def foreign(self, node: Optional[cst.CSTNode]) -> bool:
        return self.scope_of(node) is not self.home

    def function(self, name: str, within: Optional[cst.CSTNode]) -> Optional[cst.FunctionDef]:
        """The function a call of `name` runs, read in the scope of the code `within` is part of."""
        found = self.lookup(self.scope_of(within), name)
        return found if isinstance(found, cst.FunctionDef) else None

    def method(self, cls: str, name: str, within: Optional[cst.CSTNode]) -> Optional[cst.FunctionDef]:
        """`cls.name`, through base classes in whichever project file they are."""
        for scope in (self.scope_of(within), self.home):
            found = self.lookup(scope, cls)
            if isinstance(found, cst.ClassDef):
                return self.method_of(found, name, set())
        return None

    def method_of(self, node: cst.ClassDef, name: str, seen: set[cst.ClassDef]) -> Optional[cst.FunctionDef]:
        if node in seen or len(seen) > MAX_HOPS:
            return None
        seen.add(node)
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                return statement
        for base in self.bases(node):
            found = self.method_of(base, name, seen) if base is not None else None
            if found is not None:
                return found
        return None

    def bases(self, node: cst.ClassDef) -> Iterator[Optional[cst.ClassDef]]:
        """The base classes of a class, None for each one outside the project."""
        scope = self.scope_of(node)
        for base in node.bases:
            name = dotted(base.value)
            found = self.lookup(scope, name) if name is not None else None
            yield found if isinstance(found, cst.ClassDef) else None

    def imported_classes(self) -> dict[str, ModelClass]:
        """The classes the checked file imports by name, whose kind (torch module or not) is
        known: every base is a torch module base, `object`, or such a class of the project."""
        classes: dict[str, ModelClass] = {}
        for local, binding in self.home.bindings.items():
            # Class names are capitalised: files that only lend functions are read when the walk needs them.
            named_like_a_class = binding.name is not None and local[:1].isupper() and "." not in local
            found = self.target(binding, 0) if named_like_a_class else None
            if not isinstance(found, cst.ClassDef):
                continue
            is_module = self.is_module(found, set())
            if is_module is None:
                continue
            owner = self.scope_of(found).symbols
            layers = class_mode_layers(found.name.value, owner) if found.name.value in owner.classes else None
            classes[local] = ModelClass(found, is_module, mode_layers=layers if is_module else None)
        return classes

    def is_module(self, node: cst.ClassDef, seen: set[cst.ClassDef]) -> Optional[bool]:
        if node in seen or len(seen) > MAX_HOPS:
            return None
        seen.add(node)
        verdict: Optional[bool] = False
        for base, found in zip(node.bases, self.bases(node)):
            if last(dotted(base.value)) in MODULE_BASES:
                return True
            inner = self.is_module(found, seen) if found is not None else (
                False if dotted(base.value) == "object" else None)
            if inner:
                return True
            verdict = None if inner is None else verdict
        return verdict

    def location(self, node: cst.CSTNode) -> Optional[Location]:
        """Where a node of another project file is, in the report's spelling of paths."""
        module = self.scope_of(node)
        position = module.positions.get(node) if module is not self.home else None
        if position is None:
            return None
        shown = os.path.normpath(os.path.join(os.path.dirname(self.display),
                                              os.path.relpath(module.path, self.file.parent)))
        where = Location(shown, position.start.line, position.start.column + 1,
                         position.end.line, position.end.column + 1)
        if self.callers:
            self.via.setdefault(where, self.callers[-1])
        return where


def definitions(tree: cst.Module) -> Symbols:
    """The functions and classes a module defines at its top level (under `if`/`try` too). The
    rest of the symbols pre-pass (what the names of the code stand for) is the checked file's."""
    symbols = Symbols()
    for node in _statements(tree.body, into_functions=False):
        if isinstance(node, cst.FunctionDef):
            symbols.functions.setdefault(node.name.value, node)
        elif isinstance(node, cst.ClassDef):
            bases = {last(dotted(b.value)) for b in node.bases}
            is_module = bool(bases & MODULE_BASES) or any(symbols.classes[b].is_module for b in bases
                                                           if b in symbols.classes)
            symbols.classes[node.name.value] = ModelClass(node, is_module)
    return symbols


def imports_of(tree: cst.Module, file: Path, root: Path,
               absent: set[Path]) -> tuple[dict[str, Binding], list[Path]]:
    """The names a file's import statements bind to project files (first binding wins), and the
    modules it star-imports; `absent` receives the paths looked for in vain. Imports in
    functions and under `if`/`try` count, as the walker cannot tell which branch runs."""
    bindings: dict[str, Binding] = {}
    star: list[Path] = []
    for node in _statements(tree.body, into_functions=True):
        if isinstance(node, cst.Import):
            for alias in node.names:
                name = dotted(alias.name)
                found = module_file_in(_search_folders(file, root), name.split("."), root, absent) if name else None
                if found is not None:
                    local = dotted(alias.asname.name) if alias.asname is not None else name
                    bindings.setdefault(local or name, Binding(found))
            continue
        if not isinstance(node, cst.ImportFrom):
            continue
        parts = (dotted(node.module) or "").split(".") if node.module is not None else []
        folders = _search_folders(file, root) if not node.relative else _package_folder(file, len(node.relative), root)
        if isinstance(node.names, cst.ImportStar):
            found = module_file_in(folders, parts, root, absent)
            if found is not None:
                star.append(found)
            continue
        for alias in node.names:
            imported = dotted(alias.name) or ""
            local = (dotted(alias.asname.name) if alias.asname is not None else None) or imported
            submodule = module_file_in(folders, [*parts, imported], root, absent)
            owner = module_file_in(folders, parts, root, absent) if submodule is None else None
            if submodule is not None:
                bindings.setdefault(local, Binding(submodule))
            elif owner is not None:
                bindings.setdefault(local, Binding(owner, imported))
    return bindings, star


def _statements(statements: "Sequence[cst.CSTNode]", into_functions: bool) -> Iterator[cst.CSTNode]:
    """The small statements, functions and classes of a block, and of the blocks of its `if`,
    `try`, `with`, ... statements (and of its functions' bodies, `into_functions`); never of classes."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
            continue
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            yield statement
            if isinstance(statement, cst.ClassDef) or not into_functions:
                continue
        for child in statement.children:
            if isinstance(child, cst.IndentedBlock):
                yield from _statements(child.body, into_functions)
            elif isinstance(child, (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally,
                                    cst.If, cst.MatchCase)):
                yield from _statements([child], into_functions)
