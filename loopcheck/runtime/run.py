"""Run an unmodified script or module in-process under a Watcher (`loopcheck run`).

The script sees what `python train.py` / `python -m pkg.train` would give it: `sys.argv`,
`__name__ == "__main__"` and `sys.path[0]`. During the run, and only during it:

- every DataLoader iteration can be truncated (`limit_batches`), by wrapping the iterator
  `DataLoader.__iter__` returns, so worker processes, samplers and `len()` are untouched;
- a global optimizer step post-hook stops the script after `max_steps` steps of any optimizer,
  by raising `_MaxStepsReached` (a BaseException, so the script's `except Exception` cannot
  swallow it); a thread that steps stops silently, and the run counts as cut short;
- SIGTERM (from `timeout`, SLURM, Kubernetes, torchrun stopping the surviving ranks) stops
  the script like Ctrl-C, unless the script installs its own handler; the command then
  re-raises the signal after the report, so the exit status stays the script's. A SIGTERM that
  comes after the script ended is held until the report is written (`SigtermGuard`).

Everything is restored afterwards, also when the script raises, calls sys.exit or is
interrupted; the watcher's report is complete in every case.
"""
from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import traceback
import types
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import torch
from torch.utils.data import DataLoader

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_HIDDEN_FILES = (runpy.__file__,)


class _MaxStepsReached(BaseException):
    """Raised from the optimizer step post-hook; caught by `run_script`, never seen by the user."""


class _Terminated(BaseException):
    """Raised by the SIGTERM handler during the run; caught by `run_script`."""


@dataclass
class RunOptions:
    target: str                       # a script path, or a module name when `module` is set
    args: list[str] = field(default_factory=list)
    module: bool = False
    limit_batches: Optional[int] = None
    max_steps: Optional[int] = None
    device_audit: bool = False


@dataclass
class RunResult:
    report: Any                       # loopcheck.runtime.report.Report
    script_exit_code: int = 0         # what `python script.py` would have exited with
    # completed | max-steps | exit | exception | interrupted | terminated
    outcome: str = "completed"
    steps: int = 0
    error: Optional[BaseException] = None
    signal: Optional[int] = None      # the signal that stopped the script (re-raised by the command)
    limit_batches: Optional[int] = None
    max_steps: Optional[int] = None

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "script_exit_code": self.script_exit_code, "optimizer_steps": self.steps,
                "limit_batches": self.limit_batches, "max_steps": self.max_steps,
                "stopped_at": self.report.stopped.get("at")}


def run_script(options: RunOptions, sigterm: Optional["SigtermGuard"] = None) -> RunResult:
    """Run the target under a discovering Watcher and return its report and the script's outcome.

    The script's own traceback (if any) is printed to stderr as Python would print it. A caller
    that writes a report afterwards passes its own entered `sigterm` guard, so that a SIGTERM
    arriving after the script ended waits until that report is out.
    """
    from loopcheck.runtime.watch import Watcher

    outcome, code, error, signum = "completed", 0, None, None
    excepthook = sys.excepthook  # the script may replace it (torch.distributed does): used, then restored
    watcher = Watcher(quiet=True, discover=True, device_audit=options.device_audit)
    cut_short = f"cut short by --max-steps {options.max_steps}"
    counter = _StepCounter(options.max_steps, lambda exc: watcher.stopped(cut_short, exc))
    limiter = _BatchLimit(options.limit_batches, watcher.batches_cut)
    with ExitStack() as guarded:
        guard = sigterm or guarded.enter_context(SigtermGuard())
        with watcher:
            with ExitStack() as stack:
                stack.enter_context(_script_environment(options))
                if options.limit_batches is not None:
                    stack.enter_context(limiter.installed())
                stack.enter_context(counter.installed())
                try:
                    with guard.script_running():
                        if options.module:
                            runpy.run_module(options.target, run_name="__main__", alter_sys=True)
                        else:
                            # Python >= 3.9 gives the main script an absolute __file__ (argv[0] stays as typed).
                            runpy.run_path(os.path.abspath(options.target), run_name="__main__")
                except _MaxStepsReached as exc:
                    outcome = "max-steps"
                    watcher.stopped(cut_short, exc)
                except SystemExit as exc:
                    outcome, code = "exit", _system_exit_code(exc)
                    if code:
                        watcher.failed()
                except KeyboardInterrupt as exc:
                    outcome, code, error, signum = "interrupted", 130, exc, signal.SIGINT
                    watcher.stopped("interrupted (Ctrl-C)", exc, unfinished=True)
                except _Terminated as exc:
                    outcome, code = "terminated", 128 + signal.SIGTERM
                    watcher.stopped("stopped by SIGTERM", exc, unfinished=True)
                except BaseException as exc:  # the script's own failure: report it as python would
                    outcome, code, error = "exception", 1, exc
                    watcher.failed()
                if outcome == "completed" and counter.reached:   # a thread stopped at --max-steps
                    outcome = "max-steps"
                if limiter.cut:
                    watcher.note(f"--limit-batches {options.limit_batches}: {limiter.cut} DataLoader "
                                 f"iteration{'s were' if limiter.cut != 1 else ' was'} cut short")
        if error is not None:
            print_script_traceback(error)
        sys.excepthook = excepthook
        if signum is None and guard.received:
            signum = signal.SIGTERM
    return RunResult(watcher.report, code, outcome, counter.steps, error, signum, options.limit_batches,
                     options.max_steps)


