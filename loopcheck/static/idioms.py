"""What loopcheck knows about the PyTorch API and training idioms: one table.

Class and function names of optimizers, schedulers, layers with train/eval behaviour, losses,
wrappers and frameworks, and the naming conventions of real training code. The static analysis
(symbols, walker, patterns) reads these tables; a newcomer who teaches loopcheck a new API or
idiom adds it here.
"""
from __future__ import annotations

import re

# ---- names, models and the objects of a training loop ---------------------------------------
OPTIMIZER_CLASSES = frozenset({
    "SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "ASGD", "LBFGS", "NAdam", "RAdam",
    "RMSprop", "Rprop", "SparseAdam", "Adafactor", "Lion", "LAMB", "Lamb", "FusedAdam", "FusedLAMB",
    "AdamW8bit", "Adam8bit", "ZeroRedundancyOptimizer", "Muon", "Shampoo", "AdaBelief", "Ranger",
})
# Optimizers that keep no state from one step to the next when one argument is absent or 0: name ->
# (that argument, its position). Plain SGD rebuilt every iteration loses nothing (LC107), unless an
# LR schedule runs on it.
STATELESS_OPTIMIZERS = {"SGD": ("momentum", 2)}
SCHEDULER_CLASSES = frozenset({
    "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "ReduceLROnPlateau", "CyclicLR",
    "OneCycleLR", "CosineAnnealingWarmRestarts", "LambdaLR", "MultiplicativeLR", "LinearLR",
    "ConstantLR", "SequentialLR", "ChainedScheduler", "PolynomialLR", "get_linear_schedule_with_warmup",
    "get_cosine_schedule_with_warmup", "get_scheduler", "get_constant_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup", "get_cosine_with_hard_restarts_schedule_with_warmup",
    "create_scheduler", "create_scheduler_v2",
})
SCALER_CLASSES = frozenset({"GradScaler", "ShardedGradScaler"})
LOADER_CLASSES = frozenset({"DataLoader"})
# Constructors that take a model, an optimizer or a callable but never touch gradients or steps
# themselves (`get_linear_schedule_with_warmup(optimizer, ...)`; a DataLoader calls its collate_fn
# per batch): no opaque training step, and what they are handed does not escape.
CONSTRUCTORS = SCHEDULER_CLASSES | OPTIMIZER_CLASSES | SCALER_CLASSES | LOADER_CLASSES
# Methods and attributes whose result carries no graph: a Python number or a detached tensor.
DETACH_METHODS = frozenset({"detach", "item", "numpy", "tolist", "data"})
LOSS_FUNCTIONS = frozenset({
    "cross_entropy", "mse_loss", "nll_loss", "l1_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "smooth_l1_loss", "kl_div", "huber_loss", "ctc_loss",
    "cosine_embedding_loss", "margin_ranking_loss", "triplet_margin_loss", "poisson_nll_loss",
})
MODE_LAYERS = frozenset({
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "LazyBatchNorm1d",
    "LazyBatchNorm2d", "LazyBatchNorm3d", "TransformerEncoder", "TransformerDecoder", "dropout",
    "dropout2d", "batch_norm",
})
# Layers whose dropout is an argument: leaf -> (position of `dropout`, its default).
DROPOUT_ARGUMENT = {
    "LSTM": (5, 0.0), "GRU": (5, 0.0), "RNN": (6, 0.0), "MultiheadAttention": (2, 0.0),
    "TransformerEncoderLayer": (3, 0.1), "TransformerDecoderLayer": (3, 0.1), "Transformer": (5, 0.1),
}
# Dropout modules: their rate `p` (first argument, default 0.5); at p=0 train mode changes nothing.
DROPOUT_MODULES = frozenset({"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"})
# Recurrent layers apply their dropout between stacked layers only: num_layers (position 2,
# default 1) must be above 1.
RECURRENT_LAYERS = frozenset({"LSTM", "GRU", "RNN"})
# torch.nn building blocks without train/eval-dependent behaviour.
PLAIN_LAYERS = frozenset({
    "Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "ReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "LeakyReLU", "ELU", "Softmax", "LogSoftmax", "Flatten",
    "Unflatten", "MaxPool1d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveAvgPool1d",
    "Embedding", "LayerNorm", "GroupNorm", "Identity", "Sequential", "ModuleList",
    "ModuleDict", "Parameter", "Softplus", "Mish", "Hardswish", "PReLU", "Bilinear", "Upsample",
    "RMSNorm", "PixelShuffle", "ZeroPad2d", "ReflectionPad2d", "Linear",
})
MODULE_BASES = frozenset({"Module", "LightningModule", "PreTrainedModel", "Sequential"})
ZOO_PREFIXES = ("torchvision.models.", "models.", "timm.", "tv_models.", "torchvision_models.")
WRAPPERS = frozenset({"DistributedDataParallel", "DDP", "DataParallel", "FullyShardedDataParallel",
                      "FSDP", "compile"})
