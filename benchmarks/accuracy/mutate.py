"""Mutation engine for the accuracy benchmark.

For every clean script in ``corpus/`` it injects each bug class of the rule catalogue where
it applies and records, per mutant, the rule exercised, the expected code and the expected
line (1-based, in the mutated source). Mutants that do not actually introduce a bug (deleting
``eval()`` on a model without Dropout/BatchNorm, deleting the only ``zero_grad()`` of a script
that steps once, dropping ``.to(device)`` where the device is the literal ``"cpu"``...) are kept
as labelled negatives: ``expected_code`` is None and no finding of ``rule`` is expected.

Reporting positions (what ``expected_line`` points at):

=====  ==============================================================
LC101  the optimizer.step()/scaler.step() line
LC102  the zero_grad line that now sits between backward and step
LC103  the step line that now runs before backward
LC104  the scheduler.step() line
LC105  the zero_grad line
LC106  the backward line
LC107  the optimizer construction line (inside the loop)
LC201  the model forward call in validation
LC202  the model forward call in validation
LC203  the training forward call
LC301  the model (or loss) call receiving the unmoved tensor
LC304  the bare ``x.to(device)`` statement
LC401  the accumulation statement
LC108  the DistributedSampler(...) call whose set_epoch() was deleted
LC109  the loss call now given softmax probabilities
LC111  the clip call that now runs before unscale_()
LC112  the scaler.step() line whose scaler.update() was deleted
LC113  the F.dropout() call that lost training=
LC114  the epoch scheduler's step() moved to the end of the batch loop
LC115  the first backward in a loop of a script whose optimizer no longer steps
LC303  the torch.load() that lost map_location=
LC601  the regression loss call whose target was flattened to (N,) against a (N, 1) prediction
=====  ==============================================================

Corpus header comments steer the labels where source analysis cannot decide:

* ``# runnable: no`` -- the script needs packages that are not installed (lightning, accelerate,
  transformers); its mutants are static-only cases.
* ``# bench: no-mode-layers`` -- none of the script's models has Dropout/BatchNorm.
* ``# bench: cpu-only`` -- the script always runs on the CPU.
* ``# bench: negative <operator> <text> -- <reason>`` -- mutants of ``operator`` whose target
  source contains ``text`` are not bugs.
* ``# bench: expect <operator> <text> @ <anchor> [| <anchor2> ...] -- <reason>`` -- such mutants are
  bugs expected on the first line containing ``anchor``; lines with the other anchors are also
  acceptable positions.

Usage: ``python benchmarks/accuracy/mutate.py --out DIR`` writes DIR/<id>.py and
DIR/manifest.json. The corpus itself is never modified.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

MARK = "__LCMARK{}__"

OPTIMIZER_CLASSES = {
    "SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "RMSprop", "LBFGS", "Adamax", "NAdam", "RAdam",
    "SparseAdam", "ASGD", "Rprop", "Adafactor", "Lion", "LARS", "LAMB",
}
SCHEDULER_FUNCS = {
    "get_scheduler", "get_linear_schedule_with_warmup", "get_cosine_schedule_with_warmup",
    "get_constant_schedule_with_warmup", "get_polynomial_decay_schedule_with_warmup",
}
MODE_LAYER_RE = re.compile(
    r"Dropout|dropout|BatchNorm|InstanceNorm|TransformerEncoderLayer|TransformerDecoderLayer|"
    r"nn\.Transformer\b|MultiheadAttention\([^)]*dropout|self\.training"
)
# Schedulers whose length is counted in epochs (LC114) and losses that want logits (LC109).
EPOCH_SCHEDULERS = {"StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR"}
CLASS_LOSS_FUNCTIONS = {"cross_entropy", "nll_loss"}
CLASS_LOSS_MODULES = {"CrossEntropyLoss", "NLLLoss"}
CLIP_FUNCTIONS = {"clip_grad_norm_", "clip_grad_value_"}
FUNCTIONAL_DROPOUTS = {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout"}
# Elementwise regression losses that broadcast a (N, 1) prediction against a (N,) target (LC601).
REGRESSION_LOSS_FUNCTIONS = {"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"}
REGRESSION_LOSS_MODULES = {"MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss"}
TORCHVISION_MODEL_RE = re.compile(
    r"^(resnet|resnext|wide_resnet|mobilenet|efficientnet|vgg|densenet|inception|googlenet|shufflenet|"
    r"squeezenet|mnasnet|regnet|convnext|vit_|swin|alexnet|maxvit)"
)
NOT_FORWARD_ATTRS = {
    "parameters", "named_parameters", "state_dict", "load_state_dict", "train", "eval", "to", "cuda", "cpu",
    "zero_grad", "apply", "modules", "named_modules", "children", "requires_grad_", "half", "float", "double",
    "init_hidden", "register_buffer", "register_forward_hook", "buffers", "named_buffers", "type", "share_memory",
    "item", "size", "view",
}
VALIDATION_FUNC_RE = re.compile(
    r"eval|valid|test|predict|infer|estimate|score|accuracy|metric|decode|sample|generate|encode", re.I
)
LOSS_NAME_RE = re.compile(r"loss|criterion|crit$|^ce$|^mse$|nt_xent|nll|cross_entropy|bce|dice", re.I)

Node = cst.CSTNode
Block = Union[cst.IndentedBlock, cst.Module]


# --------------------------------------------------------------------------------------------
# records


@dataclass
class Mutant:
    id: str
    source_file: str
    operator: str
    rule: str
    expected_code: Optional[str]
    expected_line: Optional[int]
    runnable: bool
    note: str = ""
    # other findings that are legitimate consequences of the same edit: (code, line or None = any line)
    acceptable: list = field(default_factory=list)
    code: str = field(default="", repr=False)

    @property
    def is_bug(self) -> bool:
        return self.expected_code is not None

    def manifest_entry(self) -> dict:
        data = asdict(self)
        data.pop("code")
        return data


@dataclass
class Header:
    runnable: bool = True
    no_mode_layers: bool = False
    cpu_only: bool = False
    negatives: list = field(default_factory=list)  # (operator, text, reason)
    expects: list = field(default_factory=list)    # (operator, text, anchor, reason)


def parse_header(source: str) -> Header:
    header = Header()
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("# runnable:"):
            header.runnable = stripped.split(":", 1)[1].strip().lower() not in ("no", "false")
        elif stripped.startswith("# bench:"):
            body = stripped.split(":", 1)[1].strip()
            if body.startswith("expect "):
                spec, _, reason = body[len("expect "):].partition("--")
                operator, _, rest = spec.strip().partition(" ")
                text, _, anchor = rest.partition("@")
                header.expects.append((operator, text.strip(), anchor.strip(), reason.strip()))
                continue
            if body.startswith("negative "):
                spec, _, reason = body[len("negative "):].partition("--")
                operator, _, text = spec.strip().partition(" ")
                header.negatives.append((operator, text.strip(), reason.strip()))
                continue
            for tag in body.split():
                if tag == "no-mode-layers":
                    header.no_mode_layers = True
                elif tag == "cpu-only":
                    header.cpu_only = True
    return header


# --------------------------------------------------------------------------------------------
# small CST helpers


def dotted(expr: Optional[Node]) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


def call_of(stmt: Node) -> Optional[cst.Call]:
    """The call of an expression statement `f(...)` (or of the value of `x = f(...)`)."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


def assigned_call(stmt: Node) -> Optional[cst.Call]:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(small.value, cst.Call):
            return small.value
    return None


def method_call(call: Optional[cst.Call], attr: str) -> Optional[str]:
    """The receiver's dotted name when `call` is `<receiver>.<attr>(...)`, '' when the receiver is
    not a dotted name."""
    if call is None or not isinstance(call.func, cst.Attribute) or call.func.attr.value != attr:
        return None
    return dotted(call.func.value) or ""


def callee_name(call: cst.Call) -> str:
    name = dotted(call.func)
    return name or ""


def last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


_WALK_CACHE: dict = {}


def walk(node: Node) -> list:
    """All nodes under `node` in source order (pre-order); cached per node object."""
    key = id(node)
    hit = _WALK_CACHE.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    out: list = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    _WALK_CACHE[key] = (node, out)
    return out


def names_loaded(node: Node) -> set[str]:
    out = set()
    for n in walk(node):
        if isinstance(n, cst.Name):
            out.add(n.value)
    return out


def assign_targets(stmt: Node) -> set[str]:
    """Dotted names assigned by a statement (including tuple targets and, for compound
    statements, anything assigned inside)."""
    out: set[str] = set()

    def add_target(t: Node) -> None:
        if isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                add_target(el.value)
        elif isinstance(t, cst.StarredElement):
            add_target(t.value)
        else:
            name = dotted(t)
            if name:
                out.add(name)

    for n in walk(stmt):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                add_target(t.target)
        elif isinstance(n, (cst.AnnAssign, cst.AugAssign)):
            add_target(n.target)
        elif isinstance(n, cst.For):
            add_target(n.target)
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            add_target(n.asname.name)
    return out


def with_items_are(stmt: Node, names: Sequence[str]) -> bool:
    if not isinstance(stmt, cst.With) or len(stmt.items) != 1:
        return False
    item = stmt.items[0].item
    target = item.func if isinstance(item, cst.Call) else item
    return dotted(target) in names


NO_GRAD_NAMES = ("torch.no_grad", "torch.inference_mode", "no_grad", "inference_mode")


class _Marker(cst.CSTTransformer):
    def __init__(self, key: str) -> None:
        self.key = key
        self.done = False

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if not self.done:
            self.done = True
            return updated_node.with_changes(value=MARK.format(self.key) + updated_node.value)
        return updated_node


def _unmoved(call: cst.Call) -> cst.Call:
    """`nn.Sequential(...)` of `nn.Sequential(...).to(device)`."""
    while isinstance(call.func, cst.Attribute) and call.func.attr.value in ("to", "cuda") \
            and isinstance(call.func.value, cst.Call):
        call = call.func.value
    return call


def _ends_in_one_output(model: cst.Call) -> bool:
    """`nn.Sequential(..., nn.Linear(k, 1))`: one output per sample, shaped (N, 1)."""
    layers = [a.value for a in model.args if a.keyword is None]
    if last(callee_name(model)) != "Sequential" or not layers or not isinstance(layers[-1], cst.Call):
        return False
    final = layers[-1]
    return last(callee_name(final)) == "Linear" and len(final.args) >= 2 \
        and isinstance(final.args[1].value, cst.Integer) and final.args[1].value.value == "1"


def mark(node: Node, key: str = "") -> Node:
    """Prefix the leftmost Name of `node` with a sentinel: after code generation the sentinel's
    line is the node's line, and stripping it restores the source without moving anything."""
    return node.visit(_Marker(key))


def pass_stmt() -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(body=[cst.Pass()])


# --------------------------------------------------------------------------------------------
# the edit plan and its application


