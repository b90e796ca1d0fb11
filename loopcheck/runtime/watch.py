"""`with loopcheck.watch(model, optimizer):` - record the real loop and check it.

The watcher installs itself on enter and removes every hook and patch on exit (also on
exceptions and KeyboardInterrupt), then evaluates the shared rules over what was recorded
and prints the report to stderr (unless quiet).

A run interrupted in the middle of an iteration (Ctrl-C, SIGTERM under `loopcheck run`)
is incomplete evidence: a forward whose backward never came looks like an evaluation.
The rules then see the events up to the last optimizer step only, and the report says
where the run stopped.

A `watch()` entered while another is active (a script that uses watch(), run by
`loopcheck run`) joins the active one: its models and optimizers are watched by it, and
its report is the active watcher's report so far.

Torch versions: the APIs used exist since torch 2.1 (optimizer step hooks since 2.0,
forward pre-hooks with kwargs since 2.0, torch.amp.GradScaler since 2.3 with a fallback
to torch.cuda.amp); the test suite runs on 2.14.1 (pinned) and 2.13.0 (CPU).
"""
from __future__ import annotations

import sys
import warnings
from typing import Any, Optional

from loopcheck.events import Event, Kind
from loopcheck.findings import Location
from loopcheck.runtime import evaluate, summary as summary_mod, warning_sites
from loopcheck.runtime.hooks import Hooks
from loopcheck.runtime.labels import from_source
from loopcheck.runtime.noqa import without_suppressed
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.report import Report

_ACTIVE: Optional["Watcher"] = None


class LoopError(Exception):
    """Raised on exit of `watch(..., strict=True)` when error findings were recorded."""

    def __init__(self, report: Report) -> None:
        from loopcheck.report.text import format_finding

        self.report = report
        errors = report.errors
        super().__init__(
            f"loopcheck found {len(errors)} error{'s' if len(errors) != 1 else ''} in the training loop:\n"
            + "\n".join(format_finding(f) for f in errors)
        )


def _argument_names(loc: Location) -> tuple[list, list]:
    """Names written in `watch(model, optimizer)` / `watch([g, d], [opt_g, opt_d])`."""
    written = from_source(loc, "args_nested") or ()
    out: list[list] = []
    for arg in list(written)[:2]:
        out.append(list(arg) if isinstance(arg, tuple) else [arg])
    while len(out) < 2:
        out.append([])
    return out[0], out[1]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