SCATTERING_WRAPPERS = frozenset({"DistributedDataParallel", "DDP", "DataParallel"})
# Wrappers whose forward moves its inputs to the module's device: DataParallel scatters them;
# DistributedDataParallel moves them when it is given device_ids (LC302: a CPU tensor handed
# to such a model's forward is moved, not mixed with accelerator tensors).
INPUT_MOVING_WRAPPERS = frozenset({"DataParallel"})
INPUT_MOVING_WITH_DEVICE_IDS = frozenset({"DistributedDataParallel", "DDP"})
# `AutoModel.from_pretrained(...)` returns a model already in eval mode: not a train-mode model.
LOADS_IN_EVAL_MODE = frozenset({"from_pretrained"})
# `AutoTokenizer.from_pretrained(...)`: hub objects that are not modules.
NOT_MODULE_WORDS = ("Tokenizer", "Processor", "FeatureExtractor", "Config", "Pipeline", "Scheduler")
# `model.load_state_dict(...)`, `model.load_weights(...)`: a model with trained weights.
WEIGHT_LOADING_PREFIXES = ("load",)
# Functions of other modules whose names say they train a model or load its weights
# (`train_one_epoch(model, ...)`, `load_checkpoint(model, path)`).
TRAINS_OR_LOADS_WORDS = ("train", "fit", "load", "restore", "resume", "checkpoint")
# Calls that write their argument to disk: a call of other code that builds what they are given
# (`torch.save(get_training_state(config, model), path)`) packs a checkpoint, it runs no backward.
SAVING_CALLS = frozenset({"torch.save"})
# Words that name held-out data (`val_loader`, `testloader`, `dataloaders["valid"]`): a loop
# over such a loader that uses no gradient is an evaluation loop.
EVALUATION_DATA_WORDS = frozenset({"val", "valid", "validation", "test", "testing", "eval", "evaluation",
                                   "dev", "holdout"})
# The same words for a forward's input tensors, without the ones that name settings or devices.
HELD_OUT_INPUT_WORDS = EVALUATION_DATA_WORDS - {"eval", "evaluation", "dev"}
# Calls that use gradients without training (input gradients, hooks): a loop with one of
# them is not a pure evaluation loop. Matched on the whole dotted name or on the method.
GRADIENT_USES = frozenset({"autograd.grad", "torch.autograd.grad", "torch.func.grad", "functorch.grad",
                           "vjp", "jvp", "jacrev", "jacfwd", "jacobian", "hessian", "requires_grad_",
                           "retain_grad", "register_hook"})
# Attributes of a tensor that are not tensors carrying its graph (`out.shape`, `out.grad`).
TENSOR_METADATA = frozenset({"shape", "dtype", "device", "ndim", "is_cuda", "requires_grad", "grad_fn",
                             "grad", "is_leaf", "layout", "names"})
# Tensor methods that return Python numbers or sizes, never a tensor carrying the graph
# (`total += loss.item() * out.size(0)`, `n += pred.numel()`).
TENSOR_NUMBER_METHODS = frozenset({"size", "numel", "nelement", "dim", "ndimension", "element_size",
                                   "stride", "get_device", "data_ptr", "is_contiguous", "is_floating_point"})
# Names spelled like a model but with a verb in front (`evaluate_model`, `get_peft_model`,
# `build_net`): a call of such a name that nothing in the file assigns runs a function (it
# returns a model or numbers), not a model's forward.
FUNCTION_NAMED_LIKE_A_MODEL = re.compile(
    r"^(get|build|create|make|load|init|initialize|prepare|wrap|evaluate|validate|train|test|run|fit|save|"
    r"setup|construct|convert|export|define|instantiate)_(\w+_)?(model|net)$")