@dataclass
class Plan:
    remove: set = field(default_factory=set)              # id(stmt)
    replace_stmt: dict = field(default_factory=dict)      # id(stmt) -> callable(updated) -> list[stmt]
    before: dict = field(default_factory=dict)            # id(stmt) -> list[stmt]
    at_block_start: dict = field(default_factory=dict)    # id(block) -> list[stmt]
    wrap: dict = field(default_factory=dict)              # id(first stmt) -> (id(last stmt), factory)
    replace_node: dict = field(default_factory=dict)      # id(node) -> callable(updated) -> node
    keep: list = field(default_factory=list)              # keeps ids alive
    nodes: dict = field(default_factory=dict)             # id -> node for every key above

    def track(self, *nodes: Node) -> None:
        for n in nodes:
            self.nodes[id(n)] = n


class _Apply(cst.CSTTransformer):
    def __init__(self, plan: Plan, needed: Optional[set] = None) -> None:
        self.plan = plan
        self.needed = needed

    def on_visit(self, node: Node) -> bool:
        # only descend where the plan changes something: everything else is returned as is
        return self.needed is None or id(node) in self.needed

    def on_leave(self, original_node: Node, updated_node: Node):  # type: ignore[override]
        fn = self.plan.replace_node.get(id(original_node))
        if fn is not None:
            updated_node = fn(updated_node)
        if isinstance(original_node, (cst.IndentedBlock, cst.Module)):
            updated_node = self._rebuild(original_node, updated_node)
        return updated_node

    def _rebuild(self, original: Block, updated: Block) -> Block:
        plan = self.plan
        body: list = list(plan.at_block_start.get(id(original), []))
        i = 0
        orig_body = list(original.body)
        upd_body = list(updated.body)
        while i < len(orig_body):
            o, u = orig_body[i], upd_body[i]
            body.extend(plan.before.get(id(o), []))
            if id(o) in plan.wrap:
                last_id, factory = plan.wrap[id(o)]
                j = i
                while id(orig_body[j]) != last_id:
                    j += 1
                body.append(factory(upd_body[i:j + 1]))
                i = j + 1
                continue
            if id(o) in plan.remove:
                pass
            elif id(o) in plan.replace_stmt:
                body.extend(plan.replace_stmt[id(o)](u))
            else:
                body.append(u)
            i += 1
        if not body and isinstance(original, cst.IndentedBlock):
            body = [pass_stmt()]
        return updated.with_changes(body=body)


def render(module: cst.Module, plan: Plan, parents: Optional[dict] = None, by_id: Optional[dict] = None) -> tuple[str, dict]:
    """Apply the plan and return (code, {mark key: line})."""
    needed = None
    if parents is not None:
        needed = {id(module)}
        by_id = by_id or {}
        roots = [*plan.remove, *plan.replace_stmt, *plan.before, *plan.at_block_start, *plan.wrap, *plan.replace_node]
        for key in roots:
            node = by_id.get(key) or plan.nodes.get(key)
            if node is None:
                needed = None  # unknown node: fall back to a full visit
                break
            while node is not None:
                needed.add(id(node))
                node = parents.get(node)
    new = module.visit(_Apply(plan, needed))
    code = new.code
    lines: dict = {}
    for m in re.finditer(r"__LCMARK([A-Za-z0-9]*)__", code):
        lines.setdefault(m.group(1), code.count("\n", 0, m.start()) + 1)
    code = re.sub(r"__LCMARK[A-Za-z0-9]*__", "", code)
    return code, lines


# --------------------------------------------------------------------------------------------
# analysis of one script


@dataclass
class StmtInfo:
    node: Node
    block: Block
    index: int
    func: Optional[cst.FunctionDef]     # innermost enclosing function
    cls: Optional[cst.ClassDef]         # class of that function, if a method
    loops: tuple                        # enclosing For/While, outermost first (inside `func`)
    no_grad: bool                       # lexically under no_grad()/inference_mode()


