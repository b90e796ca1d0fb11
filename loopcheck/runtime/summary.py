"""The behaviour summary: what the loop did, as a dict (JSON) and a short text table."""
from __future__ import annotations

from collections import Counter
from typing import Any

from loopcheck.events import Event, Kind, Stream
from loopcheck.rules.phases import forwards
from loopcheck.runtime.evaluate import label_call
from loopcheck.runtime.observer import Observer


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _per_step(hist: Counter, lbfgs: bool, no_sync: bool, accumulated: bool) -> str:
    """`accumulated`: some step had one backward() call site run more than once since the
    optimizer's clear (a GAN's discriminator fed at two sites, real and fake, is not)."""
    if not hist:
        return "no steps"
    low, high = min(hist), max(hist)
    total = sum(hist.values())
    if low == high:
        text = f"{_plural(low, 'backward pass', 'backward passes')} per step"
    else:
        mean = sum(k * v for k, v in hist.items()) / total
        text = f"{low}-{high} backward passes per step (mean {mean:.1f})"
    if lbfgs:
        text += " (closure calls inside step())"
    elif high > 1 and accumulated:
        text += " (gradient accumulation" + (" inside DDP.no_sync(), intended" if no_sync else "") + ")"
    elif high > 1:
        text += " (separate backward() calls, not accumulation)"
    return text


def _phase_key(purpose: str, training: Any, grad: Any) -> str:
    mode = {True: "train mode", False: "eval mode"}.get(training, "unknown mode")
    grad_text = {True: "grad", False: "no grad"}.get(grad, "grad unknown")
    return f"{purpose} ({mode} + {grad_text})"


def build(obs: Observer, stream: Stream, mult: list[int], originals: list[Event]) -> dict[str, Any]:
    labels = obs.labels.resolve()
    types = obs.labels.types
    events = stream.events

    optimizers = {}
    for token, stats in obs.opt_stats.items():
        lbfgs = types.get(token) == "LBFGS"
        entry: dict[str, Any] = {
            "type": types.get(token, "?"),
            "steps": stats.steps,
            "backward_per_step": _per_step(stats.per_step, lbfgs, obs.no_sync_backwards > 0,
                                           stats.accumulated_steps > 0),
            "backward_per_step_counts": {str(k): v for k, v in sorted(stats.per_step.items())},
            "lr_first_step": stats.lr_first,
            "lr_last_step": stats.lr_last,
        }
        if stats.skipped:
            entry["scaler_skipped_steps"] = stats.skipped
        if stats.created_inside:
            entry["created_inside_watch"] = True
        optimizers[labels.get(token, token)] = entry

    models: dict[str, Any] = {}
    for token, info in obs.models.items():
        models[labels.get(token, token)] = {
            "type": types.get(token, "?"),
            "forwards": {},
            "dropout_active": {},
            "batchnorm_updated_in_evaluation": [],
        }
    bn_eval: dict[str, set[str]] = {}
    for view in forwards(events):
        entry = models.get(labels.get(view.model, view.model))
        if entry is None:
            continue
        count = mult[view.index]
        # A forward without grad that no backward could train through (an EMA copy
        # evaluated before the next training step) is an evaluation in the summary too.
        evaluation = view.evaluation or (not view.trained and view.event.facts.get("grad_enabled") is False)
        purpose = "evaluation" if evaluation else "training"
        key = _phase_key(purpose, view.training, view.event.facts.get("grad_enabled"))
        entry["forwards"][key] = entry["forwards"].get(key, 0) + count
        info = obs.models.get(view.model)
        dropouts = {name for name, _ in info.dropouts} if info else set()
        active = [m for m in view.event.facts.get("active_modules") or () if m in dropouts]
        if active:
            seen = entry["dropout_active"].setdefault(purpose, [])
            seen.extend(m for m in active if m not in seen)
        if evaluation:
            updated = obs.bn_observed.get(id(originals[view.index]))
            if updated:
                bn_eval.setdefault(view.model, set()).update(updated)
    for token, names in bn_eval.items():
        models[labels.get(token, token)]["batchnorm_updated_in_evaluation"] = sorted(names)
    for token, info in obs.models.items():
        entry = models[labels.get(token, token)]
        if not info.batchnorms:
            entry.pop("batchnorm_updated_in_evaluation")
        if not info.dropouts:
            entry.pop("dropout_active")

    notes = [label_call(n, labels) for n in obs.notes]
    if obs.steps_total:
        for token, info in obs.models.items():
            if info.forwards == 0:
                notes.append(
                    f"no forward of {labels.get(token, token)} was observed although optimizers stepped: "
                    "if it is torch.compile'd, start watch() before its first compiled call"
                )
    if obs.rec.truncated:
        notes.append(f"the event stream was capped after {obs.rec.total} events; later events are "
                     "counted in this summary but not checked by the rules")

    summary: dict[str, Any] = {
        "steps": obs.steps_total,
        "backward_passes": obs.backwards_total,
        "optimizers": optimizers,
        "models": models,
        "schedulers": {
            labels.get(t, t): {"type": types.get(t, "?"), "steps": n} for t, n in obs.sched_steps.items()
        },
        "devices": sorted({str(d) for d in obs.devices}),
    }
    if obs.scalers:
        summary["grad_scalers"] = {labels.get(t, t): {"enabled": e} for t, e in obs.scalers.items()}
    if obs.no_sync_backwards:
        summary["backward_passes_in_no_sync"] = obs.no_sync_backwards
    summary["events"] = {"recorded": obs.rec.total, "stored": sum(1 for e in events if e.kind is not Kind.END)}
    if notes:
        summary["notes"] = notes
    return summary