# Context managers that put the models they are given in eval mode under no_grad() for their
# block and restore the previous modes on exit (MONAI's `with eval_mode(model):`).
EVAL_MODE_CONTEXTS = frozenset({"eval_mode"})
# What a shape check reads of a tensor (`assert out.shape == (2, 10)`, `out.size(1)`, `len(out)`):
# train and eval mode give outputs of the same shape.
SHAPE_ATTRIBUTES = frozenset({"shape", "ndim", "dtype", "device", "size", "dim", "numel"})
SHAPE_FUNCTIONS = frozenset({"len"})
# apex's `with amp.scale_loss(loss, optimizer) as scaled:` takes the optimizer but never clears
# or steps it: not an opaque call that may.
LOSS_SCALING = frozenset({"amp.scale_loss", "apex.amp.scale_loss"})
# Optimizer wrappers that backpropagate the loss themselves: apex's and Megatron's
# `FP16_Optimizer.backward(loss)` scales the loss and runs its backward.
OPTIMIZER_BACKWARD_METHODS = frozenset({"backward"})
# Step functions a framework calls once per batch, whose bodies are loop bodies: ignite's
# `Engine(process_function)`, and Lightning's training_step under manual optimization
# (`self.automatic_optimization = False`; with automatic optimization Lightning clears,
# backpropagates and steps itself).
STEP_FUNCTION_ENGINES = frozenset({"Engine", "DeterministicEngine"})
MANUAL_OPTIMIZATION_STEPS = frozenset({"training_step"})
# `lengths`, `seq_lens`, `text_lengths`: sequence lengths, which pack_padded_sequence() needs on the CPU.
LENGTHS = re.compile(r"(^|_)(len|lens|length|lengths)$")
# `if check_overflow(grad_norm): return`, `if found_inf:`: a step skipped when the gradients are
# not finite is the error path of mixed precision (as a `raise` is), not a choice of the loop.
NON_FINITE_CHECKS = re.compile(r"overflow|(^|_)(isnan|isinf|found_inf|has_inf|has_nan|inf_or_nan)$")
# Calls that build a Python list (or a mapping of lists): their `append` keeps what it is given.
# A name bound only to other objects (`run_loss = CumulativeAverage()`, a logger, a metric) may
# detach or reduce what it appends (LC401 stays silent).
LIST_BUILDERS = frozenset({"list", "defaultdict", "deque", "sorted"})
# Matplotlib figures: a loop that draws a figure for every prediction is a handful of single
# predictions, not an evaluation pass (a video loop that shows every frame is: not listed).
DISPLAY_ROOTS = frozenset({"plt", "pyplot", "ax", "axes", "axs", "axarr", "fig"})
# Datasets built from tensors: when the tensors are on the GPU, so is every batch.
TENSOR_DATASETS = frozenset({"TensorDataset"})
TENSOR_FACTORIES = frozenset({"zeros", "ones", "empty", "full", "rand", "randn", "randint", "arange",
                              "linspace", "logspace", "eye", "tensor", "as_tensor", "randperm"})


# What a name's spelling says its object is: the kinds of the symbols pre-pass
# (loopcheck.static.symbols), first match wins.
NAME_KINDS = (
    (re.compile(r"(^|_)(opt|optim|optimizer|optimiser)s?($|_)|^optimizer|optimizer$|^opt[A-Z_]"), "optimizer"),
    (re.compile(r"sched|lr_scheduler"), "scheduler"),
    (re.compile(r"scaler$"), "scaler"),
    (re.compile(r"loader$|^dl$|_dl$|dataloader"), "loader"),
    (re.compile(r"^(criterion|loss_fn|loss_func|lossfn|loss_function|criteria)"), "loss"),
    (re.compile(r"^(model|net|network|classifier|encoder|decoder|generator|discriminator|policy|actor|"
                r"critic|student|teacher|backbone|gen|disc|q_net|qnet|policy_net|target_net|value_net)"
                r"|_model$|_net$|^net[A-Z_]|^model_?\w*$"), "model"),
)


# `policy_loss`, `model_output`, `optimizer_state` name values, not models or optimizers.
VALUE_WORDS = frozenset({
    "loss", "losses", "out", "output", "outputs", "logits", "pred", "preds", "prediction",
    "predictions", "grad", "grads", "state", "states", "params", "parameters", "path", "name", "dir",
    "cfg", "config", "args", "kwargs", "type", "kind", "fn", "lr", "dtype", "device", "input", "inputs",
    "target", "targets", "result", "results", "score", "scores", "probs", "log", "size", "dim", "idx",
    "id", "file", "ckpt", "checkpoint", "dict", "sd", "class", "cls", "str", "level", "list",
    "img", "imgs", "image", "images", "sample", "samples", "samp", "noise", "batch", "features",
    "feats", "embeddings", "tokens", "mask", "masks", "hidden", "weights", "grid", "seq",
})