def _system_exit_code(exc: SystemExit) -> int:
    """sys.exit semantics: None -> 0, int -> itself, anything else is printed and gives 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


@contextmanager
def _script_environment(options: RunOptions) -> Iterator[None]:
    """sys.argv and sys.path[0] exactly as `python script.py args` / `python -m mod args` set them."""
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    if options.module:
        # run_module(alter_sys=True) replaces argv[0] with the module's file, as -m does.
        sys.argv[:] = ["-m", *options.args]
        first = os.getcwd()
    else:
        sys.argv[:] = [options.target, *options.args]
        first = os.path.dirname(os.path.realpath(options.target))
    if sys.path:
        sys.path[0] = first
    else:
        sys.path.append(first)
    try:
        yield
    finally:
        sys.argv[:] = saved_argv
        sys.path[:] = saved_path


class SigtermGuard:
    """SIGTERM while the script runs stops it (raises _Terminated, which run_script catches);
    SIGTERM after the script ended is only remembered (`received`), and the owner re-raises it
    once the report is written. torchrun sends SIGTERM to the surviving ranks just as their
    script fails on the collective the dead rank left: without the hold, that rank's report
    would be lost.

    Installed only in the main thread and over the default action: a handler the script or an
    embedding program set stays theirs.
    """

    def __init__(self) -> None:
        self.received = False
        self._script_running = False
        self._pid = os.getpid()
        self._installed = False

    def __enter__(self) -> "SigtermGuard":
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL):
            signal.signal(signal.SIGTERM, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        # the script may have set its own handler since: then it stays
        if self._installed and signal.getsignal(signal.SIGTERM) == self._handle:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self._installed = False

    @contextmanager
    def script_running(self) -> Iterator[None]:
        self._script_running = True
        try:
            yield
        finally:
            self._script_running = False

    def _handle(self, signum: int, frame: Any) -> None:
        if os.getpid() != self._pid:  # a forked child (a DataLoader worker) inherited us: die as it would have
            reraise_signal(signum)
        self.received = True
        if self._script_running:
            raise _Terminated


def reraise_signal(signum: int) -> None:
    """Die by `signum` with the default action, as the script would have without us."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