def _lr(values: Any) -> str:
    if not values:
        return "?"
    shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    return shown[0] if len(set(shown)) == 1 else "[" + ", ".join(shown) + "]"


def text(summary: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []
    for name, opt in summary.get("optimizers", {}).items():
        line = f"{name} ({opt['type']}): {_plural(opt['steps'], 'step')}"
        if opt["steps"]:
            line += f", {opt['backward_per_step']}, lr {_lr(opt['lr_first_step'])} -> {_lr(opt['lr_last_step'])}"
        if opt.get("scaler_skipped_steps"):
            line += f", {opt['scaler_skipped_steps']} skipped by GradScaler (inf/NaN gradients)"
        rows.append(("optimizer", line))
    if not summary.get("optimizers"):
        rows.append(("optimizer", "none watched"))
    for name, model in summary.get("models", {}).items():
        parts = [f"{n} {k}" for k, n in model["forwards"].items()] or ["no forward observed"]
        rows.append(("forwards", f"{name}: " + ", ".join(parts)))
        if "dropout_active" in model:
            active = model["dropout_active"]
            described = "; ".join(f"active in {p} ({', '.join(m[:4])}{' ...' if len(m) > 4 else ''})"
                                  for p, m in active.items()) or "never active"
            rows.append(("Dropout", f"{name}: {described}"))
        if "batchnorm_updated_in_evaluation" in model:
            updated = model["batchnorm_updated_in_evaluation"]
            rows.append(("BatchNorm", f"{name}: running stats "
                         + (f"UPDATED during evaluation ({', '.join(updated[:4])})" if updated
                            else "not updated during evaluation")))
    for name, sched in summary.get("schedulers", {}).items():
        rows.append(("scheduler", f"{name} ({sched['type']}): {_plural(sched['steps'], 'step')}"))
    for name, scaler in summary.get("grad_scalers", {}).items():
        rows.append(("GradScaler", f"{name}: {'enabled' if scaler['enabled'] else 'disabled'}"))
    rows.append(("devices", ", ".join(summary.get("devices", [])) or "-"))
    for note in summary.get("notes", []):
        rows.append(("note", note))
    width = max(len(k) for k, _ in rows)
    lines = ["loopcheck: what the loop did"]
    lines += [f"  {key.ljust(width)}  {value}" for key, value in rows]
    return "\n".join(lines)