ZOO_FUNCTIONS = re.compile(r"(resnet|vgg|densenet|efficientnet|mobilenet|vit_|convnext|regnet|resnext|"
                            r"wide_resnet|squeezenet|alexnet|googlenet|inception|shufflenet|mnasnet|swin)")


def zoo_model(called: str, leaf: str) -> bool:
    """A constructor from a model zoo (torchvision, timm, transformers); all of these models
    have Dropout or BatchNorm."""
    if any(word in called for word in NOT_MODULE_WORDS):
        return False
    return called.startswith(ZOO_PREFIXES) or leaf in ("create_model", "from_pretrained") \
        or bool(ZOO_FUNCTIONS.match(leaf))


def evaluation_data(name: str) -> bool:
    """`val_loader`, `testloader`, `valid_dl`, `eval_dataloader`: a name for held-out data."""
    words = [w for w in re.split(r"[^a-z]+", name.rsplit(".", 1)[-1].lower()) if w]
    return any(w in EVALUATION_DATA_WORDS or (w.startswith(("val", "test", "eval"))
                                              and w.endswith(("loader", "dl", "data", "set")))
               for w in words)


def held_out_input(name: str) -> bool:
    """`test_features`, `X_val`, `valid_x`: a tensor of held-out data (not `eval_batch_size` nor
    `dev`, which name settings and devices as often as data)."""
    words = [w for w in re.split(r"[^a-z]+", name.lower()) if w]
    return any(w in HELD_OUT_INPUT_WORDS for w in words)


def kind_from_name(name: str) -> "str | None":
    """What a name's spelling says its object is (`val_loader`: a loader), by NAME_KINDS."""
    leaf = name.rsplit(".", 1)[-1]
    if leaf in _KIND_OF_LEAF:
        return _KIND_OF_LEAF[leaf]
    found = _KIND_OF_LEAF[leaf] = _kind_from_leaf(leaf)
    if len(_KIND_OF_LEAF) > 100_000:
        _KIND_OF_LEAF.clear()
    return found


_KIND_OF_LEAF: "dict[str, str | None]" = {}   # the name patterns' verdicts, once per spelling


def _kind_from_leaf(leaf: str) -> "str | None":
    for pattern, kind in NAME_KINDS:
        if pattern.search(leaf):
            if kind in ("model", "optimizer") and VALUE_WORDS & set(leaf.lower().split("_")):
                return None
            return kind
    return None


# An accelerator is named and something is put on a device (tested on the raw text, comments
# included): a notebook that only defines `device = torch.device("cuda" if ...)` and never moves
# anything runs on the CPU. LC302 reports tensors created off the device only then.
ACCELERATOR_NAMED = re.compile(r"\bcuda\b|\.cuda\(|accelerator|\bmps\b")
PUT_ON_A_DEVICE = re.compile(r"\.to\(|\.cuda\(|[(,]\s*device\s*=|\.prepare\(")


def uses_accelerator(source: str) -> bool:
    return bool(ACCELERATOR_NAMED.search(source)) and bool(PUT_ON_A_DEVICE.search(source))

# ---- the syntax-pattern rules (LC108-LC115, LC303) --------------------------------------------
CLIP_FUNCTIONS = frozenset({"clip_grad_norm_", "clip_grad_value_", "clip_grad_norm"})
# Namespaces whose clip functions do not unscale (accelerate's and Lightning's clip do).
CLIP_NAMESPACES = frozenset({"", "torch.nn.utils", "nn.utils", "utils", "torch.nn.utils.clip_grad"})
# Functional dropouts: name -> (the layer that follows the module's mode, the default of `training`).
# The alpha variants default to False: without `training=` they never drop, not even in training.
FUNCTIONAL_DROPOUTS = {
    "dropout": ("Dropout", True), "dropout1d": ("Dropout1d", True), "dropout2d": ("Dropout2d", True),
    "dropout3d": ("Dropout3d", True), "alpha_dropout": ("AlphaDropout", False),
    "feature_alpha_dropout": ("FeatureAlphaDropout", False),
}
FUNCTIONAL = "torch.nn.functional"
SOFTMAX_FUNCTIONS = frozenset({"torch.softmax", "torch.nn.functional.softmax", "torch.special.softmax"})
SOFTMAX_MODULES = frozenset({"Softmax", "Softmax2d"})
# Losses whose input must be logits (CrossEntropyLoss applies log_softmax itself) or
# log-probabilities (NLLLoss): probabilities from softmax are wrong for both.
CLASS_LOSSES = {"CrossEntropyLoss": "CrossEntropyLoss", "NLLLoss": "NLLLoss",
                f"{FUNCTIONAL}.cross_entropy": "cross_entropy", f"{FUNCTIONAL}.nll_loss": "nll_loss"}