class Watcher:
    def __init__(self, models: Any = (), optimizers: Any = (), *, strict: bool = False,
                 quiet: bool = False, device_audit: bool = False, discover: bool = False) -> None:
        self.strict = strict
        self.quiet = quiet
        self._obs = Observer(device_audit=device_audit, discover=discover)
        self._hooks = Hooks(self._obs, self._internal_error)
        # Held only until __enter__, then dropped: the watcher keeps no model alive.
        self._pending: list[tuple[str, Any, Optional[str]]] = []
        model_names, optimizer_names = _argument_names(self._obs.loc.here())
        models, optimizers = _as_list(models), _as_list(optimizers)
        for model, name in zip(models, model_names + [None] * len(models)):
            self._pending.append(("model", model, name))
        for optimizer, name in zip(optimizers, optimizer_names + [None] * len(optimizers)):
            self._pending.append(("optimizer", optimizer, name))
        self._active = False
        self._used = False
        self._report: Optional[Report] = None
        self._errors = 0
        self._first_error = ""
        self._outer: Optional[Watcher] = None  # the active watcher this one joined
        # How and where the run ended early: {"reason", "at"[, "unfinished"]} (see stopped())
        self._stop: dict[str, Any] = {}
        self._failed = False       # see failed()
        self._batches_cut = False  # see batches_cut()

    # -- registration ------------------------------------------------------------------

    def _register(self, kind: str, obj: Any, name: Optional[str] = None) -> None:
        if self._outer is not None:
            self._outer._register(kind, obj, name)
            return
        if not self._active:
            self._pending.append((kind, obj, name))
            return
        if name is None:  # w.watch_model(model): the argument as written
            written = from_source(self._obs.loc.here(), "args")
            name = written[0] if written and isinstance(written[0], str) else None
        try:
            getattr(self._hooks, f"watch_{kind}")(obj, name)
        except Exception as exc:
            self._internal_error(exc)

    def watch_model(self, module: Any) -> None:
        self._register("model", module)

    def watch_optimizer(self, optimizer: Any) -> None:
        self._register("optimizer", optimizer)

    def watch_scheduler(self, scheduler: Any) -> None:
        self._register("scheduler", scheduler)

    def watch_scaler(self, scaler: Any) -> None:
        self._register("scaler", scaler)

    # -- lifetime ----------------------------------------------------------------------

    def __enter__(self) -> "Watcher":
        global _ACTIVE
        if self._used:
            raise RuntimeError("a loopcheck Watcher can be entered only once; create a new watch()")
        self._used = True
        if _ACTIVE is not None:
            self._outer = _ACTIVE
            pending, self._pending = self._pending, []
            for kind, obj, name in pending:
                self._outer._register(kind, obj, name)
            return self
        _ACTIVE = self
        try:
            self._hooks.install()
            warning_sites.patch(self._hooks.patches)
            self._active = True
            pending, self._pending = self._pending, []
            for kind, obj, name in pending:
                self._register(kind, obj, name)
            del pending
        except BaseException:
            self._active = False
            self._hooks.remove()
            _ACTIVE = None
            raise
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        global _ACTIVE
        if self._outer is not None:
            self._report = self._outer.report
            return self._finish(exc_type)
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt) and not self._stop:
            self.stopped("interrupted (Ctrl-C)", exc, unfinished=True)
        end = Location("<unknown>", 0, 0)
        try:
            end = self._obs.loc.here()
        except Exception:
            pass
        finally:
            self._active = False
            for error in self._hooks.remove():
                self._internal_error(error)
            _ACTIVE = None
        early = exc_type is not None or bool(self._stop) or self._failed
        self._report = self._build(end, "early" if early else "cut" if self._batches_cut else "complete")
        return self._finish(exc_type)

    def _finish(self, exc_type: Any) -> bool:
        if not self.quiet:
            try:
                print(str(self._report), file=sys.stderr)
            except Exception as error:
                self._internal_error(error)
        if self.strict and exc_type is None and self._report.errors:
            raise LoopError(self._report)
        return False

    @property
    def report(self) -> Report:
        """The final report after exit; a snapshot of the run so far while active."""
        if self._report is not None:
            return self._report
        if self._outer is not None:
            return self._outer.report
        if not self._used:
            return Report()
        return self._build(self._obs.loc.here())

    def stopped(self, reason: str, error: Optional[BaseException] = None, unfinished: bool = False) -> None:
        """The run ended early: `reason` as the report says it ("interrupted (Ctrl-C)", "cut
        short by --max-steps 20"), at the innermost user frame of `error`'s traceback. With
        `unfinished`, the iteration in progress is not checked (see the module docstring).
        Only the first call counts."""
        if self._outer is not None:
            self._outer.stopped(reason, error, unfinished)
            return
        if self._stop:
            return
        where = None
        tb = error.__traceback__ if error is not None else None
        while tb is not None:
            if not self._obs.loc.is_internal(tb.tb_frame.f_code):
                where = tb
            tb = tb.tb_next
        self._stop = {"reason": reason, "unfinished": unfinished}
        if where is not None:
            loc = self._obs.loc.location(where.tb_frame)
            self._stop["at"] = f"{loc.path}:{where.tb_lineno}"

    def failed(self) -> None:
        """`loopcheck run`: the script raised or exited with an error. What only the end of a
        run can show (a GradScaler step never followed by update(), backward passes and no
        step) is then not concluded."""
        if self._outer is not None:
            self._outer.failed()
            return
        self._failed = True

    def batches_cut(self) -> None:
        """`loopcheck run --limit-batches` ended a DataLoader iteration early, just now: a step
        may lie beyond the cut, so backward passes without a step count only where a clear
        discarded gradients of a window the cut did not end."""
        if self._outer is not None:
            self._outer.batches_cut()
            return
        self._batches_cut = True
        try:
            self._obs.before_first_step.loader_cut(self._obs)
        except Exception as exc:
            self._internal_error(exc)

    def note(self, text: str) -> None:
        """A line for the summary's notes (`loopcheck run`: what was cut by --limit-batches)."""
        self._obs.notes.append(text)

    # -- internals ---------------------------------------------------------------------

    def _internal_error(self, exc: BaseException) -> None:
        self._errors += 1
        if self._errors == 1:
            self._first_error = f"{type(exc).__name__}: {exc}"
            if not self.quiet:
                warnings.warn(
                    f"loopcheck: internal error in the watcher ignored ({self._first_error}); "
                    "the training loop continues, the report may be incomplete",
                    RuntimeWarning, stacklevel=2,
                )

    def _build(self, end: Location, run_end: evaluate.RunEnd = "early") -> Report:
        stop = dict(self._stop)
        try:
            stream, mult, originals, unchecked = evaluate.build(self._obs, end, bool(stop.get("unfinished")),
                                                                run_end)
            findings = without_suppressed(evaluate.findings(stream, mult), self._obs.loc.file_of)
            summary = summary_mod.build(self._obs, stream, mult, originals)
            events = _timeline(self._obs, bool(stop.get("unfinished")))
        except Exception as exc:
            self._internal_error(exc)
            findings, summary, events, unchecked = [], {}, [], 0
        if stop.pop("unfinished", False):
            stop["unchecked_events"] = unchecked
        if self._errors:
            summary.setdefault("notes", []).append(
                f"loopcheck hit {self._errors} internal error{'s' if self._errors != 1 else ''} "
                f"(first: {self._first_error}); they were ignored"
            )
        return Report(findings, summary, events, stop)


