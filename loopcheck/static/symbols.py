"""What the names of a file stand for: models, optimizers, schedulers, loaders, devices.

A flow-insensitive pre-pass over every assignment in the file. Names are keyed by their
dotted spelling (`model`, `self.optimizer`); training scripts rarely reuse one spelling
for two different things, and when the evidence conflicts the name is left unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

import libcst as cst

from loopcheck.static.idioms import (  # noqa: F401 (re-exported: walker reads sym.<TABLE>)
    OPTIMIZER_CLASSES, SCHEDULER_CLASSES, SCALER_CLASSES, LOADER_CLASSES, LOSS_FUNCTIONS, MODE_LAYERS,
    DROPOUT_ARGUMENT, DROPOUT_MODULES, RECURRENT_LAYERS, PLAIN_LAYERS, MODULE_BASES, ZOO_PREFIXES, WRAPPERS,
    SCATTERING_WRAPPERS, INPUT_MOVING_WRAPPERS, INPUT_MOVING_WITH_DEVICE_IDS,
    LOADS_IN_EVAL_MODE, NOT_MODULE_WORDS, WEIGHT_LOADING_PREFIXES,
    TRAINS_OR_LOADS_WORDS, EVALUATION_DATA_WORDS, HELD_OUT_INPUT_WORDS, GRADIENT_USES, TENSOR_METADATA,
    LOSS_SCALING, OPTIMIZER_BACKWARD_METHODS, STEP_FUNCTION_ENGINES, MANUAL_OPTIMIZATION_STEPS, LENGTHS, DISPLAY_ROOTS,
    TENSOR_DATASETS, TENSOR_FACTORIES, evaluation_data, held_out_input, kind_from_name, uses_accelerator, zoo_model,
)
from loopcheck.static.names import (
    NO_CODE, arg_value, call_name, calls_in, children, constructed, dotted, keyword, last, method, names_in, nodes_in,
    number_value, positional, string_value, visit,
)

MODEL, OPTIMIZER, SCHEDULER, SCALER, LOADER, LOSS, DEVICE, TENSOR, GROUP = (
    "model", "optimizer", "scheduler", "scaler", "loader", "loss", "device", "tensor", "group")
INSTANCE = "instance:"  # an object of a non-module class defined in the file, e.g. a Trainer
# The objects of a training loop, whose state the code they are handed to may share.
TRAINING_STATE = frozenset({MODEL, OPTIMIZER, SCHEDULER, SCALER, LOADER, LOSS})

def moved_by_chain(call: cst.Call) -> bool:
    """`Net().to(device)`, `torch.tensor(x).cuda()`: a call chain that moves its value off the CPU
    (not `.to(torch.float32)` nor `.to("cpu")`)."""
    while type(call) is cst.Call and type(call.func) is cst.Attribute:
        if call.func.attr.value == "cuda":
            return True
        if call.func.attr.value == "to":
            target = arg_value(call, 0, "device")
            if type(target) is cst.Call and last(call_name(target)) == "device":
                target = arg_value(target, 0, "type")
            text = string_value(target) or dotted(target) or "" if target is not None else "cpu"
            if not text.startswith(("cpu", "torch.")):
                return True
        call = call.func.value
    return False


def _given_device(call: cst.Call, symbols: "Symbols") -> bool:
    """A call of other code handed a device (`create_data(..., device=dev)`, `data_iter(c, n, device)`):
    the data it returns is made there."""
    if last(call_name(call)) in LOADER_CLASSES | TENSOR_FACTORIES or not call_name(call):
        return False
    given = keyword(call, "device")
    if given is not None:
        return _device_kind_of(given, symbols) != "cpu"
    return any(a.keyword is None and "device" in last(dotted(a.value)) for a in call.args)


def _collates_on_device(collate: Optional[cst.BaseExpression], symbols: "Symbols") -> bool:
    """`DataLoader(ds, collate_fn=collate_batch)` where the file's `collate_batch` returns only
    tensors it moved (`return text.to(device), label.to(device)`): the batches are on the device.
    `collate_fn=train_ds.collate_fn`: the method of the class that made `train_ds`."""
    func = symbols.functions.get(dotted(collate) or "") if collate is not None else None
    if func is None and type(collate) is cst.Attribute:
        cls = symbols.returned_by.get(dotted(collate.value) or "")
        func = symbols.methods.get(cls or "", {}).get(collate.attr.value)
    if func is None:
        return False
    moved = {dotted(t.target) for n in nodes_in(func.body) if type(n) is cst.Assign and type(n.value) is cst.Call
             and moved_by_chain(n.value) for t in n.targets} - {None}
    returns = [n.value for n in nodes_in(func.body) if type(n) is cst.Return]
    if not returns or any(r is None for r in returns):
        return False
    parts = [e.value for r in returns for e in (r.elements if type(r) in (cst.Tuple, cst.List) else [cst.Element(r)])]
    return all(type(p) is cst.Call and moved_by_chain(p) or dotted(p) in moved
               or type(p) is cst.DictComp and type(p.value) is cst.Call and moved_by_chain(p.value) for p in parts)


def _holds_moved_tensor(call: cst.Call) -> bool:
    """`TensorDataset(torch.from_numpy(X).to(device), torch.from_numpy(y).to(device))`: a dataset
    of tensors moved as they are put in (any one moved, as for named inputs on the device)."""
    return any(type(a.value) is cst.Call and moved_by_chain(a.value) for a in call.args)


def _builds_loader(func: Optional[cst.FunctionDef]) -> bool:
    return func is not None and any(last(call_name(call)) in LOADER_CLASSES for call in calls_in(func.body))


def parameter_owners(call: cst.Call) -> set[str]:
    """`model` in `SGD(model.parameters(), ...)`: the modules whose parameters a call takes."""
    owners = set()
    for arg in call.args:
        for inner in calls_in(arg.value):
            if last(call_name(inner)) in ("parameters", "named_parameters") and type(inner.func) is cst.Attribute:
                owner = dotted(inner.func.value)
                if owner:
                    owners.add(normalise(owner))
    return owners


@dataclass
class ModelClass:
    node: cst.ClassDef
    is_module: bool
    mode_layers: Optional[bool] = None
    earlier: tuple[cst.ClassDef, ...] = ()   # earlier definitions (a notebook cell redefines the class)


@dataclass
class Symbols:
    kinds: dict[str, str] = field(default_factory=dict)
    mode_layers: dict[str, Optional[bool]] = field(default_factory=dict)   # model -> has Dropout/BN
    model_device: dict[str, str] = field(default_factory=dict)             # model -> accelerator|cpu|unknown
    device_code: dict[str, str] = field(default_factory=dict)              # model -> `device` in model.to(device)
    scattering: set[str] = field(default_factory=set)                      # DataParallel/DDP models
    input_movers: set[str] = field(default_factory=set)                    # wrappers that move forward's inputs
    device_kind: dict[str, str] = field(default_factory=dict)              # device var -> accelerator|cpu|unknown
    optimizer_models: dict[str, Optional[frozenset[str]]] = field(default_factory=dict)
    scheduler_optimizer: dict[str, Optional[str]] = field(default_factory=dict)
    group_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prepared: set[str] = field(default_factory=set)                        # accelerate-prepared names
    on_device: set[str] = field(default_factory=set)                       # tensors/datasets built on a device
    device_loaders: set[str] = field(default_factory=set)                  # loaders whose batches are on it
    cuda_tensor_types: set[str] = field(default_factory=set)               # names of torch.cuda.*Tensor types
    returned_by: dict[str, str] = field(default_factory=dict)              # name -> function whose result it holds
    classes: dict[str, ModelClass] = field(default_factory=dict)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    methods: dict[str, dict[str, cst.FunctionDef]] = field(default_factory=dict)
    evaluated: set[str] = field(default_factory=set)                       # names with .eval() somewhere
    uses_accelerator: bool = False
    forward_hooks: bool = False   # the file registers forward hooks: they may keep any forward's output
    instances: dict[str, str] = field(default_factory=dict)                # model/loss -> its in-file module class
    manual_optimization: set[str] = field(default_factory=set)             # Lightning classes that step themselves

    def from_out_of_view(self, name: str) -> bool:
        """`train_dl, eval_dl = get_training_utilities(...)`: the result of a function of another module,
        which may have prepared the loaders or put their batches on the device."""
        callee = self.returned_by.get(name)
        return bool(callee) and callee not in LOADER_CLASSES and callee not in self.functions \
            and callee not in self.classes and not any(callee in m for m in self.methods.values())

    def kind(self, name: str) -> Optional[str]:
        name = normalise(name)
        if name in self.kinds:
            return self.kinds[name]
        if name in self.functions:
            return None  # `build_model` is a function of this file, not a model
        return kind_from_name(name)

    def model_has_mode_layers(self, model: str) -> Optional[bool]:
        model = normalise(model)
        known = self.mode_layers.get(model)
        if known is None and model in self.evaluated:
            return True  # the author switches it to eval(), so it behaves differently there
        return known


def normalise(name: str) -> str:
    """`model.module` (DDP/DataParallel) and `model._orig_mod` (torch.compile) are the model."""
    for suffix in (".module", "._orig_mod"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _device_kind_of(node: Optional[cst.BaseExpression], symbols: Symbols) -> str:
    if node is None:
        return "unknown"
    text = string_value(node)
    if text is not None:
        return "cpu" if text.startswith("cpu") else "accelerator"
    if type(node) is cst.Call and last(call_name(node)) == "device":
        return _device_kind_of(arg_value(node, 0, "type"), symbols)
    if type(node) is cst.IfExp:
        return "accelerator" if "accelerator" in {_device_kind_of(node.body, symbols),
                                                 _device_kind_of(node.orelse, symbols)} else "unknown"
    if type(node) is cst.FormattedString:
        return "accelerator" if any("cuda" in getattr(p, "value", "") for p in node.parts) else "unknown"
    name = dotted(node)
    if name is not None:
        if name.endswith(".device") and kind_from_name(name.rsplit(".", 1)[0]) != MODEL:
            return "accelerator" if "accelerator" in name else symbols.device_kind.get(name, "unknown")
        return symbols.device_kind.get(name, "unknown")
    if type(node) is cst.Integer:
        return "accelerator"
    return "unknown"


def _device_code(node: Optional[cst.BaseExpression]) -> Optional[str]:
    """The script's own spelling of a device, for hints: a name (`device`, `args.device`) or a
    string literal; None for anything longer."""
    if node is None:
        return None
    if type(node) is cst.SimpleString:
        return node.value
    return dotted(node)


class _Collector(cst.CSTVisitor):
    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.class_stack: list[str] = []
        self.defined: set[str] = set()   # classes defined so far in this pass
        self.factories_seen: set[str] = set()

    def _classify_factory(self, func: cst.FunctionDef) -> tuple[Optional[str], dict]:
        """`def build_model(): return nn.Sequential(...)`: what the factory returns."""
        self.factories_seen.add(func.name.value)
        try:
            local: dict[str, cst.BaseExpression] = {}
            for node in _statements(func):
                if type(node) is cst.Assign and len(node.targets) == 1:
                    name = dotted(node.targets[0].target)
                    if name:
                        local[name] = node.value
                elif type(node) is cst.Return and node.value is not None:
                    returned = node.value
                    name = dotted(returned)
                    if name in local:
                        returned = local[name]
                    kind, info = self._classify(returned)
                    if kind is not None:
                        return kind, info
            return None, {}
        finally:
            self.factories_seen.discard(func.name.value)

    # ---- definitions -------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = {last(dotted(b.value)) for b in node.bases}
        is_module = bool(bases & MODULE_BASES) or bool(bases & set(self.symbols.classes) and any(
            self.symbols.classes[b].is_module for b in bases if b in self.symbols.classes))
        previous = self.symbols.classes.get(node.name.value)
        earlier = (*previous.earlier, previous.node) if previous is not None and node.name.value in self.defined \
            else ()
        self.defined.add(node.name.value)
        self.symbols.classes[node.name.value] = ModelClass(node, is_module, earlier=earlier)
        self.symbols.methods[node.name.value] = {}
        self.class_stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.class_stack:
            self.symbols.methods[self.class_stack[-1]].setdefault(node.name.value, node)
        else:
            self.symbols.functions.setdefault(node.name.value, node)

    # ---- assignments -------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)
            self._note_device_data(target.target, node.value)
            if self.class_stack and dotted(target.target) == "self.automatic_optimization" \
                    and dotted(node.value) == "False":
                self.symbols.manual_optimization.add(self.class_stack[-1])

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        name = call_name(node)
        leaf = last(name)
        if leaf in self.symbols.classes and not self.symbols.classes[leaf].is_module:
            self._bind_constructor_args(leaf, node)
        if leaf == "eval" and type(node.func) is cst.Attribute:
            target = dotted(node.func.value)
            if target:
                self.symbols.evaluated.add(normalise(target))
        if leaf in ("to", "cuda") and type(node.func) is cst.Attribute:
            target = dotted(node.func.value)
            if target and self.symbols.kind(target) == MODEL:
                where = "accelerator" if leaf == "cuda" else _device_kind_of(
                    arg_value(node, 0, "device"), self.symbols)
                self._set_device(target, where)
                code = '"cuda"' if leaf == "cuda" else _device_code(arg_value(node, 0, "device"))
                if code:
                    self.symbols.device_code.setdefault(normalise(target), code)

    def _bind_constructor_args(self, cls: str, node: cst.Call) -> None:
        """`Trainer(MLP(), ...)`: what `__init__`'s parameters receive (first binding wins)."""
        init = self.symbols.methods.get(cls, {}).get("__init__")
        if init is None:
            return
        params = [p.name.value for p in init.params.params][1:]
        pairs = list(zip(params, [a.value for a in node.args if a.keyword is None and not a.star]))
        pairs += [(a.keyword.value, a.value) for a in node.args if a.keyword is not None]
        for param, value in pairs:
            kind, info = self._classify(value)
            if kind == MODEL and param not in self.symbols.kinds:
                self.symbols.kinds[param] = MODEL
                if info.get("mode_layers") is not None:
                    self.symbols.mode_layers.setdefault(param, info["mode_layers"])

    def _note_device_data(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """`X = torch.tensor(data, device=dev)`, `ds = TensorDataset(X, y)`, `dl = DataLoader(ds)`:
        data created on the device, and the loaders that serve it."""
        if type(value) is cst.Subscript and dotted(value.value) in self.symbols.on_device and dotted(target):
            self.symbols.on_device.add(dotted(target))   # `x_train = x_tensor[train_idx]`
        if (dotted(value) or "").startswith("torch.cuda.") and (dotted(value) or "").endswith("Tensor") \
                and dotted(target):
            self.symbols.cuda_tensor_types.add(dotted(target))   # `dtype = torch.cuda.LongTensor`
        if not type(value) is cst.Call:
            return
        for name in names_in(target):
            self.symbols.returned_by.setdefault(name, last(call_name(constructed(value))))
        if _given_device(value, self.symbols):   # `dl, _ = make_loader(..., device=device)`
            names = set(names_in(target))
            self.symbols.on_device |= names
            self.symbols.device_loaders |= names
            return
        name = dotted(target)
        if name is None:
            return
        leaf = last(call_name(constructed(value)))
        inputs = {n for a in value.args for n in names_in(a.value)}
        if moved_by_chain(value) or (leaf in TENSOR_FACTORIES and _device_kind_of(
                keyword(value, "device"), self.symbols) not in ("unknown", "cpu")):
            self.symbols.on_device.add(name)
        elif leaf in TENSOR_DATASETS and _holds_moved_tensor(value):
            self.symbols.on_device.add(name)   # `TensorDataset(torch.from_numpy(X).to(device), ...)`
        elif (leaf in TENSOR_DATASETS or leaf in self.symbols.functions) and inputs & self.symbols.on_device:
            # `tensor_2_dataset(user, item, rating)`, `make_loader(dataset)`: the file's own helpers
            # pass data already on the device through
            self.symbols.on_device.add(name)
            if _builds_loader(self.symbols.functions.get(leaf)):
                self.symbols.device_loaders.add(name)
        elif leaf in LOADER_CLASSES and (inputs & self.symbols.on_device or any(
                type(a.value) is cst.Call and last(call_name(a.value)) in TENSOR_DATASETS
                and ({n for b in a.value.args for n in names_in(b.value)} & self.symbols.on_device
                     or _holds_moved_tensor(a.value))
                for a in value.args) or _collates_on_device(keyword(value, "collate_fn"), self.symbols)):
            self.symbols.device_loaders.add(name)

    def _set_device(self, model: str, where: str) -> None:
        model = normalise(model)
        previous = self.symbols.model_device.get(model)
        if previous is None or previous == "cpu":
            self.symbols.model_device[model] = where

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if type(target) in (cst.Tuple, cst.List):
            elements = [e.value for e in target.elements]
            if type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(elements):
                for t, v in zip(elements, value.elements):
                    self._bind(t, v.value)
            elif type(value) is cst.Call and last(call_name(value)) == "prepare":
                args = [a.value for a in value.args]
                for t, v in zip(elements, args):
                    self._bind(t, v)
                    name = dotted(t)
                    if name:
                        self.symbols.prepared.add(name)
            return
        name = dotted(target)
        if name is None:
            return
        name = normalise(name)
        kind, info = self._classify(value)
        if kind is None:
            return
        self.symbols.kinds[name] = kind
        if kind in (MODEL, LOSS) and type(value) is cst.Call:
            cls = last(call_name(constructed(value)))
            if cls in self.symbols.classes and self.symbols.classes[cls].is_module:
                self.symbols.instances[name] = cls
        if kind == MODEL:
            self.symbols.mode_layers.setdefault(name, info.get("mode_layers"))
            if info.get("mode_layers") is not None:
                self.symbols.mode_layers[name] = info["mode_layers"]
            if info.get("device"):
                self._set_device(name, info["device"])
            if info.get("scatter"):
                self.symbols.scattering.add(name)
            if info.get("moves_inputs"):
                self.symbols.input_movers.add(name)
        elif kind == OPTIMIZER:
            self.symbols.optimizer_models[name] = info.get("models")
        elif kind == SCHEDULER:
            self.symbols.scheduler_optimizer[name] = info.get("optimizer")
        elif kind == DEVICE:
            self.symbols.device_kind[name] = info["device"]
        elif kind == GROUP:
            self.symbols.group_members[name] = info["members"]

    def _classify(self, value: cst.BaseExpression) -> tuple[Optional[str], dict]:
        symbols = self.symbols
        if type(value) in (cst.List, cst.Tuple):
            members = tuple(dotted(e.value) or "" for e in value.elements)
            kinds = {symbols.kind(m) for m in members if m}
            if members and all(members) and len(kinds) == 1 and kinds <= {OPTIMIZER, SCHEDULER, MODEL}:
                return GROUP, {"members": members}
            return None, {}
        if type(value) in (cst.SimpleString, cst.IfExp, cst.FormattedString):
            where = _device_kind_of(value, symbols)
            return (DEVICE, {"device": where}) if where != "unknown" else (None, {})
        name = dotted(value)
        if name is not None:
            kind = symbols.kind(name)
            if kind == MODEL:
                return MODEL, {"mode_layers": symbols.mode_layers.get(normalise(name))}
            if name.endswith(".device") or name in symbols.device_kind:
                return DEVICE, {"device": _device_kind_of(value, symbols)}
            if kind is not None and kind.startswith(INSTANCE):
                return kind, {}
            return (kind, {}) if kind in (OPTIMIZER, SCHEDULER, SCALER, LOADER) else (None, {})
        if not type(value) is cst.Call:
            return None, {}
        called = call_name(value) or ""
        leaf = value.func.attr.value if type(value.func) is cst.Attribute else last(called)
        if leaf in ("to", "cuda", "half", "float", "bfloat16", "double", "train", "eval", "requires_grad_") \
                and type(value.func) is cst.Attribute:
            inner = value.func.value
            kind, info = self._classify(inner)
            if kind == MODEL:
                info = dict(info)
                if leaf == "cuda":
                    info["device"] = "accelerator"
                elif leaf == "to":
                    info["device"] = _device_kind_of(arg_value(value, 0, "device"), symbols)
            return kind, info
        if leaf == "device" and called in ("torch.device", "device"):
            return DEVICE, {"device": _device_kind_of(value, symbols)}
        if leaf in OPTIMIZER_CLASSES or (leaf.endswith("Optimizer") and leaf[:1].isupper()):
            models = parameter_owners(value)
            return OPTIMIZER, {"models": frozenset(models) if models else None}
        if leaf in SCHEDULER_CLASSES:
            opt = arg_value(value, 0, "optimizer")
            return SCHEDULER, {"optimizer": dotted(opt) if opt is not None else None}
        if leaf in SCALER_CLASSES:
            return SCALER, {}
        if leaf in LOADER_CLASSES:
            return LOADER, {}
        if leaf.endswith(("Loss", "Loss2d")) and leaf[:1].isupper():   # `nn.NLLLoss2d()` (deprecated)
            return LOSS, {}
        if leaf in WRAPPERS:
            inner = positional(value, 0) or keyword(value, "module")
            kind, info = self._classify(inner) if inner is not None else (None, {})
            if kind == MODEL or (inner is not None and dotted(inner) and symbols.kind(dotted(inner)) == MODEL):
                info = dict(info)
                if leaf in SCATTERING_WRAPPERS:
                    info["scatter"] = True
                device_ids = arg_value(value, 1, "device_ids")
                if leaf in INPUT_MOVING_WRAPPERS or (leaf in INPUT_MOVING_WITH_DEVICE_IDS and device_ids is not None
                                                     and not (type(device_ids) is cst.Name and device_ids.value == "None")):
                    info["moves_inputs"] = True
                return MODEL, info
            return None, {}
        return self._classify_constructor(value, called, leaf)

    def _classify_constructor(self, value: cst.Call, called: str, leaf: str) -> tuple[Optional[str], dict]:
        symbols = self.symbols
        if "." not in called and leaf in symbols.functions and leaf not in self.factories_seen:
            return self._classify_factory(symbols.functions[leaf])
        if leaf in symbols.classes:
            cls = symbols.classes[leaf]
            if cls.is_module:
                return MODEL, {"mode_layers": class_mode_layers(leaf, symbols)}
            return INSTANCE + leaf, {}
        if zoo_model(called, leaf):
            return MODEL, {"mode_layers": True}
        # `nn.Linear(...)` is a module; `nn.functional.mse_loss(...)` / `nn.utils.clip_grad_norm_`
        # are functions whose results are tensors or numbers.
        if leaf[:1].isupper() and (called.startswith(("nn.", "torch.nn.")) or leaf in PLAIN_LAYERS | MODE_LAYERS
                                      or leaf in DROPOUT_ARGUMENT):
            return MODEL, {"mode_layers": _layers_in(value, symbols)}
        if called.startswith(("torch.", "np.", "numpy.")) and leaf in TENSOR_FACTORIES:
            return TENSOR, {}
        return None, {}


def _statements(func: cst.FunctionDef) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [func.body]
    while stack:
        current = stack.pop()
        if type(current) in (cst.Assign, cst.Return):
            found.append(current)
        elif (not type(current) in (cst.FunctionDef, cst.ClassDef) or current is func) and type(current) not in NO_CODE:
            stack.extend(reversed(children(current)))
    return found


def layer_has_mode(call: cst.Call, leaf: str) -> Optional[bool]:
    """Does a torch layer behave differently in train and eval mode? None: it depends on
    arguments the source does not spell out (`nn.GRU(..., dropout=args.dropout)`)."""
    if leaf in DROPOUT_MODULES:
        rate = number_value(arg_value(call, 0, "p"), 0.5)
        return rate is None or rate > 0   # nn.Dropout(0.0): the identity in both modes
    if leaf in MODE_LAYERS:
        return True
    if leaf not in DROPOUT_ARGUMENT:
        return False
    position, default = DROPOUT_ARGUMENT[leaf]
    rate = number_value(arg_value(call, position, "dropout"), default)
    if leaf in RECURRENT_LAYERS:
        layers = number_value(arg_value(call, 2, "num_layers"), 1)
        if layers is not None and layers <= 1:
            return False
        if rate is None or layers is None:
            return None if rate != 0 else False
    return None if rate is None else rate > 0


def _layers_in(node: cst.CSTNode, symbols: Symbols, seen: Optional[set[str]] = None,
               skip: frozenset[cst.Call] = frozenset()) -> Optional[bool]:
    """True if Dropout/BatchNorm is constructed inside `node`; None if an unknown module is.
    `skip`: constructions that are not layers of the model (`_built_per_forward`)."""
    unknown = False
    for call in calls_in(node, into_functions=True):
        if call in skip:
            continue
        leaf = last(call_name(call))
        if leaf in MODE_LAYERS or leaf in DROPOUT_ARGUMENT:
            has_mode = layer_has_mode(call, leaf)
            if has_mode:
                return True
            unknown |= has_mode is None
        elif leaf in symbols.classes and symbols.classes[leaf].is_module:
            inner = class_mode_layers(leaf, symbols, seen)
            if inner:
                return True
            unknown |= inner is None
        elif leaf[:1].isupper() and leaf not in PLAIN_LAYERS and not leaf.endswith(("Loss", "Loss2d", "Error")) \
                and leaf not in ("Parameter", "Tensor", "ValueError", "TypeError", "RuntimeError"):
            unknown = True
    return None if unknown else False


def class_has_parameters(name: str, symbols: Symbols) -> bool:
    """False only for an in-file nn.Module whose code builds no layer, parameter or submodule
    and no tensor that requires grad (plain tensors and hand-written gradients): its forward
    records no autograd graph."""
    cls = symbols.classes[name]
    if {last(dotted(b.value)) for b in cls.node.bases} - {"Module"}:
        return True
    for call in calls_in(cls.node.body, into_functions=True):
        leaf = last(call_name(call)) or method(call)
        if leaf[:1].isupper() or leaf in ("register_parameter", "register_module", "add_module", "requires_grad_") \
                or keyword(call, "requires_grad") is not None:
            return True
    return "requires_grad" in {n.attr.value for n in nodes_in(cls.node.body, into_functions=True)
                               if type(n) is cst.Attribute}


def _built_per_forward(cls: cst.ClassDef) -> frozenset[cst.Call]:
    """Modules that forward() builds anew at each call and uses at once (`nn.Dropout(d)(x)`,
    `drop = nn.Dropout(p)` then `drop(x)`): they are not children of the model, and a new module
    is in train mode whatever model.eval() set, so they are not mode layers that eval() switches.
    (`self.drop = nn.Dropout(p)` in forward registers a child that later eval() calls reach.)"""
    built: set[cst.Call] = set()
    for statement in cls.body.body:
        if type(statement) is not cst.FunctionDef or statement.name.value != "forward":
            continue
        for node in nodes_in(statement.body):
            if type(node) is cst.Call and type(node.func) is cst.Call:
                built.add(node.func)
            elif type(node) is cst.Assign and type(node.value) is cst.Call \
                    and all(type(t.target) is cst.Name for t in node.targets):
                built.add(node.value)
    # classes only: F.dropout(x, p, training=self.training) follows the model's mode
    return frozenset(c for c in built if last(call_name(c))[:1].isupper())


def class_mode_layers(name: str, symbols: Symbols, seen: Optional[set[str]] = None) -> Optional[bool]:
    cls = symbols.classes[name]
    if cls.mode_layers is not None:
        return cls.mode_layers
    seen = set() if seen is None else seen
    if name in seen:
        return False
    seen.add(name)
    result = _layers_in(cls.node.body, symbols, seen, _built_per_forward(cls.node))
    if any(_layers_in(other.body, symbols, seen, _built_per_forward(other)) != result for other in cls.earlier):
        cls.mode_layers = None
        return None   # redefined with and without Dropout/BatchNorm: which one runs is unknown here
    for base in cls.node.bases:
        base_name = last(dotted(base.value))
        if base_name in symbols.classes and result is not True:
            inner = class_mode_layers(base_name, symbols, seen)
            result = True if inner else (None if inner is None else result)
        elif base_name in ("LightningModule", "PreTrainedModel"):
            result = result if result else None
    cls.mode_layers = result
    return result


def collect(module: cst.Module, source: str, imported: Optional[dict[str, ModelClass]] = None) -> Symbols:
    """`imported`: classes of other project files that the file imports by name."""
    symbols = Symbols()
    symbols.classes.update(imported or {})
    # Classes first, so that constructors used before their class body are recognised.
    visit(module, _Collector(symbols))
    trained = _unknown_parameter_owners(symbols)
    symbols.kinds.clear()
    symbols.kinds.update(dict.fromkeys(trained, MODEL))
    visit(module, _Collector(symbols))
    # An accelerator is named and something is put on a device: a notebook that only defines
    # `device = torch.device("cuda" if ...)` and never moves anything runs on the CPU.
    symbols.uses_accelerator = uses_accelerator(source)
    symbols.forward_hooks = "register_forward_hook" in source
    return symbols


def _unknown_parameter_owners(symbols: Symbols) -> set[str]:
    """`G_AB` in `Adam(chain(G_AB.parameters(), ...))`: whatever an optimizer trains is a model,
    even when its class is imported and its name says nothing."""
    owners = {m for models in symbols.optimizer_models.values() if models for m in models}
    return {m for m in owners if m != "self" and symbols.kind(m) is None and m not in symbols.classes}


def members(symbols: Symbols, names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out.update(symbols.group_members.get(name, (name,)))
    return out