class Script:
    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = source
        self.header = parse_header(source)
        self.module = cst.parse_module(source)
        self.wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        self.parents = self.wrapper.resolve(ParentNodeProvider)
        self.positions = self.wrapper.resolve(PositionProvider)
        self.stmts: list[StmtInfo] = []
        self.info: dict[int, StmtInfo] = {}
        self.functions: dict[str, list[cst.FunctionDef]] = {}
        self.func_class: dict[int, Optional[cst.ClassDef]] = {}
        self.classes: dict[str, cst.ClassDef] = {}
        self._index(self.module, None, None, (), False)
        self.by_id = {id(n): n for n in walk(self.module)}
        self._classify_names()

    # ----- indexing

    def _index(self, block: Block, func, cls, loops: tuple, no_grad: bool) -> None:
        for i, stmt in enumerate(block.body):
            info = StmtInfo(stmt, block, i, func, cls, loops, no_grad)
            self.stmts.append(info)
            self.info[id(stmt)] = info
            if isinstance(stmt, cst.FunctionDef):
                self.functions.setdefault(stmt.name.value, []).append(stmt)
                self.func_class[id(stmt)] = cls
                decorated = any(self._is_no_grad_expr(d.decorator) for d in stmt.decorators)
                self._index(stmt.body, stmt, cls, (), decorated)
            elif isinstance(stmt, cst.ClassDef):
                self.classes[stmt.name.value] = stmt
                self._index(stmt.body, None, stmt, (), False)
            elif isinstance(stmt, (cst.For, cst.While)):
                self._index(stmt.body, func, cls, loops + (stmt,), no_grad)
                if stmt.orelse is not None:
                    self._index(stmt.orelse.body, func, cls, loops, no_grad)
            elif isinstance(stmt, cst.If):
                self._index(stmt.body, func, cls, loops, no_grad)
                orelse = stmt.orelse
                while orelse is not None:
                    self._index(orelse.body, func, cls, loops, no_grad)
                    orelse = orelse.orelse if isinstance(orelse, cst.If) else None
            elif isinstance(stmt, cst.With):
                inner = no_grad or any(self._is_no_grad_expr(it.item) for it in stmt.items)
                self._index(stmt.body, func, cls, loops, inner)
            elif isinstance(stmt, cst.Try):
                self._index(stmt.body, func, cls, loops, no_grad)
                for h in stmt.handlers:
                    self._index(h.body, func, cls, loops, no_grad)
                if stmt.orelse is not None:
                    self._index(stmt.orelse.body, func, cls, loops, no_grad)
                if stmt.finalbody is not None:
                    self._index(stmt.finalbody.body, func, cls, loops, no_grad)

    @staticmethod
    def _is_no_grad_expr(expr: Node) -> bool:
        target = expr.func if isinstance(expr, cst.Call) else expr
        return dotted(target) in NO_GRAD_NAMES

    def line(self, node: Node) -> int:
        return self.positions[node].start.line

    def code_of(self, node: Node) -> str:
        return self.module.code_for_node(node).strip()

    def stmt_of(self, node: Node) -> Node:
        """The innermost statement (simple or compound) containing `node`."""
        cur = node
        while id(cur) not in self.info:
            cur = self.parents[cur]
        return cur

    def enclosing_function(self, node: Node) -> Optional[cst.FunctionDef]:
        return self.info[id(self.stmt_of(node))].func

    # ----- what the names are

    def _ctor_kind(self, call: cst.Call) -> Optional[str]:
        name = callee_name(call)
        short = last(name)
        if short in OPTIMIZER_CLASSES and ("optim" in name or name == short):
            return "optimizer"
        if short in SCHEDULER_FUNCS or short.endswith("LR") or short in ("ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"):
            return "scheduler"
        if short in self.functions:
            text = "\n".join(self.module.code_for_node(f) for f in self.functions[short])
            if "lr_scheduler" in text:
                return "scheduler"
        if "GradScaler" in name:
            return "scaler"
        return None

    def _classify_names(self) -> None:
        self.kinds: dict[str, str] = {}
        self.opt_params: dict[str, set] = {}      # optimizer -> model names whose parameters it holds
        self.sched_opt: dict[str, str] = {}
        self.opt_ctor: dict[str, list] = {}       # optimizer -> construction statements
        for n in walk(self.module):
            if not isinstance(n, cst.Assign) or len(n.targets) != 1:
                continue
            target = n.targets[0].target
            value = n.value
            if isinstance(target, cst.Tuple) and isinstance(value, cst.Call) and last(callee_name(value)) == "prepare":
                for el, arg in zip(target.elements, value.args):
                    tn, an = dotted(el.value), dotted(arg.value)
                    if tn and an and an in self.kinds:
                        self.kinds[tn] = self.kinds[an]
                continue
            tname = dotted(target)
            if not tname or not isinstance(value, cst.Call):
                continue
            kind = self._ctor_kind(value)
            if kind is None:
                continue
            self.kinds[tname] = kind
            if kind == "optimizer":
                owners = set()
                for m in walk(value):
                    if isinstance(m, cst.Call) and method_call(m, "parameters"):
                        owners.add(method_call(m, "parameters"))
                self.opt_params.setdefault(tname, set()).update(owners)
                self.opt_ctor.setdefault(tname, []).append(self.stmt_of(n))
            elif kind == "scheduler" and value.args:
                first = dotted(value.args[0].value)
                if first:
                    self.sched_opt[tname] = first
        # model names: anything whose .parameters()/.train()/.eval() is called, minus optimizers etc.
        self.models: set[str] = set()
        for n in walk(self.module):
            if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
                recv = dotted(n.func.value)
                if recv and n.func.attr.value in ("parameters", "named_parameters", "train", "eval", "zero_grad",
                                                  "load_state_dict", "state_dict", "named_modules", "modules", "apply"):
                    if self.kinds.get(recv) is None and not recv.endswith("optimizer"):
                        self.models.add(recv)
            if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.value, cst.Call):
                t = dotted(n.targets[0].target)
                if t and self.constructs_module(n.value):
                    self.models.add(t)
        self.models -= {k for k, v in self.kinds.items() if v in ("optimizer", "scheduler", "scaler")}

    def constructs_module(self, call: cst.Call) -> bool:
        while isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in (
                "to", "cuda", "train", "eval"):
            if not isinstance(call.func.value, cst.Call):
                return False
            call = call.func.value
        if not isinstance(call, cst.Call):
            return False
        name = callee_name(call)
        short = last(name)
        if short in ("DDP", "DistributedDataParallel", "DataParallel"):
            return True
        if TORCHVISION_MODEL_RE.match(short) or short in ("from_pretrained", "create_model"):
            return True
        if name.startswith(("nn.", "torch.nn.")) and short[:1].isupper() and not short.endswith("Loss"):
            return True
        if short in self.classes:
            bases = " ".join(self.module.code_for_node(b) for b in self.classes[short].bases)
            return "Module" in bases
        if short in self.functions:
            text = "\n".join(self.module.code_for_node(f) for f in self.functions[short])
            return "return" in text and ("nn.Sequential" in text or bool(TORCHVISION_MODEL_RE.search(text))
                                         or any(re.search(rf"\b{c}\(", text) for c, cd in self.classes.items()
                                                if "Module" in " ".join(self.module.code_for_node(b) for b in cd.bases)))
        return False

    def kind_of(self, name: str) -> Optional[str]:
        if name in self.kinds:
            return self.kinds[name]
        short = last(name).lower()
        if "sched" in short:
            return "scheduler"
        if "scaler" in short:
            return "scaler"
        if short.startswith("opt") or short.endswith("opt") or "optim" in short:
            return "optimizer"
        return None

    def is_model(self, name: Optional[str]) -> bool:
        if not name:
            return False
        if name in self.models:
            return True
        return last(name) in {last(m) for m in self.models}

    def optimizers(self) -> set[str]:
        return {k for k, v in self.kinds.items() if v == "optimizer"}

    # ----- statement classification

    def backward_loss(self, stmt: Node) -> Optional[str]:
        """The loss variable of a backward statement, '' when it is not a plain name."""
        call = call_of(stmt)
        if call is None:
            return None
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "backward":
            recv = call.func.value
            if dotted(recv) in ("accelerator", "self.accelerator", "torch.autograd"):
                return dotted(call.args[0].value) or "" if call.args else ""
            root = recv
            while True:
                if isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute) and last(dotted(root.func) or "") == "scale" and root.args:
                    root = root.args[0].value
                elif isinstance(root, cst.BinaryOperation):
                    root = root.left
                elif isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute):
                    root = root.func.value
                else:
                    break
            return dotted(root) or ""
        if last(callee_name(call)) == "manual_backward" and call.args:
            return dotted(call.args[0].value) or ""
        return None

    def is_backward(self, stmt: Node) -> bool:
        return self.backward_loss(stmt) is not None

    def step_target(self, stmt: Node) -> Optional[str]:
        """The optimizer stepped by `opt.step(...)` / `scaler.step(opt)` (plain or assigned)."""
        call = call_of(stmt) or assigned_call(stmt)
        recv = method_call(call, "step")
        if recv is None or not recv:
            return None
        kind = self.kind_of(recv)
        if kind == "scaler" or (kind is None and "scaler" in recv.lower()):
            return dotted(call.args[0].value) if call.args else None
        if kind == "optimizer":
            return recv
        return None

    def scheduler_step(self, stmt: Node) -> Optional[str]:
        call = call_of(stmt)
        recv = method_call(call, "step")
        if recv and self.kind_of(recv) == "scheduler":
            return recv
        return None

    def clear_target(self, stmt: Node) -> Optional[str]:
        """The receiver of a gradient clear: `x.zero_grad(...)` or a `for p in m.parameters(): p.grad = None` loop."""
        recv = method_call(call_of(stmt), "zero_grad")
        if recv:
            return recv
        if isinstance(stmt, cst.For) and isinstance(stmt.iter, cst.Call):
            owner = method_call(stmt.iter, "parameters")
            body = stmt.body.body
            if owner and len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine):
                small = body[0].body[0]
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.Name) and small.value.value == "None":
                    t = small.targets[0].target
                    if isinstance(t, cst.Attribute) and t.attr.value == "grad":
                        return owner
        return None

    def optimizers_of_clear(self, recv: str) -> set[str]:
        if self.kind_of(recv) == "optimizer":
            return {recv}
        owners = {o for o, models in self.opt_params.items() if recv in models or last(recv) in {last(m) for m in models}}
        if owners:
            return owners
        return self.optimizers() if len(self.optimizers()) == 1 else set()

    def same_optimizer(self, a: str, b: str) -> bool:
        return a == b or last(a) == last(b)

    def mode_call(self, stmt: Node) -> Optional[tuple[str, bool]]:
        """(model, training) for a bare `m.train()`, `m.train(True/False)` or `m.eval()`."""
        call = call_of(stmt)
        if call is None or not isinstance(call.func, cst.Attribute):
            return None
        recv = dotted(call.func.value)
        if not recv:
            return None
        attr = call.func.attr.value
        if attr == "eval" and not call.args:
            return recv, False
        if attr == "train":
            if not call.args:
                return recv, True
            val = call.args[0].value
            if isinstance(val, cst.Name) and val.value in ("True", "False"):
                return recv, val.value == "True"
        return None

    # ----- control flow helpers

    def loops_of(self, node: Node) -> tuple:
        return self.info[id(self.stmt_of(node))].loops

    def functions_called(self, node: Node, cls: Optional[cst.ClassDef]) -> list[cst.FunctionDef]:
        out = []
        for n in walk(node):
            if isinstance(n, cst.Call):
                out.extend(self.resolve_call(n, cls))
        return out

    def resolve_call(self, call: cst.Call, cls: Optional[cst.ClassDef]) -> list[cst.FunctionDef]:
        if isinstance(call.func, cst.Name):
            return [f for f in self.functions.get(call.func.value, []) if self.func_class.get(id(f)) is None]
        if isinstance(call.func, cst.Attribute) and dotted(call.func.value) == "self" and cls is not None:
            return [f for f in self.functions.get(call.func.attr.value, []) if self.func_class.get(id(f)) is cls]
        return []

    def reach(self, node: Node, cls: Optional[cst.ClassDef], depth: int = 3) -> list[Node]:
        """`node` plus the bodies of local functions it calls (transitively, up to `depth`)."""
        key = (id(node), id(cls), depth)
        cache = self.__dict__.setdefault("_reach_cache", {})
        if key not in cache:
            cache[key] = self._reach(node, cls, depth)
        return cache[key]

    def _reach(self, node: Node, cls: Optional[cst.ClassDef], depth: int) -> list[Node]:
        out = [node]
        seen = {id(node)}
        frontier = [(node, cls)]
        for _ in range(depth):
            nxt = []
            for n, c in frontier:
                for f in self.functions_called(n, c):
                    if id(f) not in seen:
                        seen.add(id(f))
                        out.append(f)
                        nxt.append((f, self.func_class.get(id(f))))
            frontier = nxt
        return out

    def reaches(self, node: Node, target: Node, cls) -> bool:
        key = (id(node), id(cls))
        cache = self.__dict__.setdefault("_reach_ids", {})
        if key not in cache:
            cache[key] = {id(n) for r in self.reach(node, cls) for n in walk(r)}
        return id(target) in cache[key]

    def runs_repeatedly(self, stmt: Node) -> bool:
        """Is `stmt` inside a loop, or in a function called from a loop (or a per-batch hook)?"""
        info = self.info[id(stmt)]
        if info.loops:
            return True
        func = info.func
        seen = set()
        while func is not None and id(func) not in seen:
            seen.add(id(func))
            if func.name.value in ("training_step", "train_step", "training_step_end"):
                return True
            callers = self.callers_of(func)
            if any(self.info[id(c)].loops for c in callers):
                return True
            # one caller up
            func = self.info[id(callers[0])].func if callers else None
        return False

    def callers_of(self, func: cst.FunctionDef) -> list[Node]:
        cache = self.__dict__.setdefault("_callers", {})
        if id(func) not in cache:
            cache[id(func)] = self._callers_of(func)
        return cache[id(func)]

    def _callers_of(self, func: cst.FunctionDef) -> list[Node]:
        out = []
        cls = self.func_class.get(id(func))
        for info in self.stmts:
            if isinstance(info.node, (cst.FunctionDef, cst.ClassDef)):
                continue
            for n in walk(info.node) if not isinstance(info.node, (cst.For, cst.While, cst.If, cst.With, cst.Try)) else self._header_nodes(info.node):
                if isinstance(n, cst.Call) and func in self.resolve_call(n, info.cls):
                    out.append(info.node)
                    break
                if isinstance(n, cst.Name) and n.value == func.name.value and cls is None and not isinstance(self.parents.get(n), cst.FunctionDef):
                    # passed as a value (e.g. optimizer.step(closure))
                    if isinstance(self.parents.get(n), cst.Arg):
                        out.append(info.node)
                        break
        return out

    @staticmethod
    def _header_nodes(stmt: Node) -> Iterator[Node]:
        """Nodes of a compound statement's header only (its body statements are indexed on their own)."""
        if isinstance(stmt, cst.For):
            yield from walk(stmt.iter)
        elif isinstance(stmt, (cst.While, cst.If)):
            yield from walk(stmt.test)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                yield from walk(item)

    def statements_after(self, stmt: Node, wrap_loops: bool = True) -> Iterator[Node]:
        """Statements that run after `stmt` in its function: the rest of its block, then the
        rest of the enclosing blocks; a loop body wraps around to its start once."""
        cur = stmt
        while True:
            info = self.info.get(id(cur))
            if info is None:
                return
            block = info.block
            yield from block.body[info.index + 1:]
            owner = self.parents.get(block)
            if owner is None or isinstance(owner, (cst.FunctionDef, cst.ClassDef)) or isinstance(block, cst.Module):
                return
            # the compound statement that owns this block
            comp = owner
            while id(comp) not in self.info:
                comp = self.parents[comp]
            if isinstance(comp, (cst.For, cst.While)) and wrap_loops and block is comp.body:
                yield from block.body[: info.index + 1]
            cur = comp

    # ----- forward-call search

    def forward_calls(self, node: Node, model: str, allow_attr: bool = True) -> Iterator[cst.Call]:
        for n in walk(node):
            if not isinstance(n, cst.Call):
                continue
            name = dotted(n.func)
            if name == model:
                yield n
            elif allow_attr and isinstance(n.func, cst.Attribute) and dotted(n.func.value) == model \
                    and n.func.attr.value not in NOT_FORWARD_ATTRS:
                yield n

    def first_forward(self, stmts: Iterable[Node], model: str, cls, depth: int = 2,
                      stop: Optional[Callable[[Node], bool]] = None) -> Optional[cst.Call]:
        for stmt in stmts:
            if stop is not None and stop(stmt):
                return None
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            for n in walk(stmt):
                if stop is not None and n is not stmt and id(n) in self.info and stop(n):
                    return None
                if not isinstance(n, cst.Call):
                    continue
                name = dotted(n.func)
                if name == model:
                    return n
                if isinstance(n.func, cst.Attribute) and dotted(n.func.value) == model and n.func.attr.value not in NOT_FORWARD_ATTRS:
                    return n
                if depth > 0:
                    for f in self.resolve_call(n, cls):
                        inner_model = self._map_model_into(n, f, model)
                        if inner_model is None:
                            continue
                        found = self.first_forward(f.body.body, inner_model, self.func_class.get(id(f)), depth - 1, stop)
                        if found is not None:
                            return found
        return None

    @staticmethod
    def _map_model_into(call: cst.Call, func: cst.FunctionDef, model: str) -> Optional[str]:
        if model.startswith("self."):
            return model if isinstance(call.func, cst.Attribute) else None
        params = [p.name.value for p in func.params.params]
        if params and params[0] == "self":
            params = params[1:]
        for i, arg in enumerate(call.args):
            if dotted(arg.value) == model:
                if arg.keyword is not None:
                    return arg.keyword.value
                if i < len(params):
                    return params[i]
        # a module-level model used as a global inside the function
        if "." not in model and model not in params:
            return model
        return None

    def mode_stmts_reached(self, root: Node, model: str, training: bool, cls, depth: int = 3) -> list[Node]:
        """Mode statements (`model.train()`/`.eval()`) run by `root`, following the model into called functions."""
        out = []
        for n in walk(root):
            if id(n) in self.info:
                mc = self.mode_call(n)
                if mc and mc[1] == training and (mc[0] == model or last(mc[0]) == last(model)):
                    out.append(n)
            if isinstance(n, cst.Call) and depth > 0:
                for f in self.resolve_call(n, cls):
                    inner = self._map_model_into(n, f, model)
                    if inner:
                        out.extend(self.mode_stmts_reached(f, inner, training, self.func_class.get(id(f)), depth - 1))
        return out

    def mode_before(self, stmt: Node, model: str) -> Optional[bool]:
        """The mode `model` is surely in just before `stmt` runs, from the mode calls that precede it
        in its function (None: unknown, or only set under a condition)."""
        cur = stmt
        while True:
            info = self.info.get(id(cur))
            if info is None:
                return None
            for prev in reversed(info.block.body[: info.index]):
                if isinstance(prev, (cst.FunctionDef, cst.ClassDef)):
                    continue
                found = self.mode_stmts_reached(prev, model, False, info.cls) + self.mode_stmts_reached(prev, model, True, info.cls)
                if found:
                    last_stmt = max(found, key=lambda n: self.line(n) if self.enclosing_function(n) is info.func else -1)
                    if self.enclosing_function(last_stmt) is not info.func:
                        return None
                    # conditional on the way down from `prev`?
                    walker = last_stmt
                    while walker is not prev:
                        walker = self.parents[walker]
                        if isinstance(walker, (cst.If, cst.Try)):
                            return None
                    return self.mode_call(last_stmt)[1]
            owner = self.parents.get(info.block)
            if owner is None or isinstance(owner, (cst.FunctionDef, cst.ClassDef)) or isinstance(info.block, cst.Module):
                return None
            comp = owner
            while id(comp) not in self.info:
                comp = self.parents[comp]
            if isinstance(comp, (cst.If, cst.Try)):
                # fine: what ran before the `if` still holds inside it
                pass
            cur = comp

    # ----- models

    def ctor_values(self, model: str) -> list[Node]:
        """Right-hand sides of the assignments to names ending like `model` (x, self.x, ...)."""
        short = last(model)
        out = []
        for n in walk(self.module):
            if isinstance(n, cst.Assign) and len(n.targets) == 1:
                t = dotted(n.targets[0].target)
                if t and last(t) == short:
                    out.append(n.value)
        return out

    def _expand(self, expr: Node, seen: set) -> str:
        """Source of `expr` plus the source of local classes/functions it references (transitively)."""
        text = self.module.code_for_node(expr)
        for name in self.free_names(expr):
            if name in seen:
                continue
            seen.add(name)
            if name in self.classes:
                text += "\n" + self._expand(self.classes[name], seen)
            elif name in self.functions:
                for f in self.functions[name]:
                    if self.func_class.get(id(f)) is None:
                        text += "\n" + self._expand(f, seen)
        return text

    def free_names(self, node: Node) -> set[str]:
        """Names used as variables (not attribute parts, keywords or definition names)."""
        out = set()
        for n in walk(node):
            if not isinstance(n, cst.Name):
                continue
            parent = self.parents.get(n)
            if isinstance(parent, cst.Attribute) and parent.attr is n:
                continue
            if isinstance(parent, cst.Arg) and parent.keyword is n:
                continue
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param)):
                continue
            out.add(n.value)
        return out

    def _ctor_mode(self, expr: Node, seen: set) -> Optional[bool]:
        """Does the module built by `expr` have mode-dependent layers? None when unknown."""
        while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in (
                "to", "cuda", "cpu", "train", "eval", "float", "half", "requires_grad_", "double"):
            expr = expr.func.value
        if isinstance(expr, (cst.Name, cst.Attribute)):
            name = dotted(expr)
            if not name or name in seen:
                return None
            seen.add(name)
            results = [self._ctor_mode(v, seen) for v in self.ctor_values(name)]
            if any(r is True for r in results):
                return True
            if results and all(r is False for r in results):
                return False
            return None
        if not isinstance(expr, cst.Call):
            return None
        name = callee_name(expr)
        short = last(name)
        if short in ("DDP", "DistributedDataParallel", "DataParallel", "deepcopy", "compile") and expr.args:
            return self._ctor_mode(expr.args[0].value, seen)
        if TORCHVISION_MODEL_RE.match(short):
            return True
        if short in self.classes or short in self.functions or name.startswith(("nn.", "torch.nn.")):
            return bool(MODE_LAYER_RE.search(self._expand(expr, set())))
        return None

    def has_mode_layers(self, model: str) -> bool:
        if self.header.no_mode_layers:
            return False
        results = [self._ctor_mode(v, {model}) for v in self.ctor_values(model)]
        if any(r is True for r in results):
            return True
        if results and all(r is False for r in results):
            return False
        # unknown (an external constructor such as from_pretrained): assume it has the usual layers
        return True

    def is_frozen(self, model: str) -> bool:
        """All of `model`'s parameters are frozen (and none were added afterwards)."""
        short = last(model)
        frozen_at = None
        for n in walk(self.module):
            if isinstance(n, cst.Call) and method_call(n, "requires_grad_") is not None:
                recv = method_call(n, "requires_grad_")
                if recv and last(recv) == short and n.args and dotted(n.args[0].value) == "False":
                    frozen_at = self.line(n)
            if isinstance(n, cst.For) and isinstance(n.iter, cst.Call) and method_call(n.iter, "parameters"):
                owner = method_call(n.iter, "parameters")
                body = self.module.code_for_node(n.body)
                if owner and last(owner) == short and ("requires_grad = False" in body or "requires_grad_(False)" in body):
                    frozen_at = self.line(n)
        if frozen_at is None:
            return False
        for n in walk(self.module):
            if isinstance(n, cst.Assign) and self.line(n) > frozen_at:
                for t in n.targets:
                    name = dotted(t.target)
                    if name and name.startswith(short + ".") and name.count(".") == 1:
                        return False
        return True

    def cpu_only(self) -> bool:
        if self.header.cpu_only:
            return True
        return bool(re.search(r"""\bdevice\s*=\s*(["']cpu["']|torch\.device\(["']cpu["']\))""", self.source)) \
            and "cuda" not in self.source

    def loss_like(self, call: cst.Call) -> bool:
        name = callee_name(call)
        if not name:
            return False
        if LOSS_NAME_RE.search(last(name)):
            return True
        return name.startswith(("F.", "nn.functional.", "torch.nn.functional.")) and LOSS_NAME_RE.search(name) is not None


