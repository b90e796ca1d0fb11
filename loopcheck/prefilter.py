"""Cheap tests that decide a file has no finding, so that its full (libcst) analysis is skipped.

Two tests, both before libcst is imported:

1. `may_have_findings(source)`, on the raw text: every rule needs one of a few words somewhere in
   the source (case-insensitive, comments and strings too). Nearly every file of a PyTorch project
   has one of them, so this only skips files that have nothing to do with training.

2. `worth_analysing(tree, source, file)`, on Python's own syntax tree of the code, which
   `loopcheck.limits.check_parseable` builds anyway (a hundredth of libcst's cost): only what the
   code calls, imports, assigns and loops over counts, never comments, docstrings or strings. A
   file is kept when it holds the evidence some rule needs; each kind of evidence below names the
   rules it serves and the walker's reasons (loopcheck.static.walker, patterns, symbols). The
   names themselves are in the table of idioms (loopcheck.static.idioms, "the pre-filter").

   - a training call: `backward`, `step`, `zero_grad`, `train`, `eval` (every LC1xx stream rule
     needs a STEP or a BACKWARD; LC203 and LC202's eval-mode case need a MODE switch; LC110,
     LC111, LC112, LC114, LC115 need a step or a backward too);
   - a pattern rule's subject anywhere in the code: softmax (LC109), functional dropout (LC113),
     DistributedSampler (LC108), the clip functions (LC111), `load` (LC303), the broadcasting
     losses (LC601);
   - LC302: a `torch.<factory>(...)` call in a file that names an accelerator and puts something
     on a device (the very test of symbols.uses_accelerator, on the raw text);
   - LC304: a bare `x.to(...)` / `x.cuda()` / `x.cpu()` statement;
   - LC401: a loop and a loss (a name with "loss", a criterion, a loss function);
   - the forward rules without a training call (LC201 after a construction, LC202 over held-out
     data, LC301): a forward (a call of a model-like name, of a name bound to a constructed
     module, of a parameter, or `.forward`) together with what each needs besides (see
     `_forward_rules`);
   - cross-file analysis: the walker inlines a function of another project file when a call
     hands it `self`, a model, optimizer, loader, ... and walks methods inherited from a project
     class, so a file that imports anything of its project (resolved as
     loopcheck.static.project_modules resolves imports, by paths only) and hands it training
     state, subclasses it or builds an object of it is kept: `train(model, loader)` imported
     from engine.py has its findings there.

The accuracy corpus and its mutants, the real-code corpora, the fixtures and every rule's test
cases check that the skip never changes a finding (benchmarks/performance/same_findings.py);
tests/static/test_prefilter.py holds files it skips and the look-alikes it must keep.
"""
from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Iterable, Optional

from loopcheck.static import idioms as I
from loopcheck.static.depends import ABSENT, READ_BY
from loopcheck.static.module_files import module_file_in, package_folder, project_root, search_folders

ANCHORS = ("backward", "step", "grad", "optim", "train", "eval", "forward", "loss", "device", "cuda",
           "to(", "load", "sampler", "softmax", "dropout", "inference")
_ANCHOR = re.compile("|".join(re.escape(word) for word in ANCHORS), re.IGNORECASE)


def may_have_findings(source: str) -> bool:
    return _ANCHOR.search(source) is not None


def _dotted(node: ast.AST) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _handed(call: ast.Call) -> list[str]:
    """The dotted names a call hands on (the walker's `names_in(arg, callees=False)`): in its
    arguments, outermost chains only, not the callees of calls inside them."""
    found: list[str] = []
    pending: list[ast.AST] = [*call.args, *(k.value for k in call.keywords)]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Starred):
            node = node.value
        name = _dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if name is not None:
            found.append(name)
        elif isinstance(node, ast.Call) and _dotted(node.func) is not None:
            pending.extend(node.args)
            pending.extend(k.value for k in node.keywords)
        else:
            pending.extend(ast.iter_child_nodes(node))
    return found