class _LimitedIterator:
    """Stops a DataLoader iterator after `limit` batches; everything else is delegated."""

    def __init__(self, inner: Iterator, limit: int, on_cut: Any) -> None:
        self._inner = inner
        self._limit = self._left = limit
        self._on_cut = on_cut

    def __iter__(self) -> "_LimitedIterator":
        return self

    def __next__(self) -> Any:
        if self._left <= 0:
            if self._on_cut is not None and self._had_more():
                self._on_cut()
            self._on_cut = None
            raise StopIteration
        self._left -= 1
        return next(self._inner)

    def __len__(self) -> int:
        return min(self._left, len(self._inner))  # type: ignore[arg-type]

    def _had_more(self) -> bool:
        try:
            return len(self._inner) > self._limit  # type: ignore[arg-type]
        except TypeError:  # an IterableDataset without __len__: assume it was cut
            return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BatchLimit:
    """`--limit-batches`: every DataLoader iteration yields at most `limit` batches; `cut`
    counts the iterations that had more, and `on_cut` is told of each when it ends."""

    def __init__(self, limit: Optional[int], on_cut: Callable[[], None]) -> None:
        self.limit = limit
        self.cut = 0
        self._on_cut = on_cut

    def _counted(self) -> None:
        self.cut += 1
        self._on_cut()

    @contextmanager
    def installed(self) -> Iterator[None]:
        # Patch the class, not instances: loaders created by the script during the run are covered.
        # Stopping a multi-worker iterator early is safe: its workers are shut down when it is
        # collected, or drained by `_reset` when persistent_workers=True.
        had_own = "__iter__" in DataLoader.__dict__
        original = DataLoader.__iter__
        limit, counted = self.limit, self._counted

        def limited_iter(self: DataLoader) -> Any:
            return _LimitedIterator(original(self), limit, counted)

        DataLoader.__iter__ = limited_iter  # type: ignore[method-assign]
        try:
            yield
        finally:
            if had_own:
                DataLoader.__iter__ = original  # type: ignore[method-assign]
            else:
                del DataLoader.__iter__


class _StepCounter:
    """Counts optimizer steps per optimizer; raises _MaxStepsReached once any reaches the limit.

    A GAN's two optimizers each step once per iteration, so counting per optimizer makes
    `--max-steps N` mean N training iterations whatever the number of optimizers. In a
    thread other than the main one, the exception ends that thread silently (`on_stop` is
    told where) and the main thread runs on.
    """

    def __init__(self, limit: Optional[int], on_stop: Any) -> None:
        self.limit = limit
        self.reached = False
        self._on_stop = on_stop
        self._per_optimizer: dict[int, int] = {}

    @property
    def steps(self) -> int:
        return max(self._per_optimizer.values(), default=0)

    def _post_step(self, optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        key = id(optimizer)
        count = self._per_optimizer.get(key, 0) + 1
        self._per_optimizer[key] = count
        if self.limit is not None and count >= self.limit:
            self.reached = True
            raise _MaxStepsReached

    @contextmanager
    def installed(self) -> Iterator[None]:
        # A global post-hook runs after the optimizer's own hooks (the watcher's among them),
        # so the last step is recorded before the run stops.
        from torch.optim.optimizer import register_optimizer_step_post_hook

        handle = register_optimizer_step_post_hook(self._post_step)
        previous_hook = threading.excepthook

        def thread_excepthook(args: Any) -> None:
            if isinstance(args.exc_value, _MaxStepsReached):
                self._on_stop(args.exc_value)
                return
            previous_hook(args)

        threading.excepthook = thread_excepthook
        try:
            yield
        finally:
            handle.remove()
            if threading.excepthook is thread_excepthook:
                threading.excepthook = previous_hook


def print_script_traceback(error: BaseException) -> None:
    """Print `error` as Python prints an uncaught exception, without runpy/loopcheck frames:
    through sys.excepthook, which the script may have replaced (torch.distributed prefixes
    each line with `[rankN]:`, rich formats it)."""
    _strip_frames(error, set())
    try:
        sys.excepthook(type(error), error, error.__traceback__)
    except Exception:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    sys.stderr.flush()


def _strip_frames(error: BaseException, seen: set) -> None:
    if id(error) in seen:
        return
    seen.add(id(error))
    kept = []
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not (filename.startswith(_PKG_DIR) or filename in _HIDDEN_FILES or filename.startswith("<frozen runpy")):
            kept.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for entry in reversed(kept):
        rebuilt = types.TracebackType(rebuilt, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    error.__traceback__ = rebuilt
    for chained in (error.__cause__, error.__context__):
        if chained is not None:
            _strip_frames(chained, seen)