# Writes of a parameter's gradient. `p.grad.zero_()`/`detach_()` and `p.grad = torch.zeros_like(p)`
# discard it, as zero_grad() does (a CLEAR event). `p.grad.fill_(v)`/`copy_(g)` and `p.grad = g` (g not
# read from that gradient) replace it with given values: what came before is gone, so nothing
# accumulates (LC101 stays silent), and the step then uses the written values on purpose (fake or
# externally computed gradients: no starved step for LC102/LC103, no discarded accumulation for LC105).
GRAD_CLEAR_METHODS = frozenset({"zero_", "detach_"})
GRAD_OVERWRITE_METHODS = frozenset({"fill_", "copy_"})
GRAD_ZERO_FACTORIES = frozenset({"zeros_like", "zeros"})
# LC109 at runtime (loopcheck.runtime.softmax_losses): the functional losses it wraps (name -> the
# loss module whose forward calls it), the autograd node softmax leaves on its output (F.softmax,
# torch.softmax, Tensor.softmax, nn.Softmax, nn.Softmax2d), and the nodes that only move, reshape,
# copy or cast values, looked through on the way back from the loss's input.
LOGIT_LOSSES = {"cross_entropy": "CrossEntropyLoss", "nll_loss": "NLLLoss"}
SOFTMAX_NODES = frozenset({"SoftmaxBackward0"})
VALUE_PRESERVING_NODES = frozenset({
    "ViewBackward0", "UnsafeViewBackward0", "ReshapeAliasBackward0", "ToCopyBackward0", "CloneBackward0",
    "TBackward0", "TransposeBackward0", "PermuteBackward0", "UnsqueezeBackward0", "SqueezeBackward0",
    "SqueezeBackward1", "SqueezeBackward2",
})
# Elementwise losses that broadcast input against target without an error (torch only warns for
# the first four): functional name -> module class (LC601).
BROADCASTING_LOSSES = {"mse_loss": "MSELoss", "l1_loss": "L1Loss", "smooth_l1_loss": "SmoothL1Loss",
                       "huber_loss": "HuberLoss", "poisson_nll_loss": "PoissonNLLLoss",
                       "gaussian_nll_loss": "GaussianNLLLoss", "kl_div": "KLDivLoss",
                       "hinge_embedding_loss": "HingeEmbeddingLoss"}
# What LC601 knows of shapes (loopcheck.static.shapes). Torch functions that make a 1-D tensor:
VECTOR_FACTORIES = frozenset({"arange", "linspace", "logspace", "randperm"})
# Factories taking a size: leaf -> the position of the size tuple, or None for sizes as arguments.
SIZE_FACTORIES = {"zeros": None, "ones": None, "empty": None, "rand": None, "randn": None, "randint": 2,
                  "full": 0}
# Tensors made from data of the same shape (the capitalised legacy ones also from one size).
TENSOR_CONVERSIONS = frozenset({"tensor", "as_tensor", "from_numpy", "Tensor", "FloatTensor", "DoubleTensor",
                                "LongTensor"})
# Functions (torch.*, torch.nn.functional.*) and tensor methods that keep the shape.
ELEMENTWISE_FUNCTIONS = frozenset({"sin", "cos", "exp", "log", "log1p", "expm1", "tanh", "sigmoid", "sqrt",
                                   "abs", "relu", "square", "neg", "softplus"})
SHAPE_PRESERVING_METHODS = ELEMENTWISE_FUNCTIONS | {
    "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "long", "int", "detach", "clone", "contiguous",
    "type", "requires_grad_", "astype", "pow"}
# pandas tables: `df["price"]` of one of them is one column, 1-D (xarray's `ds["t"]` need not be).
DATAFRAME_NAMES = re.compile(r"(^|_)df\d*($|_)")
DATAFRAME_MAKERS = frozenset({"DataFrame", "read_csv", "read_parquet", "read_excel", "read_json", "read_feather",
                              "read_table", "read_pickle", "read_sql"})