class _Code:
    """What a file's code names, calls, assigns and loops over: one pass over the tree."""

    def __init__(self, tree: ast.AST) -> None:
        self.words: set[str] = set()        # names, attributes, imported names (originals and aliases)
        self.leaves: set[str] = set()       # the last part of every callee
        self.imported: set[str] = set()     # names that imports bind or bring (originals and aliases)
        self.chained: set[str] = set()      # `f` of every `f(...).method(...)`
        self.calls: list[tuple[Optional[str], str, Optional[str], list[str]]] = []  # callee, leaf, receiver, handed
        self.params: set[str] = set()
        self.functions: set[str] = set()    # names defined by def (factories, in-file helpers)
        self.classes: dict[str, list[Optional[str]]] = {}   # class -> its bases, dotted
        self.assigned: list[tuple[str, Optional[str], str]] = []   # target = callee(...): target, callee, leaf
        self.loop_sources: list[tuple[Optional[str], bool]] = []   # `for x in y`: y (seen through enumerate...), subscripted?
        self.loops = False
        self.bare_moves = False             # `x.to(device)` as a statement
        self.imports: list[tuple[int, Optional[str], list[str], list[str]]] = []   # level, module, names, locals
        for node in ast.walk(tree):
            kind = type(node)
            if kind is ast.Name:
                self.words.add(node.id)
            elif kind is ast.Attribute:
                self.words.add(node.attr)
            elif kind is ast.Call:
                self._call(node)
            elif kind is ast.arg:
                self.params.add(node.arg)
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef):
                self.functions.add(node.name)
            elif kind is ast.ClassDef:
                self.classes[node.name] = [_dotted(base) for base in node.bases]
            elif kind in (ast.For, ast.AsyncFor):
                self.loops = True
                self.loop_sources.append(_loop_source(node.iter))
            elif kind in (ast.While, ast.comprehension):
                self.loops = True
            elif kind is ast.Assign and isinstance(node.value, ast.Call):
                callee = _dotted(node.value.func)
                leaf = _leaf(node.value.func)
                for target in node.targets:
                    name = _dotted(target)
                    if name is not None:
                        self.assigned.append((name, callee, leaf))
            elif kind is ast.Expr and isinstance(node.value, ast.Call) \
                    and _leaf(node.value.func) in I.GATE_BARE_MOVES and isinstance(node.value.func, ast.Attribute):
                self.bare_moves = True
            elif kind is ast.Import:
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.imported.update((alias.name.split(".")[-1], local))
                    self.imports.append((0, alias.name, [], [local]))
            elif kind is ast.ImportFrom:
                names = [alias.name for alias in node.names]
                locals_ = [alias.asname or alias.name for alias in node.names]
                self.imported.update(names)
                self.imported.update(locals_)
                self.imports.append((node.level, node.module, names, locals_))

    def _call(self, node: ast.Call) -> None:
        leaf = _leaf(node.func)
        self.leaves.add(leaf)
        receiver = _dotted(node.func.value) if isinstance(node.func, ast.Attribute) else None
        self.calls.append((_dotted(node.func), leaf, receiver, _handed(node)))
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
            inner = _dotted(node.func.value.func)
            if inner is not None:
                self.chained.add(inner)