def _timeline(obs: Observer, unfinished: bool = False) -> list[Event]:
    """Labelled copies of the first and last recorded events; forwards carry their phase,
    except those of an `unfinished` (interrupted) last iteration, which the rules did not see."""
    from loopcheck.rules.phases import is_evaluation

    labels = obs.labels.resolve()
    log = obs.rec.log()
    out: list[Event] = []
    labelled: dict[int, tuple[dict, str]] = {}  # per interned event: (labelled facts, label)
    for position, event in log:
        done = labelled.get(id(event))
        if done is None:
            extra = {}
            model = event.facts.get("model")
            if model:
                extra["model_label"] = labels.get(model, model)
            call = event.facts.get("call")
            if isinstance(call, str):
                extra["call"] = evaluate.label_call(call, labels)
            done = labelled[id(event)] = (extra, labels.get(event.target, "") if event.target else "")
        facts = dict(event.facts)
        facts["seq"] = position
        if done[0]:
            facts.update(done[0])  # "call" keeps its place, "model_label" follows "seq"
        out.append(Event(event.kind, event.location, event.target, done[1], event.optimizers, event.guards, facts))
    # Phases over each contiguous run of the log (head, tail), as the rules classify them.
    runs: list[list[int]] = []
    for i, (position, _event) in enumerate(log):
        if not runs or log[i - 1][0] != position - 1:
            runs.append([])
        runs[-1].append(i)
    last_step = max((i for i, event in enumerate(out) if event.kind is Kind.STEP), default=-1)
    for run in runs:
        chunk = [out[i] for i in run]
        for j, event in enumerate(chunk):
            if event.kind is Kind.FORWARD and not (unfinished and run[j] > last_step):
                event.facts["phase"] = "evaluation" if is_evaluation(chunk, j) else "training"
    return out


def watch(models: Any = None, optimizers: Any = None, **kwargs: Any) -> Watcher:
    """`with loopcheck.watch(model, optimizer) as w: ...`; models and optimizers may be
    single objects or lists. Keyword arguments: strict, quiet, device_audit, discover."""
    return Watcher(_as_list(models), _as_list(optimizers), **kwargs)