# Attributes of a table that are tables, not columns (`df.T.values` is 2-D).
DATAFRAME_TABLE_ATTRIBUTES = frozenset({"T", "loc", "iloc", "values", "dtypes", "axes"})
# Layers after the last nn.Linear of a Sequential that keep its output's shape.
ELEMENTWISE_LAYERS = frozenset({"ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh",
                                "Hardtanh", "Softplus", "Identity", "Dropout"})
# DataLoader keywords that leave its batches the default collation of the dataset's items.
BATCH_SAFE_LOADER_ARGUMENTS = frozenset({"dataset", "batch_size", "shuffle", "sampler", "num_workers",
                                         "pin_memory", "drop_last", "timeout", "worker_init_fn", "generator",
                                         "prefetch_factor", "persistent_workers"})
# Schedulers whose length is counted in epochs by convention, and the argument holding it.
EPOCH_SCHEDULERS = {"StepLR": "step_size", "MultiStepLR": "milestones", "CosineAnnealingLR": "T_max",
                    "ExponentialLR": "gamma"}
# An integer schedule length below this is a number of epochs; per-step schedules count thousands.
EPOCH_LENGTH_LIMIT = 1000
# A decay factor at most this strong per step is an epoch decay; per-step decays sit near 1.
EPOCH_GAMMA_LIMIT = 0.99
PER_STEP_WORDS = ("step", "iter", "batch", "len", "total", "sample")
DISTRIBUTED_SAMPLER = "DistributedSampler"
ITERATION_HELPERS = frozenset({"enumerate", "tqdm", "iter", "len", "zip", "next", "print", "DataLoader", DISTRIBUTED_SAMPLER})
DDP_WRAPPERS = frozenset({"DistributedDataParallel", "DDP"})
# `model = smart_DDP(model)` (ultralytics): a helper of the project named after the wrapper it returns.
DDP_HELPERS = re.compile(r"(^|_)DDP$")
GRAD_SYNC_CONTROLS = frozenset({"no_sync", "accumulate", "require_backward_grad_sync"})
MOVES = frozenset({"to", "cuda", "cpu", "half", "float", "double", "bfloat16", "train", "eval"})
CUDA_WORDS = ("cuda", "gpu", "is_available")


# ---- the pre-filter (loopcheck.prefilter): what makes a file worth analysing ------------------
# Its code (never comments nor strings) must hold some rule's evidence; these are the names.
# Methods whose calls the walker turns into STEP, BACKWARD, CLEAR and MODE events (with
# `accelerator.backward`, `self.manual_backward`): every LC1xx stream rule needs a step or a
# backward, LC203 a mode switch, and so do the pattern rules LC110-LC112, LC114, LC115.
GATE_TRAINING_CALLS = frozenset({"backward", "manual_backward", "zero_grad", "step", "train", "eval"})
# The subjects of the pattern rules, anywhere in the code: softmax (LC109), functional dropout
# (LC113), DistributedSampler (LC108), clipping (LC111), torch.load (LC303), the broadcasting
# losses (LC601).
GATE_PATTERN_SUBJECTS = frozenset(
    {"softmax", "log_softmax", "load", DISTRIBUTED_SAMPLER} | set(SOFTMAX_MODULES) | set(FUNCTIONAL_DROPOUTS) | set(CLIP_FUNCTIONS)
    | set(BROADCASTING_LOSSES) | set(BROADCASTING_LOSSES.values()))
# `x.to(device)` as a statement: LC304 (Walker.check_discarded_move).
GATE_BARE_MOVES = frozenset({"to", "cuda", "cpu"})
# Moves that put a model on a device (symbols: model_device), which LC301 needs.
GATE_MOVES = frozenset({"to", "cuda"})
# `model.to(device)`, `net.train()`: calls whose value is the module they are called on.
GATE_MODEL_METHODS = frozenset({"to", "cuda", "half", "float", "bfloat16", "double", "train", "eval", "requires_grad_"})
# Classes whose objects are modules (symbols._classify_constructor), besides in-file and imported
# classes and capitalised torch.nn names.
GATE_MODEL_CLASSES = PLAIN_LAYERS | MODE_LAYERS | frozenset(DROPOUT_ARGUMENT) | WRAPPERS
# Handing one of these (or `self`) to a function of another project file makes the walker inline it.
GATE_TRAINING_STATE = frozenset({"model", "optimizer", "scheduler", "scaler", "loader", "loss"})