# --------------------------------------------------------------------------------------------
# operators


class Generator:
    def __init__(self, script: Script) -> None:
        self.s = script
        self.out: list[Mutant] = []
        self.counter: dict[str, int] = {}

    def emit(self, operator: str, rule: str, plan: Plan, bug: bool, note: str = "",
             acceptable: Sequence[tuple] = (), target_text: str = "") -> Optional[Mutant]:
        s = self.s
        try:
            code, lines = render(s.module, plan, s.parents, s.by_id)
        except Exception as exc:  # pragma: no cover - a broken plan is an engine bug
            print(f"warning: {s.path.name}: {operator} failed to render: {exc}", file=sys.stderr)
            return None
        for op, text, reason in s.header.negatives:
            if op == operator and text and text in target_text:
                bug, note = False, reason or note
        expected_line = lines.get("")
        extra_ok = []
        for op, text, anchor, reason in s.header.expects:
            if op == operator and text and text in target_text:
                anchors = [a.strip() for a in anchor.split("|")]
                found = [[i + 1 for i, ln in enumerate(code.splitlines()) if a in ln and not ln.lstrip().startswith("#")]
                         for a in anchors]
                if found and found[0]:
                    bug, note, expected_line = True, reason, found[0][0]
                    extra_ok = [(rule, hits[0]) for hits in found[1:] if hits]
        if expected_line is None:
            print(f"warning: {s.path.name}: {operator} lost its mark", file=sys.stderr)
            return None
        accepted = [[c, ln] for c, ln in extra_ok]
        for code_, key in acceptable:
            accepted.append([code_, lines.get(key) if key is not None else None])
        n = self.counter.get(operator, 0) + 1
        self.counter[operator] = n
        mutant = Mutant(
            id=f"{s.path.stem}__{operator}_{n}",
            source_file=f"corpus/{s.path.name}",
            operator=operator,
            rule=rule,
            expected_code=rule if bug else None,
            expected_line=expected_line if bug else None,
            runnable=s.header.runnable,
            note=note,
            acceptable=accepted,
            code=code,
        )
        if not bug:
            mutant.note = note or "not a bug"
            # keep the position for reference
            mutant.acceptable.append(["target_line", expected_line])
        self.out.append(mutant)
        return mutant

    # -- gradient-clearing family ---------------------------------------------------------

    def clears(self) -> list[tuple[Node, str, set]]:
        out = []
        for info in self.s.stmts:
            recv = self.s.clear_target(info.node)
            if recv:
                out.append((info.node, recv, self.s.optimizers_of_clear(recv)))
        return out

    def steps_of(self, optimizer: str) -> list[Node]:
        return [i.node for i in self.s.stmts if (t := self.s.step_target(i.node)) and self.s.same_optimizer(t, optimizer)]

    def backwards(self) -> list[Node]:
        return [i.node for i in self.s.stmts if self.s.is_backward(i.node)]

    def pick_step(self, clear: Node, optimizer: str) -> Optional[Node]:
        steps = self.steps_of(optimizer)
        if not steps:
            return None
        func = self.s.info[id(clear)].func
        same = [st for st in steps if self.s.info[id(st)].func is func]
        if same:
            return same[0]
        # a clear inside an LBFGS closure: the step that receives the closure
        if func is not None:
            for st in steps:
                call = call_of(st) or assigned_call(st)
                if call and any(dotted(a.value) == func.name.value for a in call.args):
                    return st
        return steps[0]

    def removal_plan(self, stmt: Node, plan: Plan) -> None:
        """Remove `stmt`; an `if` left with an empty body (and no else) goes with it."""
        info = self.s.info[id(stmt)]
        block = info.block
        remaining = [b for b in block.body if id(b) not in plan.remove and b is not stmt]
        owner = self.s.parents.get(block)
        if not remaining and isinstance(owner, cst.If) and owner.orelse is None:
            self.removal_plan(owner, plan)
            return
        plan.remove.add(id(stmt))
        plan.keep.append(stmt)

    def op_delete_zero_grad(self) -> None:
        s = self.s
        clears = self.clears()
        for clear, recv, opts in clears:
            for opt in sorted(opts):
                step = self.pick_step(clear, opt)
                if step is None:
                    continue
                plan = Plan()
                self.removal_plan(clear, plan)
                plan.replace_node[id(step)] = lambda u: mark(u)
                bug, note = True, ""
                step_call = call_of(step) or assigned_call(step)
                has_closure = bool(step_call and step_call.args and s.kind_of(method_call(step_call, "step") or "") == "optimizer")
                if not s.runs_repeatedly(step) and not has_closure:
                    bug, note = False, "the optimizer steps only once: there is nothing to accumulate"
                # another clear of the same optimizer still runs each iteration of the step's loop
                step_loops = s.info[id(step)].loops
                for other, orecv, oopts in clears:
                    if other is clear or opt not in oopts:
                        continue
                    oloops = s.info[id(other)].loops
                    if step_loops and (step_loops[-1] in oloops or s.reaches(step_loops[-1], other, s.info[id(step)].cls)):
                        bug, note = False, f"another clear ({s.code_of(other)}) still runs in every iteration"
                    elif not step_loops and s.info[id(other)].func is s.info[id(step)].func:
                        bug, note = False, f"another clear ({s.code_of(other)}) remains"
                self.emit("delete_zero_grad", "LC101", plan, bug, note, target_text=s.code_of(clear))

    def backward_before(self, step: Node, opt: str) -> Optional[Node]:
        """A backward that runs before `step` in the same iteration (same function, same innermost loop)."""
        s = self.s
        sinfo = s.info[id(step)]
        best = None
        for b in self.backwards():
            binfo = s.info[id(b)]
            if binfo.func is not sinfo.func or s.line(b) >= s.line(step):
                continue
            if sinfo.loops and sinfo.loops[-1] not in binfo.loops:
                continue
            best = b
        return best

    def op_zero_grad_between(self) -> None:
        s = self.s
        for clear, recv, opts in self.clears():
            if call_of(clear) is None:
                continue
            for opt in sorted(opts):
                step = self.pick_step(clear, opt)
                if step is None or s.info[id(step)].func is not s.info[id(clear)].func:
                    continue
                if self.backward_before(step, opt) is None:
                    continue
                plan = Plan()
                self.removal_plan(clear, plan)
                plan.before.setdefault(id(step), []).append(mark(clear.with_changes(leading_lines=[])))
                self.emit("zero_grad_between_backward_and_step", "LC102", plan, True, target_text=s.code_of(clear))

    def op_swap_backward_step(self) -> None:
        s = self.s
        for info in s.stmts:
            opt = s.step_target(info.node)
            if not opt:
                continue
            step = info.node
            block = info.block
            idx = info.index
            back = None
            for j in range(idx - 1, -1, -1):
                st = block.body[j]
                if s.is_backward(st):
                    back = st
                    break
                if s.step_target(st):
                    break
            if back is None:
                continue
            plan = Plan()
            plan.keep += [step, back]
            plan.replace_stmt[id(back)] = lambda u, step=step: [mark(step)]
            plan.replace_stmt[id(step)] = lambda u, back=back: [back]
            self.emit("swap_backward_step", "LC103", plan, True, target_text=s.code_of(step))

    def op_scheduler_early(self) -> None:
        s = self.s
        for info in s.stmts:
            sched = s.scheduler_step(info.node)
            if not sched or call_of(info.node).args:
                continue
            opt = s.sched_opt.get(sched)
            candidates = [o for o in s.optimizers() if opt is None or s.same_optimizer(o, opt)]
            steps = [st for o in candidates for st in self.steps_of(o) if s.info[id(st)].func is info.func]
            plan = Plan()
            plan.keep.append(info.node)
            per_batch = [st for st in steps if (s.info[id(st)].loops[-1:] == info.loops[-1:]) and info.loops]
            if per_batch:
                step = per_batch[0]
                self.removal_plan(info.node, plan)
                plan.before.setdefault(id(step), []).append(mark(info.node.with_changes(leading_lines=[])))
                self.emit("scheduler_before_step", "LC104", plan, True, note="per-batch scheduler moved before optimizer.step()",
                          target_text=s.code_of(info.node))
            elif info.loops:
                loop = info.loops[-1]
                if info.block is loop.body and info.index == 0:
                    continue
                self.removal_plan(info.node, plan)
                plan.at_block_start.setdefault(id(loop.body), []).append(mark(info.node.with_changes(leading_lines=[])))
                self.emit("scheduler_top_of_epoch", "LC104", plan, True, note="epoch scheduler moved to the top of the epoch loop",
                          target_text=s.code_of(info.node))

    def op_accumulation_discarded(self) -> None:
        s = self.s
        for clear, recv, opts in self.clears():
            if call_of(clear) is None:
                continue
            cinfo = s.info[id(clear)]
            for opt in sorted(opts):
                step = self.pick_step(clear, opt)
                if step is None or s.info[id(step)].func is not cinfo.func:
                    continue
                sinfo = s.info[id(step)]
                if not sinfo.loops:
                    continue
                loop = sinfo.loops[-1]
                step_guarded = sinfo.block is not loop.body
                backs = [b for b in self.backwards() if s.info[id(b)].func is sinfo.func]
                # form A: step under an `if` in the loop that also runs backward; the clear is guarded too
                if step_guarded and any(loop in s.info[id(b)].loops and s.info[id(b)].block is loop.body for b in backs) \
                        and loop in cinfo.loops and cinfo.block is not loop.body:
                    plan = Plan()
                    self.removal_plan(clear, plan)
                    plan.at_block_start.setdefault(id(loop.body), []).append(mark(clear.with_changes(leading_lines=[])))
                    self.emit("accumulation_clear_every_iteration", "LC105", plan, True,
                              note="zero_grad made unconditional at the top of the accumulation loop", target_text=s.code_of(clear))
                    continue
                # form B (nanoGPT): backward in an inner micro-step loop, step + clear in the outer loop body
                inner = [s.info[id(b)].loops[-1] for b in backs if s.info[id(b)].loops and s.info[id(b)].loops[-1] is not loop
                         and loop in s.info[id(b)].loops]
                outer_backs = [b for b in backs if s.info[id(b)].loops and s.info[id(b)].loops[-1] is loop]
                if inner and not outer_backs and not step_guarded and cinfo.block is sinfo.block:
                    plan = Plan()
                    self.removal_plan(clear, plan)
                    plan.at_block_start.setdefault(id(inner[0].body), []).append(mark(clear.with_changes(leading_lines=[])))
                    self.emit("accumulation_clear_every_iteration", "LC105", plan, True,
                              note="zero_grad moved into the micro-step loop", target_text=s.code_of(clear))

    # -- no_grad around the training step ---------------------------------------------------

    def barrier(self, stmt: Node) -> bool:
        s = self.s
        if isinstance(stmt, cst.With):
            return False
        if not isinstance(stmt, cst.SimpleStatementLine):
            return True
        if any(isinstance(b, (cst.Return, cst.Raise, cst.Break, cst.Continue)) for b in stmt.body):
            return True
        return bool(s.is_backward(stmt) or s.step_target(stmt) or s.clear_target(stmt) or s.scheduler_step(stmt))

    def op_wrap_no_grad(self) -> None:
        s = self.s
        for back in self.backwards():
            binfo = s.info[id(back)]
            if binfo.no_grad:
                continue
            loss = s.backward_loss(back)
            if not loss:
                continue
            block, bidx = binfo.block, binfo.index
            j = None
            for k in range(bidx - 1, -1, -1):
                st = block.body[k]
                if loss in assign_targets(st):
                    j = k
                    break
                if self.barrier(st) and not s.clear_target(st):
                    break
            if j is None:
                continue
            start = j
            k = j
            while k >= 0 and not self.barrier(block.body[k]):
                st = block.body[k]
                if any(True for n in walk(st) if isinstance(n, cst.Call) and s.is_model(dotted(n.func))):
                    start = k
                k -= 1
            first, lastst = block.body[start], block.body[j]
            wrapped = block.body[start:j + 1]
            assigned = set()
            for st in wrapped:
                assigned |= assign_targets(st)
            plan = Plan()
            plan.keep += [first, lastst]

            def factory(stmts, first=first):
                return cst.With(
                    items=[cst.WithItem(item=cst.parse_expression("torch.no_grad()"))],
                    body=cst.IndentedBlock(body=[st.with_changes(leading_lines=[]) if i == 0 else st for i, st in enumerate(stmts)]),
                    leading_lines=first.leading_lines,
                )

            plan.wrap[id(first)] = (id(lastst), factory)
            plan.replace_node[id(back)] = lambda u: mark(u)
            acceptable = []
            # other backwards whose loss now also comes from the no_grad block
            for n, other in enumerate(self.backwards()):
                if other is back or s.info[id(other)].func is not binfo.func or s.line(other) < s.line(back):
                    continue
                oloss = s.backward_loss(other)
                deps = {oloss}
                for st in reversed(s.info[id(other)].block.body[: s.info[id(other)].index]):
                    if deps & assign_targets(st):
                        deps |= names_loaded(st)
                if deps & {last(a) for a in assigned} or deps & assigned:
                    key = f"B{n}"
                    plan.replace_node[id(other)] = lambda u, key=key: mark(u, key)
                    acceptable.append(("LC106", key))
            self.emit("wrap_training_in_no_grad", "LC106", plan, True, acceptable=acceptable, target_text=s.code_of(back))

    # -- optimizer construction ------------------------------------------------------------

    def op_optimizer_in_loop(self) -> None:
        s = self.s
        module_names = set(s.functions) | set(s.classes)
        for st in s.module.body:
            if isinstance(st, (cst.SimpleStatementLine, cst.For, cst.While, cst.With, cst.If, cst.Try)):
                module_names |= {n for n in assign_targets(st) if "." not in n}
        for st in s.module.body:
            if isinstance(st, (cst.Import, cst.ImportFrom)) or (isinstance(st, cst.SimpleStatementLine) and isinstance(st.body[0], (cst.Import, cst.ImportFrom))):
                for n in walk(st):
                    if isinstance(n, cst.ImportAlias):
                        alias = n.asname.name if n.asname else n.name
                        nm = dotted(alias) if not isinstance(alias, cst.Name) else alias.value
                        if nm:
                            module_names.add(nm.split(".")[0])
        for opt, ctors in s.opt_ctor.items():
            for ctor in ctors:
                cinfo = s.info[id(ctor)]
                steps = self.steps_of(opt)
                if not steps:
                    continue
                # the innermost loop that drives the step, in the constructor's function or (for
                # attributes on self) in any method of the same class
                loops = []
                for info in s.stmts:
                    if not isinstance(info.node, (cst.For, cst.While)):
                        continue
                    if opt.startswith("self."):
                        if info.cls is not cinfo.cls:
                            continue
                    elif info.func is not cinfo.func:
                        continue
                    if s.line(info.node) < s.line(ctor) and info.func is cinfo.func:
                        continue
                    if any(s.reaches(info.node, st, info.cls) for st in steps):
                        loops.append(info)
                if not loops:
                    continue
                loops.sort(key=lambda i: -s.line(i.node))
                # innermost = the one nested deepest
                loops.sort(key=lambda i: -len(i.loops))
                dest = loops[0]
                value = ctor.body[0].value
                import builtins
                available = set(module_names) | set(dir(builtins))
                if dest.func is not None:
                    available |= {p.name.value for p in dest.func.params.params}
                    available |= {n for st in dest.func.body.body for n in assign_targets(st)}
                    for n in walk(dest.func):
                        if isinstance(n, (cst.For, cst.CompFor)):
                            available |= {x.value for x in walk(n.target) if isinstance(x, cst.Name)}
                missing = {n for n in s.free_names(value) - {"self"} if n not in available}
                if missing:
                    continue
                # move when nothing between the construction and the loop uses the optimizer
                used_between = False
                if dest.func is cinfo.func:
                    for info in s.stmts:
                        if info.func is cinfo.func and s.line(ctor) < s.line(info.node) < s.line(dest.node) \
                                and not isinstance(info.node, (cst.For, cst.While, cst.If, cst.With, cst.Try)):
                            if last(opt) in names_loaded(info.node) or opt in self._dotted_loaded(info.node):
                                used_between = True
                else:
                    used_between = True
                bug, note = True, ""
                ctor_name = last(callee_name(value))
                kwargs = {a.keyword.value: s.code_of(a.value) for a in value.args if a.keyword is not None}
                scheduled = any(v == opt or last(v) == last(opt) for v in s.sched_opt.values())
                if ctor_name == "SGD" and kwargs.get("momentum", "0") in ("0", "0.0") and not scheduled:
                    bug, note = False, "plain SGD without momentum or scheduler keeps no state: re-creating it changes nothing"
                plan = Plan()
                plan.keep.append(ctor)
                if not used_between:
                    self.removal_plan(ctor, plan)
                    note = note or "optimizer construction moved into the loop"
                else:
                    note = note or "optimizer re-created inside the loop (the original construction is kept)"
                plan.at_block_start.setdefault(id(dest.node.body), []).append(mark(ctor.with_changes(leading_lines=[])))
                self.emit("optimizer_in_loop", "LC107", plan, bug, note, target_text=s.code_of(ctor))

    @staticmethod
    def _dotted_loaded(node: Node) -> set[str]:
        return {d for n in walk(node) if isinstance(n, (cst.Attribute, cst.Name)) and (d := dotted(n))}

    # -- modes -------------------------------------------------------------------------------

    def mode_stmts(self, training: bool) -> list[tuple[Node, str]]:
        out = []
        for info in self.s.stmts:
            mc = self.s.mode_call(info.node)
            if mc and mc[1] == training:
                out.append((info.node, mc[0]))
        return out

    def op_delete_eval(self) -> None:
        s = self.s
        for stmt, model in self.mode_stmts(False):
            info = s.info[id(stmt)]

            def stop(n, model=model):
                mc = s.mode_call(n)
                return bool(mc and mc[0] == model and mc[1])

            fwd = s.first_forward(s.statements_after(stmt, wrap_loops=False), model, info.cls, stop=stop)
            note = ""
            if fwd is None:
                # e.g. a load function that returns the model in eval mode: the next call of the same name
                later = [n for n in walk(s.module) if isinstance(n, cst.Call) and dotted(n.func) and last(dotted(n.func)) == last(model)
                         and s.line(n) > s.line(stmt)]
                if not later:
                    continue
                fwd = later[0]
                note = "forward found in another function"
            plan = Plan()
            self.removal_plan(stmt, plan)
            plan.replace_node[id(fwd)] = lambda u: mark(u)
            bug = True
            if not s.has_mode_layers(model):
                bug, note = False, f"{model} has no Dropout/BatchNorm: train and eval mode compute the same thing"
            elif s.mode_before(stmt, model) is False:
                bug, note = False, f"{model} is already in eval mode here (an earlier eval() is still in force)"
            else:
                for other, om in self.mode_stmts(False):
                    if other is not stmt and om == model and s.info[id(other)].func is info.func \
                            and s.line(stmt) < s.line(other) < s.line(fwd):
                        bug, note = False, "another eval() remains before the forward"
            self.emit("delete_eval", "LC201", plan, bug, note, target_text=s.code_of(stmt))

    def no_grad_regions(self) -> Iterator[tuple[Node, str]]:
        s = self.s
        for info in s.stmts:
            node = info.node
            if isinstance(node, cst.With) and len(node.items) == 1 and s._is_no_grad_expr(node.items[0].item) \
                    and node.items[0].asname is None:
                yield node, "with"
            elif isinstance(node, cst.FunctionDef) and any(s._is_no_grad_expr(d.decorator) for d in node.decorators):
                yield node, "decorator"

    def op_delete_no_grad(self) -> None:
        s = self.s
        for region, kind in self.no_grad_regions():
            info = s.info[id(region)]
            cls = info.cls if kind == "with" else s.func_class.get(id(region))
            body = list(region.body.body)
            func = region if kind == "decorator" else info.func
            # which model runs forward in here?
            fwd, model = None, None
            for m in sorted(s.models, key=len, reverse=True):
                f = s.first_forward(body, m, cls)
                if f is not None and (fwd is None or s.line(f) < s.line(fwd)):
                    fwd, model = f, m
            if fwd is None:
                continue
            # validation context: an eval() of the model before the region in its function, or a validation-like name
            evald = False
            if kind == "with":
                for st, m in self.mode_stmts(False):
                    if last(m) == last(model) and s.info[id(st)].func is func and s.line(st) < s.line(region):
                        evald = True
                for n in walk(region):
                    if isinstance(n, cst.Call) and method_call(n, "eval") and last(method_call(n, "eval") or "") == last(model):
                        evald = True
            fname = func.name.value if func is not None else ""
            if not evald and not VALIDATION_FUNC_RE.search(fname):
                continue
            plan = Plan()
            plan.keep.append(region)
            if kind == "with":
                plan.replace_stmt[id(region)] = lambda u: [
                    st.with_changes(leading_lines=list(u.leading_lines) + list(st.leading_lines)) if i == 0 else st
                    for i, st in enumerate(u.body.body)]
            else:
                plan.replace_node[id(region)] = lambda u: u.with_changes(
                    decorators=[d for d in u.decorators if not s._is_no_grad_expr(d.decorator)],
                    leading_lines=list(u.leading_lines) + [ll for d in u.decorators if s._is_no_grad_expr(d.decorator) for ll in d.leading_lines],
                )
            plan.replace_node[id(fwd)] = lambda u: mark(u)
            acceptable = []
            for k, m in enumerate(sorted(s.models, key=len, reverse=True)):
                for j, other in enumerate(s.forward_calls(region, m)):
                    if other is not fwd and id(other) not in plan.replace_node and not s.is_frozen(m):
                        key = f"F{k}x{j}"
                        plan.replace_node[id(other)] = lambda u, key=key: mark(u, key)
                        acceptable.append(("LC202", key))
            bug, note = True, ""
            if s.is_frozen(model):
                bug, note = False, f"{model}'s parameters are all frozen and its inputs need no grad: no graph is built"
            self.emit("delete_no_grad", "LC202", plan, bug, note, acceptable=acceptable,
                      target_text=s.code_of(region) if kind == "with" else fname)

    def op_delete_train(self) -> None:
        s = self.s
        trains = self.mode_stmts(True)
        for stmt, model in trains:
            info = s.info[id(stmt)]

            def stop(n, model=model):
                mc = s.mode_call(n)
                return bool(mc and mc[0] == model and not mc[1])

            fwd = s.first_forward(s.statements_after(stmt), model, info.cls, stop=stop)
            if fwd is None and info.func is not None:
                # train() restored at the end of an evaluation helper: the forward follows the call
                for caller in s.callers_of(info.func):
                    fwd = s.first_forward(s.statements_after(caller), model, s.info[id(caller)].cls, stop=stop)
                    if fwd is not None:
                        break
            if fwd is None:
                continue
            finfo = s.info[id(s.stmt_of(fwd))]
            if finfo.no_grad:
                continue
            plan = Plan()
            self.removal_plan(stmt, plan)
            plan.replace_node[id(fwd)] = lambda u: mark(u)
            bug, note = True, ""
            drivers = [l for l in s.stmts if isinstance(l.node, (cst.For, cst.While)) and s.reaches(l.node, fwd, l.cls)]
            with_eval = [d for d in drivers if s.mode_stmts_reached(d.node, model, False, d.cls)]
            if not s.has_mode_layers(model):
                bug, note = False, f"{model} has no Dropout/BatchNorm: train and eval mode compute the same thing"
            elif with_eval:
                drv = max(with_eval, key=lambda d: len(d.loops))
                if any(t is not stmt for t in s.mode_stmts_reached(drv.node, model, True, drv.cls)):
                    bug, note = False, "another model.train() in the loop still restores train mode"
            else:
                outer = min(drivers, key=lambda d: len(d.loops)) if drivers else None
                before = []
                if outer is not None:
                    block = s.info[id(outer.node)].block
                    for st in block.body[: s.info[id(outer.node)].index]:
                        before += s.mode_stmts_reached(st, model, False, outer.cls)
                if not before:
                    bug, note = False, "eval() never runs before or during training: the model stays in its default train mode"
            self.emit("delete_train", "LC203", plan, bug, note, target_text=s.code_of(stmt))

    # -- devices -------------------------------------------------------------------------------

    DEVICE_ARG = re.compile(r"device|dev\b|cuda|accelerator", re.I)

    def to_calls(self) -> Iterator[cst.Call]:
        s = self.s
        for n in walk(s.module):
            if not isinstance(n, cst.Call) or not isinstance(n.func, cst.Attribute):
                continue
            attr = n.func.attr.value
            if attr == "cuda" and not n.args:
                pass
            elif attr == "to" and n.args and self.DEVICE_ARG.search(s.module.code_for_node(n.args[0].value)) \
                    and n.args[0].keyword is None:
                pass
            else:
                continue
            recv = n.func.value
            rname = dotted(recv)
            if rname and (s.is_model(rname) or s.kind_of(rname) or LOSS_NAME_RE.search(last(rname))):
                continue
            if not self._data_receiver(recv):
                continue
            if isinstance(recv, cst.Call) and (s.is_model(dotted(recv.func)) or self._constructs_module(recv)):
                continue
            stmt = s.stmt_of(n)
            info = s.info[id(stmt)]
            if info.func is not None and info.func.name.value in ("to_device", "move_to", "send_to_device"):
                continue
            yield n

    @staticmethod
    def _data_receiver(expr: Node) -> bool:
        """x, batch["x"], x.pin_memory(), torch.cat(xs): data, as opposed to a freshly built tensor."""
        while True:
            if isinstance(expr, cst.Name):
                return expr.value not in ("torch", "np", "numpy")
            if isinstance(expr, (cst.Attribute, cst.Subscript)):
                expr = expr.value
                continue
            if isinstance(expr, cst.Call):
                name = callee_name(expr)
                if name in ("torch.cat", "torch.stack") and expr.args:
                    expr = expr.args[0].value
                    if isinstance(expr, (cst.List, cst.Tuple)) and expr.elements:
                        expr = expr.elements[0].value
                    continue
                if isinstance(expr.func, cst.Attribute) and not name.startswith(("torch.", "np.", "numpy.")):
                    expr = expr.func.value
                    continue
            return False

    def _constructs_module(self, call: cst.Call) -> bool:
        name = callee_name(call)
        short = last(name)
        if short in self.s.classes or TORCHVISION_MODEL_RE.match(short) or (name.startswith("nn.") and short[:1].isupper()):
            return True
        if short in self.s.functions:
            text = "\n".join(self.s.module.code_for_node(f) for f in self.s.functions[short])
            return "nn." in text and "return" in text and "torch.tensor" not in text
        return False

    def receiver_calls(self, start_stmt: Node, tainted: set[str]) -> list:
        """The model and loss calls, from `start_stmt` on (in its function), that take a tainted
        name directly; taint follows plain assignments but not model outputs."""
        s = self.s
        tainted = set(tainted)
        out = []
        for st in s.statements_after(start_stmt, wrap_loops=False):
            if isinstance(st, (cst.FunctionDef, cst.ClassDef)):
                continue
            has_model_call = False
            for n in walk(st):
                if isinstance(n, cst.Call) and (s.is_model(dotted(n.func)) or s.loss_like(n)
                                                or (isinstance(n.func, cst.Attribute) and s.is_model(dotted(n.func.value))
                                                    and n.func.attr.value not in NOT_FORWARD_ATTRS)):
                    has_model_call = has_model_call or not s.loss_like(n)
                    if any(self._direct_names(a.value) & tainted and not self._moved_inside(a.value) for a in n.args):
                        out.append(n)
            if isinstance(st, cst.SimpleStatementLine):
                targets = assign_targets(st)
                if targets and names_loaded(st) & tainted and not has_model_call:
                    tainted |= {last(t) for t in targets}
                elif targets:
                    tainted -= {last(t) for t in targets}
        return out

    def receiver_call(self, start_stmt: Node, tainted: set[str]) -> Optional[cst.Call]:
        calls = self.receiver_calls(start_stmt, tainted)
        return calls[0] if calls else None

    def mark_others(self, plan: Plan, calls: Sequence[Node], first: Node, code: str) -> list:
        acceptable = []
        for j, other in enumerate(calls):
            if other is first or id(other) in plan.replace_node:
                continue
            key = f"R{j}"
            plan.replace_node[id(other)] = lambda u, key=key: mark(u, key)
            acceptable.append((code, key))
        return acceptable

    @staticmethod
    def _direct_names(expr: Node) -> set[str]:
        """Names in `expr` that flow into the value (a mask or index inside [...] does not)."""
        out: set[str] = set()
        stack = [expr]
        while stack:
            n = stack.pop()
            if isinstance(n, cst.Name):
                out.add(n.value)
            elif isinstance(n, cst.Subscript):
                stack.append(n.value)
            elif isinstance(n, cst.Attribute):
                stack.append(n.value)
            else:
                stack.extend(n.children)
        return out

    @staticmethod
    def _moved_inside(expr: Node) -> bool:
        return any(isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("to", "cuda")
                   for n in walk(expr))

    def op_drop_to(self) -> None:
        s = self.s
        cpu = s.cpu_only()
        for call in list(self.to_calls()):
            stmt = s.stmt_of(call)
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            recv = call.func.value
            # the receiving call: the call this .to() is an argument of, or a later call using the assigned name
            parent = s.parents.get(call)
            recv_call = None
            while parent is not None and parent is not stmt:
                if isinstance(parent, cst.Call) and parent is not call and (
                        s.is_model(dotted(parent.func)) or s.loss_like(parent)
                        or (isinstance(parent.func, cst.Attribute) and s.is_model(dotted(parent.func.value))
                            and parent.func.attr.value not in NOT_FORWARD_ATTRS)):
                    recv_call = parent
                    break
                if isinstance(parent, cst.Call) and parent is not call:
                    break
                parent = s.parents.get(parent)
            others: list = []
            if recv_call is None:
                targets = self._targets_for(stmt, call)
                if not targets:
                    continue
                others = self.receiver_calls(stmt, {last(t) for t in targets})
                recv_call = others[0] if others else None
            if recv_call is None:
                continue
            plan = Plan()
            small = stmt.body[0]
            becomes_noop = isinstance(small, cst.Assign) and len(small.targets) == 1 and small.value is call \
                and dotted(small.targets[0].target) is not None and dotted(small.targets[0].target) == dotted(recv)
            if becomes_noop:
                self.removal_plan(stmt, plan)
            else:
                plan.replace_node[id(call)] = lambda u, recv=recv: recv
            plan.replace_node[id(recv_call)] = lambda u: mark(u)
            acceptable = self.mark_others(plan, others, recv_call, "LC301")
            bug, note = True, ""
            if cpu:
                bug, note = False, "the device is always the CPU: nothing needs moving"
            self.emit("drop_to_device", "LC301", plan, bug, note, acceptable=acceptable, target_text=s.code_of(stmt))

    def op_drop_to_helper(self) -> None:
        """`batch = to_device(batch, device)` deleted: the batch stays where the loader put it."""
        s = self.s
        cpu = s.cpu_only()
        for info in s.stmts:
            st = info.node
            call = assigned_call(st)
            if call is None or not isinstance(call.func, cst.Name) or call.func.value not in s.functions:
                continue
            if "device" not in call.func.value and not any("device" in s.code_of(a.value) for a in call.args[1:]):
                continue
            target = dotted(st.body[0].targets[0].target) if isinstance(st.body[0], cst.Assign) else None
            if not target or not call.args or dotted(call.args[0].value) != target:
                continue
            others = self.receiver_calls(st, {target})
            if not others:
                continue
            recv_call = others[0]
            plan = Plan()
            self.removal_plan(st, plan)
            plan.replace_node[id(recv_call)] = lambda u: mark(u)
            acceptable = self.mark_others(plan, others, recv_call, "LC301")
            bug, note = (False, "the device is always the CPU: nothing needs moving") if cpu else (True, "device helper call deleted")
            self.emit("drop_to_device", "LC301", plan, bug, note, acceptable=acceptable, target_text=s.code_of(st))

    @staticmethod
    def _targets_for(stmt: cst.SimpleStatementLine, call: cst.Call) -> set[str]:
        small = stmt.body[0]
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return set()
        target, value = small.targets[0].target, small.value
        if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
            for t, v in zip(target.elements, value.elements):
                if any(n is call for n in walk(v.value)):
                    d = dotted(t.value)
                    return {d} if d else set()
            return set()
        if isinstance(target, cst.Tuple) and isinstance(value, cst.GeneratorExp):
            return {d for el in target.elements if (d := dotted(el.value))}
        d = dotted(target)
        return {d} if d else set()

    def op_bare_to(self) -> None:
        s = self.s
        cpu = s.cpu_only()
        for info in s.stmts:
            st = info.node
            if not isinstance(st, cst.SimpleStatementLine) or len(st.body) != 1 or not isinstance(st.body[0], cst.Assign):
                continue
            small = st.body[0]
            if len(small.targets) != 1:
                continue
            target, value = small.targets[0].target, small.value
            pairs = []
            if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
                pairs = [(t.value, v.value) for t, v in zip(target.elements, value.elements)]
            else:
                pairs = [(target, value)]
            if not pairs:
                continue
            tname, vcall = pairs[0]
            if not (isinstance(vcall, cst.Call) and isinstance(vcall.func, cst.Attribute) and vcall.func.attr.value in ("to", "cuda")
                    and dotted(vcall.func.value) is not None and dotted(vcall.func.value) == dotted(tname)):
                continue
            if s.is_model(dotted(tname)) or s.kind_of(dotted(tname) or ""):
                continue
            if vcall.func.attr.value == "to" and not (vcall.args and self.DEVICE_ARG.search(s.code_of(vcall.args[0].value))):
                continue
            bare = cst.SimpleStatementLine(body=[cst.Expr(value=vcall)], leading_lines=st.leading_lines,
                                           trailing_whitespace=st.trailing_whitespace)
            rest = []
            if len(pairs) > 1:
                rest_t = [p[0] for p in pairs[1:]]
                rest_v = [p[1] for p in pairs[1:]]
                if len(rest_t) == 1:
                    rest = [cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(rest_t[0])], value=rest_v[0])])]
                else:
                    rest = [cst.SimpleStatementLine(body=[cst.Assign(
                        targets=[cst.AssignTarget(cst.Tuple([cst.Element(t) for t in rest_t], lpar=[], rpar=[]))],
                        value=cst.Tuple([cst.Element(v) for v in rest_v], lpar=[], rpar=[]))])]
            plan = Plan()
            plan.keep.append(st)
            plan.replace_stmt[id(st)] = lambda u, bare=bare, rest=rest: [mark(bare)] + rest
            acceptable = [] if cpu else [("LC301", None)]
            bug, note = (False, "the device is always the CPU: the discarded copy is the tensor itself") if cpu else (True, "")
            self.emit("bare_to_statement", "LC304", plan, bug, note, acceptable=acceptable, target_text=s.code_of(st))

    # -- loss accumulation ---------------------------------------------------------------------

    def op_item_to_tensor(self) -> None:
        s = self.s
        for info in s.stmts:
            st = info.node
            if not isinstance(st, cst.SimpleStatementLine) or len(st.body) != 1:
                continue
            small = st.body[0]
            expr = None
            if isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign):
                expr = small.value
            elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and isinstance(small.value.func, cst.Attribute) \
                    and small.value.func.attr.value in ("append", "update", "extend") and small.value.args:
                expr = small.value.args[0].value
            if expr is None:
                continue
            for n in walk(expr):
                if not (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("item", "detach")
                        and not n.args):
                    continue
                recv = n.func.value
                lossy = any(isinstance(m, cst.Name) and LOSS_NAME_RE.search(m.value) for m in walk(recv)) or \
                    any(isinstance(m, cst.Call) and s.loss_like(m) for m in walk(recv))
                plan = Plan()
                plan.replace_node[id(n)] = lambda u: u.func.value
                plan.replace_node[id(st)] = lambda u: mark(u)
                bug, note = True, ""
                if info.no_grad:
                    bug, note = False, "accumulated under no_grad: the tensor carries no graph"
                elif not lossy:
                    bug, note = False, "a metric computed from argmax/comparisons carries no graph"
                self.emit("item_to_tensor", "LC401", plan, bug, note, target_text=s.code_of(st))
                break

    # -- the pattern rules (LC108-LC115, LC303) -------------------------------------------

    def calls(self, leaves: set) -> list[cst.Call]:
        return [n for n in walk(self.s.module) if isinstance(n, cst.Call) and last(callee_name(n)) in leaves]

    def stmts_calling(self, method: str, kind: Optional[str] = None) -> list[tuple[Node, str]]:
        """Statements `recv.method(...)` (plain or assigned), with `recv` of `kind` when given."""
        out = []
        for info in self.s.stmts:
            call = call_of(info.node) or assigned_call(info.node)
            recv = method_call(call, method)
            if recv and (kind is None or self.s.kind_of(recv) == kind):
                out.append((info.node, recv))
        return out

    def op_delete_set_epoch(self) -> None:
        """LC108: the sampler is never told the epoch."""
        samplers = self.calls({"DistributedSampler"})
        for stmt, _ in self.stmts_calling("set_epoch"):
            for sampler in samplers:
                plan = Plan()
                self.removal_plan(stmt, plan)
                plan.replace_node[id(sampler)] = lambda u: mark(u)
                shuffle = next((a.value for a in sampler.args if a.keyword and a.keyword.value == "shuffle"), None)
                bug = not (isinstance(shuffle, cst.Name) and shuffle.value == "False")
                self.emit("delete_set_epoch", "LC108", plan, bug, "" if bug else "the sampler does not shuffle",
                          target_text=self.s.code_of(stmt))

    def op_softmax_into_loss(self) -> None:
        """LC109: probabilities given to a loss that applies log_softmax itself (or wants log-probabilities)."""
        s = self.s
        if "import torch" not in s.source:
            return
        modules = {dotted(n.targets[0].target) for n in walk(s.module) if isinstance(n, cst.Assign)
                   and len(n.targets) == 1 and isinstance(n.value, cst.Call)
                   and last(callee_name(n.value)) in CLASS_LOSS_MODULES}
        for call in (n for n in walk(s.module) if isinstance(n, cst.Call)):
            name = callee_name(call)
            if not call.args or call.args[0].keyword or call.args[0].star:
                continue
            if last(name) not in CLASS_LOSS_FUNCTIONS and name not in modules - {None}:
                continue
            plan = Plan()

            def wrapped(u: cst.Call) -> cst.Call:
                first = u.args[0]
                probs = cst.parse_expression(f"torch.softmax({cst.Module(body=[]).code_for_node(first.value)}, dim=-1)")
                return mark(u.with_changes(args=[first.with_changes(value=probs), *u.args[1:]]))

            plan.replace_node[id(call)] = wrapped
            self.emit("softmax_into_loss", "LC109", plan, True, target_text=s.code_of(call))

    def op_clip_before_unscale(self) -> None:
        """LC111: unscale_() deleted, so the clip that follows sees scaled gradients."""
        s = self.s
        for stmt, _ in self.stmts_calling("unscale_"):
            info = s.info[id(stmt)]
            clips = [b for b in info.block.body[info.index + 1:]
                     if (c := call_of(b) or assigned_call(b)) is not None and last(callee_name(c)) in CLIP_FUNCTIONS]
            plan = Plan()
            self.removal_plan(stmt, plan)
            if clips:
                plan.replace_node[id(clips[0])] = lambda u: mark(u)
                self.emit("clip_before_unscale", "LC111", plan, True, target_text=s.code_of(stmt))
            else:
                plan.replace_node[id(stmt)] = lambda u: mark(u)
                self.emit("clip_before_unscale", "LC111", plan, False, "no clip follows the unscale_()",
                          target_text=s.code_of(stmt))

    def op_delete_scaler_update(self) -> None:
        """LC112: the loss scale is never updated after scaler.step()."""
        steps = self.stmts_calling("step")
        for stmt, scaler in self.stmts_calling("update"):
            if self.s.kind_of(scaler) != "scaler" and "scaler" not in scaler.lower():
                continue
            same = [st for st, recv in steps if recv == scaler]
            if not same:
                continue
            plan = Plan()
            self.removal_plan(stmt, plan)
            plan.replace_node[id(same[0])] = lambda u: mark(u)
            self.emit("delete_scaler_update", "LC112", plan, True, target_text=self.s.code_of(stmt))

    def op_drop_dropout_training(self) -> None:
        """LC113: F.dropout in forward() without training=: dropout stays on in eval mode."""
        s = self.s
        for call in self.calls(FUNCTIONAL_DROPOUTS):
            func = s.enclosing_function(call)
            if func is None or func.name.value != "forward" or "." not in callee_name(call):
                continue
            keep = [a for i, a in enumerate(call.args) if not (a.keyword and a.keyword.value == "training")
                    and not (a.keyword is None and i == 2)]
            if len(keep) == len(call.args):
                continue
            plan = Plan()
            plan.replace_node[id(call)] = lambda u, n=len(keep): mark(u.with_changes(
                args=[a for i, a in enumerate(u.args) if not (a.keyword and a.keyword.value == "training")
                      and not (a.keyword is None and i == 2)]))
            self.emit("drop_dropout_training", "LC113", plan, True, target_text=s.code_of(call))

    def op_epoch_scheduler_per_batch(self) -> None:
        """LC114: an epoch scheduler's step() moved into the batch loop of its epoch loop."""
        s = self.s
        ctors = {dotted(n.targets[0].target): n.value for n in walk(s.module) if isinstance(n, cst.Assign)
                 and len(n.targets) == 1 and isinstance(n.value, cst.Call)}
        for info in s.stmts:
            sched = s.scheduler_step(info.node)
            ctor = ctors.get(sched)
            if not sched or not info.loops or call_of(info.node).args or ctor is None \
                    or last(callee_name(ctor)) not in EPOCH_SCHEDULERS:
                continue
            batch_loops = [b for b in info.loops[-1].body.body if isinstance(b, cst.For)
                           and any("loader" in n.lower() for n in names_loaded(b.iter))]
            if not batch_loops or not batch_loops[0].body.body:
                continue
            plan = Plan()
            self.removal_plan(info.node, plan)
            moved = mark(info.node.with_changes(leading_lines=[]))
            plan.replace_stmt[id(batch_loops[0].body.body[-1])] = lambda u, m=moved: [u, m]
            plan.keep.append(batch_loops[0].body.body[-1])
            self.emit("epoch_scheduler_per_batch", "LC114", plan, True,
                      note=f"{last(callee_name(ctor))} stepped every batch", target_text=s.code_of(info.node))

    def op_delete_optimizer_steps(self) -> None:
        """LC115: every step of the only optimizer deleted: gradients computed for nothing."""
        s = self.s
        optimizers = s.optimizers()
        if len(optimizers) != 1 or any(k == "scaler" for k in s.kinds.values()):
            return
        (opt,) = optimizers
        steps = self.steps_of(opt)
        backward = next((i.node for i in s.stmts if s.is_backward(i.node) and i.loops), None)
        if not steps or backward is None:
            return
        plan = Plan()
        for step in steps:
            self.removal_plan(step, plan)
        plan.replace_node[id(backward)] = lambda u: mark(u)
        self.emit("delete_optimizer_steps", "LC115", plan, True, target_text=s.code_of(steps[0]))

    def op_drop_map_location(self) -> None:
        """LC303: torch.load without map_location; a bug only for a checkpoint another run wrote."""
        s = self.s
        for call in self.calls({"load"}):
            if callee_name(call) != "torch.load" or not any(a.keyword and a.keyword.value == "map_location" for a in call.args):
                continue
            plan = Plan()
            plan.replace_node[id(call)] = lambda u: mark(u.with_changes(
                args=[a for a in u.args if not (a.keyword and a.keyword.value == "map_location")]))
            self.emit("drop_map_location", "LC303", plan, False,
                      "the checkpoint is written by this run, on this machine", target_text=s.code_of(call))

    def op_flatten_regression_target(self) -> None:
        """LC601: `loss_fn(model(x), y)` becomes `loss_fn(model(x), y.view(-1))` where the model is a
        Sequential ending in Linear(k, 1): (N, 1) against (N,) broadcasts to (N, N)."""
        s = self.s
        ctors = {dotted(n.targets[0].target): _unmoved(n.value) for n in walk(s.module) if isinstance(n, cst.Assign)
                 and len(n.targets) == 1 and isinstance(n.value, cst.Call)}
        for call in walk(s.module):
            if not isinstance(call, cst.Call) or len(call.args) < 2 or any(a.keyword for a in call.args[:2]):
                continue
            name = callee_name(call)
            built = ctors.get(name)
            if last(name) not in REGRESSION_LOSS_FUNCTIONS and not (
                    built is not None and last(callee_name(built)) in REGRESSION_LOSS_MODULES):
                continue
            pred, target = call.args[0].value, call.args[1].value
            model = ctors.get(callee_name(pred)) if isinstance(pred, cst.Call) else None
            if not isinstance(target, cst.Name) or model is None or not _ends_in_one_output(model):
                continue
            flat = cst.parse_expression(f"{target.value}.view(-1)")
            plan = Plan()
            plan.replace_node[id(call)] = lambda u, f=flat: mark(u.with_changes(
                args=[u.args[0], u.args[1].with_changes(value=f), *u.args[2:]]))
            self.emit("flatten_regression_target", "LC601", plan, True, target_text=s.code_of(call))

    def run_all(self) -> list[Mutant]:
        for op in (
            self.op_delete_zero_grad, self.op_zero_grad_between, self.op_swap_backward_step, self.op_scheduler_early,
            self.op_accumulation_discarded, self.op_wrap_no_grad, self.op_optimizer_in_loop, self.op_delete_eval,
            self.op_delete_no_grad, self.op_delete_train, self.op_drop_to, self.op_drop_to_helper, self.op_bare_to, self.op_item_to_tensor,
            self.op_delete_set_epoch, self.op_softmax_into_loss, self.op_clip_before_unscale, self.op_delete_scaler_update,
            self.op_drop_dropout_training, self.op_epoch_scheduler_per_batch, self.op_delete_optimizer_steps,
            self.op_drop_map_location, self.op_flatten_regression_target,
        ):
            try:
                op()
            except Exception as exc:  # keep going: one operator's failure must not hide the others
                import traceback
                traceback.print_exc()
                print(f"warning: {self.s.path.name}: {op.__name__} crashed: {exc!r}", file=sys.stderr)
        return self.out


