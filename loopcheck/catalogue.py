"""The rule catalogue: the one vocabulary shared by the static checker and the runtime watcher.

Codes and names are stable public API: never renumber or rename a rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from loopcheck.findings import Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: Severity
    summary: str
    static: bool = True
    runtime: bool = True

    @property
    def doc_filename(self) -> str:
        return f"{self.code}-{self.name}.md"


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[RuleInfo, ...] = (
    RuleInfo("LC101", "missing-zero-grad", _E,
             "a training loop steps the optimizer but never clears gradients in each iteration"),
    RuleInfo("LC102", "zero-grad-between-backward-and-step", _E,
             "gradients are cleared after backward() and before step() in the same iteration"),
    RuleInfo("LC103", "step-before-backward", _E,
             "step() runs before backward() in the iteration, so it never sees fresh gradients"),
    RuleInfo("LC104", "scheduler-before-optimizer", _E,
             "an LR scheduler steps before the optimizer's first step"),
    RuleInfo("LC105", "accumulation-discarded", _E,
             "gradients are cleared every iteration but step() runs only every k iterations"),
    RuleInfo("LC106", "backward-without-grad", _E,
             "backward() on a tensor computed under no_grad()/inference_mode() or from detached values"),
    RuleInfo("LC107", "optimizer-in-loop", _E,
             "an optimizer is constructed inside the training loop, resetting its state every iteration"),
    RuleInfo("LC108", "sampler-set-epoch-missing", _W,
             "a DistributedSampler shuffles but set_epoch() is never called: every epoch sees the same order"),
    RuleInfo("LC109", "softmax-before-cross-entropy", _E,
             "softmax output is fed to CrossEntropyLoss (softmax applied twice) or NLLLoss (expects log-probabilities)"),
    RuleInfo("LC110", "no-sync-accumulation", _I,
             "with DDP and gradient accumulation, backward() on non-step iterations runs outside model.no_sync()"),
    RuleInfo("LC111", "clip-before-unscale", _E,
             "with a GradScaler, gradients are clipped before scaler.unscale_(optimizer), against scaled values"),
    RuleInfo("LC112", "scaler-update-missing", _E,
             "scaler.step() is called but scaler.update() never is"),
    RuleInfo("LC113", "functional-dropout-always-on", _E,
             "F.dropout() in a module without training=self.training: dropout stays on in eval mode"),
    RuleInfo("LC114", "epoch-scheduler-per-batch", _E,
             "a scheduler whose schedule is counted in epochs (StepLR, MultiStepLR, ...) is stepped every batch"),
    RuleInfo("LC115", "backward-without-step", _E,
             "a loop calls backward() but the optimizer it builds is never stepped"),
    RuleInfo("LC201", "eval-without-eval-mode", _E,
             "a validation/inference forward runs while the model is still in train mode"),
    RuleInfo("LC202", "eval-without-no-grad", _W,
             "a validation/inference forward runs with grad enabled, building an unused autograd graph"),
    RuleInfo("LC203", "train-mode-not-restored", _E,
             "after validation puts the model in eval mode, training continues without model.train()"),
    RuleInfo("LC301", "batch-not-on-device", _E,
             "the model is moved to a device but batch tensors reach it without being moved"),
    RuleInfo("LC302", "tensor-created-off-device", _W,
             "a new tensor is created without device= in a loop or forward() of a script that uses an accelerator",
             runtime=False),
    RuleInfo("LC303", "load-without-map-location", _W,
             "torch.load() of a checkpoint without map_location in code that falls back to the CPU",
             runtime=False),
    RuleInfo("LC304", "to-result-discarded", _E,
             "x.to(device) / x.cuda() on a tensor as a bare statement: the moved copy is discarded",
             runtime=False),
    RuleInfo("LC401", "loss-kept-with-graph", _W,
             "a loss tensor is accumulated across iterations without .item()/.detach(), keeping every graph alive",
             runtime=False),
    RuleInfo("LC501", "params-not-in-optimizer", _E,
             "parameters receive gradients but belong to no watched optimizer", static=False),
    RuleInfo("LC502", "params-without-grad", _W,
             "parameters in an optimizer never receive a gradient although they require one", static=False),
    RuleInfo("LC601", "loss-shape-broadcast", _E,
             "a regression loss gets input and target shapes that broadcast to a bigger shape ((N, 1) vs (N,))"),
)

BY_CODE: dict[str, RuleInfo] = {rule.code: rule for rule in RULES}


def rule_info(code: str) -> RuleInfo:
    return BY_CODE[code]


def matches(code: str, patterns: "list[str] | tuple[str, ...]") -> bool:
    """True when `code` is selected by one of `patterns` (full codes or prefixes such as `LC2`)."""
    return any(code.startswith(p) for p in patterns)


def is_known_selector(pattern: str) -> bool:
    return pattern == "ALL" or any(rule.code.startswith(pattern) for rule in RULES)