def _leaf(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _loop_source(iterable: ast.AST) -> tuple[Optional[str], bool]:
    """What a `for` iterates, through enumerate(x) / tqdm(x) / iter(x) (walker._loop_source)."""
    while isinstance(iterable, ast.Call) and _leaf(iterable.func) in ("enumerate", "tqdm", "iter") and iterable.args:
        iterable = iterable.args[0]
    if isinstance(iterable, ast.Subscript):
        return _dotted(iterable.value), True
    return _dotted(iterable), False


def worth_analysing(tree: ast.AST, source: str, file: Optional[str] = None) -> bool:
    """False when the file (its code: `tree`, Python's syntax tree of `source`) surely has no
    finding; `file`: where it is on disk, for the imports of its project (none without)."""
    code = _Code(tree)
    if file is not None:
        # What a skip depends on, for the result cache: the imports looked for in vain (a file
        # created there later may be project code this one reaches). Analysis replaces it.
        READ_BY[os.path.abspath(file)] = {}
    return (_training_calls(code) or _pattern_subjects(code) or _off_device(code, source)
            or code.bare_moves or _accumulated_loss(code) or _unmoved_batches(code) or _forward_rules(code)
            or (file is not None and _reaches_project_code(code, file)))


def _training_calls(code: _Code) -> bool:
    """The walker emits STEP, BACKWARD, CLEAR and MODE events for calls of these methods only."""
    return not code.leaves.isdisjoint(I.GATE_TRAINING_CALLS) or not code.imported.isdisjoint(I.GATE_TRAINING_CALLS)


def _pattern_subjects(code: _Code) -> bool:
    return not code.words.isdisjoint(I.GATE_PATTERN_SUBJECTS) or not code.imported.isdisjoint(I.GATE_PATTERN_SUBJECTS)


def _off_device(code: _Code, source: str) -> bool:
    """LC302: a torch factory called where the file uses an accelerator."""
    return any(callee is not None and callee.startswith("torch.") and leaf in I.TENSOR_FACTORIES
               for callee, leaf, _, _ in code.calls) and I.uses_accelerator(source)


def _accumulated_loss(code: _Code) -> bool:
    """LC401: a loss (by name or by the function that computes it) accumulated in a loop."""
    return code.loops and (any("loss" in word.lower() or I.kind_from_name(word) == "loss"
                               for word in code.words | code.params) or not code.leaves.isdisjoint(I.LOSS_FUNCTIONS))


# ---- the forward rules ---------------------------------------------------------------------------
def _constructs_model(code: _Code, callee: Optional[str], leaf: str) -> bool:
    """`x = Net(...)`, `x = nn.Linear(...)`, `x = resnet18()`, `x = DDP(model)`, `x = build()`: a call
    whose value symbols._classify may call a module (over-approximated: any in-file function or
    class, any class of the project, any capitalised torch.nn name)."""
    if not leaf:
        return False
    called = callee or ""
    return leaf in code.functions or leaf in code.classes or leaf in I.GATE_MODEL_CLASSES \
        or (leaf[:1].isupper() and (leaf in code.imported or called.startswith(("nn.", "torch.nn.")))) \
        or I.zoo_model(called, leaf) or leaf in I.GATE_MODEL_METHODS


def _models(code: _Code) -> set[str]:
    """Names that may be bound to a module: assigned a constructed one, or whose parameters an
    optimizer may take (symbols._unknown_parameter_owners)."""
    models = {name for name, callee, leaf in code.assigned
              if I.kind_from_name(name) == "model" or _constructs_model(code, callee, leaf)}
    return models | {receiver for _, leaf, receiver, _ in code.calls
                     if leaf in ("parameters", "named_parameters") and receiver}


def _forwards(code: _Code) -> list[list[str]]:
    """The arguments of every call that may be a forward: of a model-like name, of a name bound
    to a constructed module, of a parameter (a model handed to a function), or `.forward()`."""
    models = _models(code)
    any_model = bool(models) or any(I.kind_from_name(word) == "model" for word in code.words)
    return [handed for callee, leaf, receiver, handed in code.calls if callee is not None and (
        (leaf == "forward" and receiver) or I.kind_from_name(callee) == "model" or callee in models
        or (any_model and callee in code.params))]


def _forward_rules(code: _Code) -> bool:
    forwards = _forwards(code)
    if not forwards:
        return False
    return _evaluation_after_construction(code) or _held_out_data(code, forwards)


def _evaluation_after_construction(code: _Code) -> bool:
    """LC201 without a train() call: a model built here (implicitly in train mode), that has
    Dropout or BatchNorm, and that is no longer fresh (only a step, a weight load, or a call that
    may train or load it makes it evaluable)."""
    built = any(I.kind_from_name(name) == "model" or _constructs_model(code, callee, leaf)
                for name, callee, leaf in code.assigned)
    if not built:
        return False
    layers = not code.words.isdisjoint(I.MODE_LAYERS | set(I.DROPOUT_ARGUMENT)) \
        or any(I.zoo_model(callee or "", leaf) for callee, leaf, _, _ in code.calls) \
        or any(leaf in code.imported for _, _, leaf in code.assigned)   # a class of another file
    return layers and _may_train_or_load(code)


def _may_train_or_load(code: _Code) -> bool:
    """Something may train the model or load its weights (Walker.other_call, loading_factory): a
    call handed a model whose callee is named for it, or that also takes an optimizer, `self` or
    an object; a `load*` method of a model; a model made by a function of the file that loads."""
    instances = {name for name, _, leaf in code.assigned if leaf in code.classes}
    models = _models(code)
    model_like = lambda name: name in models or I.kind_from_name(name) == "model"  # noqa: E731
    loads = any(leaf.startswith(I.WEIGHT_LOADING_PREFIXES) for leaf in code.leaves)
    if any(leaf in code.functions and model_like(name)
           and (loads or any(word in leaf.lower() for word in I.TRAINS_OR_LOADS_WORDS))
           for name, _, leaf in code.assigned):
        return True   # `model = load_model(path)`: a factory of the file that restores weights
    for callee, leaf, receiver, handed in code.calls:
        if leaf.startswith(I.WEIGHT_LOADING_PREFIXES) and receiver is not None and model_like(receiver):
            return True
        given = [name for name in handed if model_like(name)]
        if not given:
            continue
        if callee is not None and any(word in callee.lower() for word in I.TRAINS_OR_LOADS_WORDS):
            return True
        if any(name not in given and (name == "self" or name in instances or I.kind_from_name(name) == "optimizer")
               for name in handed):
            return True
    return False


def _loader_kind(code: _Code, name: Optional[str]) -> bool:
    return bool(name) and (I.kind_from_name(name) == "loader"
                           or any(target == name and leaf in I.LOADER_CLASSES for target, _, leaf in code.assigned))


def _held_out_data(code: _Code, forwards: list[list[str]]) -> bool:
    """LC202 without an eval() call: a forward over held-out data in a loop (its inputs named as
    held-out data, or a loop over a validation or test loader)."""
    if not code.loops:
        return False
    if any(I.held_out_input(part) for handed in forwards for name in handed for part in name.split(".")):
        return True
    return any(_loader_kind(code, name) and (subscripted or I.evaluation_data(name))
               for name, subscripted in code.loop_sources)


def _unmoved_batches(code: _Code) -> bool:
    """LC301: batches of a loader loop reach a model (or a loss function) while a model is
    moved to a device."""
    return not code.leaves.isdisjoint(I.GATE_MOVES) and any(_loader_kind(code, name) for name, _ in code.loop_sources)


# ---- cross-file analysis -------------------------------------------------------------------------
def _reaches_project_code(code: _Code, file: str) -> bool:
    """The walker may walk code of another project file from this one: a call of an imported
    project name handed training state or `self`, a class of the file with a base class of the
    project, a method called on an object of a project class."""
    project = _project_names(code.imports, os.path.abspath(file))
    if not project:
        return False
    star = "*" in project

    def ours(name: Optional[str]) -> bool:   # `import pkg.engine` binds `pkg.engine`
        if not name:
            return False
        parts = name.split(".")
        return star or any(".".join(parts[:size]) in project for size in range(1, len(parts) + 1))

    if any(ours(base) for bases in code.classes.values() for base in bases):
        return True
    objects = {name for name, callee, leaf in code.assigned if ours(callee) and leaf[:1].isupper()}
    for callee, leaf, receiver, handed in code.calls:
        if receiver is not None and receiver in objects:
            return True
        if ours(callee) and any(name == "self" or I.kind_from_name(name) in I.GATE_TRAINING_STATE
                                for name in [*handed, *([receiver] if receiver else [])]):
            return True
    return any(ours(inner) for inner in code.chained)   # `Trainer(...).fit()`


def _project_names(imports: Iterable[tuple[int, Optional[str], list[str], list[str]]], file: str) -> set[str]:
    """The local names that the file's imports bind to files of its project ("*" for a star
    import of one); paths only, as loopcheck.static.project_modules.imports_of resolves them."""
    path = Path(file)
    root, markers = _root(path.parent)
    found: set[str] = set()
    absent: set[Path] = set(markers)
    for level, module, names, locals_ in imports:
        if not names:   # `import a.b`
            if module and module_file_in(search_folders(path, root), module.split("."), root, absent):
                found.update(locals_)
            continue
        parts = module.split(".") if module else []
        folders = package_folder(path, level, root) if level else search_folders(path, root)
        for name, local in zip(names, locals_):
            if name == "*":
                if module_file_in(folders, parts, root, absent):
                    found.add("*")
            elif module_file_in(folders, [*parts, name], root, absent) or module_file_in(folders, parts, root, absent):
                found.add(local)
    READ_BY[file] = {str(missing): ABSENT for missing in sorted(absent)}
    return found


def _root(folder: Path) -> tuple[Path, frozenset[Path]]:
    """The project root of the files of `folder`, and the root markers looked for in vain (not
    cached: a marker may appear between two checks of one process, an editor's)."""
    markers: set[Path] = set()
    return project_root(folder / "_", markers), frozenset(markers)