# --------------------------------------------------------------------------------------------
# public API


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.glob("*.py") if not p.name.startswith("_"))


def mutants_for(path: Path) -> list[Mutant]:
    script = Script(path, path.read_text())
    return Generator(script).run_all()


def generate(corpus: Path = CORPUS) -> list[Mutant]:
    out: list[Mutant] = []
    for path in corpus_files(corpus):
        out.extend(mutants_for(path))
    return out


def write_mutants(mutants: Sequence[Mutant], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    if out_dir.resolve() == CORPUS.resolve() or CORPUS.resolve() in out_dir.resolve().parents:
        raise SystemExit("refusing to write mutants into the corpus")
    for m in mutants:
        (out_dir / f"{m.id}.py").write_text(m.code)
    manifest = out_dir / "manifest.json"
    manifest.write_text(json.dumps([m.manifest_entry() for m in mutants], indent=1))
    return manifest


def validate(mutants: Sequence[Mutant]) -> list[str]:
    """Every mutant must parse and differ from its source; returns the problems found."""
    problems = []
    sources: dict = {}
    for m in mutants:
        try:
            cst.parse_module(m.code)
            compile(m.code, m.id, "exec")
        except Exception as exc:
            problems.append(f"{m.id}: does not parse: {exc}")
            continue
        src = sources.setdefault(m.source_file, (HERE / m.source_file).read_text())
        if src == m.code:
            problems.append(f"{m.id}: identical to its source")
        if m.expected_line is not None and not (1 <= m.expected_line <= m.code.count("\n") + 1):
            problems.append(f"{m.id}: expected line out of range")
    return problems


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="directory for the mutants and manifest.json")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--list", action="store_true", help="print one line per mutant")
    parser.add_argument("--show", help="print the mutated source of one mutant id (with a diff)")
    args = parser.parse_args(argv)
    mutants = generate(args.corpus)
    problems = validate(mutants)
    for p in problems:
        print("problem:", p, file=sys.stderr)
    if args.show:
        import difflib
        for m in mutants:
            if m.id == args.show:
                src = (HERE / m.source_file).read_text()
                sys.stdout.writelines(difflib.unified_diff(src.splitlines(True), m.code.splitlines(True), m.source_file, m.id))
                print(json.dumps(m.manifest_entry(), indent=1))
        return 0
    if args.list:
        for m in mutants:
            label = f"{m.expected_code}@{m.expected_line}" if m.is_bug else f"no {m.rule}"
            print(f"{m.id:70s} {label:12s} {m.note}")
    by_rule: dict = {}
    for m in mutants:
        pos, neg = by_rule.get(m.rule, (0, 0))
        by_rule[m.rule] = (pos + m.is_bug, neg + (not m.is_bug))
    print(f"{len(mutants)} mutants from {len(corpus_files(args.corpus))} scripts", file=sys.stderr)
    for rule in sorted(by_rule):
        print(f"  {rule}: {by_rule[rule][0]} bugs, {by_rule[rule][1]} labelled not-a-bug", file=sys.stderr)
    if args.out:
        print(f"wrote {write_mutants(mutants, args.out)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
