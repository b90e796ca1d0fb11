"""How files are run (issue 13): the text pre-filter, the result cache, workers and streaming."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

import loopcheck.checker
import loopcheck.parallel
import loopcheck.pool
from loopcheck.cache import OFF_VARIABLE, open_cache
from loopcheck.checker import FileResult, Settings, check_items, check_source, collect
from loopcheck.prefilter import may_have_findings
from loopcheck.report import json_format
from tests.ecosystem.helpers import BUGGY, CLEAN, Project
from tests.markers import FIXTURES, ROOT


# ---- the pre-filter never changes a finding -----------------------------------------------------

def test_prefilter_keeps_every_file_of_fixtures_corpus_cases_and_mutants() -> None:
    """A file the pre-filter skips has no finding: every file that has (or may have) one passes."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
    try:
        import mutate
    finally:
        sys.path.remove(str(ROOT / "benchmarks" / "accuracy"))
    sources = [path.read_text(encoding="utf-8") for folder in (FIXTURES, ROOT / "benchmarks/accuracy/corpus",
                                                               ROOT / "tests/static/cases")
               for path in sorted(folder.rglob("*.py"))]
    sources += [mutant.code for mutant in mutate.generate()]
    assert len(sources) > 900
    skipped = [source for source in sources if not may_have_findings(source)]
    assert all(check_source(source, "x.py") == [] for source in skipped)


def test_prefilter_skips_code_without_any_training_vocabulary() -> None:
    assert not may_have_findings("import os\n\ndef main():\n    for name in os.listdir('.'):\n        print(name)\n")
    assert may_have_findings(BUGGY) and may_have_findings(CLEAN)


# ---- the cache ---------------------------------------------------------------------------------

@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OFF_VARIABLE, raising=False)
    monkeypatch.delenv("LOOPCHECK_CACHE_DIR", raising=False)


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    analysed: list[str] = []
    real = loopcheck.checker.check_file

    def counting(source: str, display: str, *args: object) -> object:
        analysed.append(display)
        return real(source, display, *args)

    monkeypatch.setattr(loopcheck.checker, "check_file", counting)
    return analysed


def test_warm_run_reads_the_cache_and_gives_the_same_output(
        project: Project, cache_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("train.py", BUGGY)
    project.write("clean.py", CLEAN)
    analysed = count_analyses(monkeypatch)
    cold = project.run("--output-format", "json", ".")
    warm = project.run("--output-format", "json", ".")
    assert sorted(analysed) == ["clean.py", "train.py"]
    assert warm.stdout == cold.stdout and warm.exit_code == cold.exit_code == 1
    cache = project.root / ".loopcheck_cache"
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").read_text().strip().endswith("*")
    assert not list(cache.rglob(".tmp-*"))


def test_cache_key_holds_content_and_configuration(
        project: Project, cache_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("train.py", BUGGY)
    analysed = count_analyses(monkeypatch)
    project.run("train.py")
    assert project.run("--select", "LC1", "--output-format", "json", "train.py").exit_code == 1
    project.write("train.py", BUGGY + "\n# edited\n")
    project.run("train.py")
    assert project.run("--no-cache", "train.py").exit_code == 1
    assert len(analysed) == 4


def test_cache_location_and_corrupt_entries(
        project: Project, cache_on: None, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("LOOPCHECK_CACHE_DIR", str(elsewhere))
    project.write("train.py", BUGGY)
    first = project.run("--output-format", "json", "train.py")
    assert not (project.root / ".loopcheck_cache").exists()
    [entry] = list(elsewhere.rglob("*.json"))
    entry.write_text("{not json")
    again = project.run("--output-format", "json", "train.py")
    assert again.stdout == first.stdout


def imported_by(project: Project, *args: str) -> set[str]:
    """The modules a `loopcheck ARGS` process run in the project has imported when it ends."""
    code = ("import sys\nfrom loopcheck.cli import main\ntry:\n    main(sys.argv[1:], standalone_mode=False)\n"
            "except SystemExit:\n    pass\nsys.stderr.write('\\n' + ' '.join(sys.modules))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=project.root, env=env, capture_output=True,
                          text=True, check=True)
    return set(done.stderr.splitlines()[-1].split())


def test_a_cache_hit_imports_no_analysis(project: Project, cache_on: None) -> None:
    """A file checked again unchanged costs its read and hash: neither libcst nor the rules load."""
    project.write("train.py", BUGGY)
    assert "loopcheck.static.analysis" in imported_by(project, "train.py")
    assert not {"libcst", "loopcheck.static.analysis", "loopcheck.rules"} & imported_by(project, "train.py")


def test_a_new_build_removes_the_entries_of_other_builds(project: Project, cache_on: None) -> None:
    stale = project.root / ".loopcheck_cache" / "0.0.1-oldbuild" / "ab"
    stale.mkdir(parents=True)
    (stale / "ab12.json").write_text("{}")
    project.write("train.py", BUGGY)
    project.run("train.py")
    builds = [p.name for p in (project.root / ".loopcheck_cache").iterdir() if p.is_dir()]
    assert len(builds) == 1 and builds[0] != "0.0.1-oldbuild"


def test_cache_turned_off_by_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OFF_VARIABLE, "1")
    assert open_cache() is None


# ---- workers and streaming ---------------------------------------------------------------------

def test_never_more_workers_than_files() -> None:
    assert loopcheck.pool.worker_count(8, 3) == 3
    assert loopcheck.pool.worker_count(None, 1) == 1
    assert loopcheck.pool.worker_count(2, 100) == 2


def test_a_run_over_one_file_imports_only_what_it_uses(project: Project) -> None:
    """Start-up is most of a one-file run (issue 13): no process pool, fix machinery, cache with
    --no-cache, hashing or notebook support when none is used."""
    project.write("train.py", BUGGY)
    unused = {"concurrent.futures", "multiprocessing", "loopcheck.parallel", "loopcheck.fixes.runner",
              "loopcheck.fixes.edits", "loopcheck.cache", "hashlib", "tempfile", "loopcheck.notebooks",
              "loopcheck.report.sarif"}
    imported = imported_by(project, "--no-cache", "train.py")
    assert "loopcheck.static.analysis" in imported and not unused & imported


def many(project: Project, count: int, source: str = BUGGY) -> None:
    for i in range(count):
        project.write(f"src/m{i:02d}.py", source)


def test_parallel_output_equals_serial_output(project: Project) -> None:
    many(project, loopcheck.pool.PARALLEL_THRESHOLD + 4)
    serial = project.run("-j", "1", "src")
    parallel = project.run("-j", "3", "src")
    assert parallel.stdout == serial.stdout and parallel.exit_code == serial.exit_code == 1


def test_results_stream_before_the_last_file_is_checked(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    many(project, 5, CLEAN)
    analysed = count_analyses(monkeypatch)
    results = check_items(collect(["src"]), jobs=1)
    next(results)
    assert len(analysed) == 1


def interrupted_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Ctrl-C as the file `name` starts to be checked."""
    real = loopcheck.checker.check_file

    def interrupting(source: str, display: str, *args: object) -> object:
        if display.endswith(name):
            raise KeyboardInterrupt
        return real(source, display, *args)

    monkeypatch.setattr(loopcheck.checker, "check_file", interrupting)


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "github"])
def test_findings_of_the_first_files_are_printed_before_the_last_file_is_checked(
        project: Project, monkeypatch: pytest.MonkeyPatch, output_format: str) -> None:
    many(project, 3)
    interrupted_at(monkeypatch, "m02.py")
    result = project.run("-j", "1", "--output-format", output_format, "src")
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert "m00.py" in result.stdout and "m01.py" in result.stdout and "m02.py" not in result.stdout


def test_interrupted_json_output_is_a_valid_document(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    many(project, 3)
    interrupted_at(monkeypatch, "m02.py")
    printed = json.loads(project.run("-j", "1", "--output-format", "json", "src").stdout)
    assert {f["path"] for f in printed} == {"src/m00.py", "src/m01.py"}
    interrupted_at(monkeypatch, "m00.py")
    assert project.run("-j", "1", "--output-format", "json", "src").stdout == "[]\n"


def test_streamed_json_is_the_document_printed_at_once(project: Project) -> None:
    project.write("b.py", BUGGY)
    project.write("a.py", BUGGY)
    project.write("c.py", CLEAN)
    streamed = project.run("--output-format", "json", "b.py", "a.py", "c.py").stdout
    findings = [finding for name in ("a.py", "b.py") for finding in check_source(BUGGY, name)]
    assert streamed == json_format.render(findings) + "\n" and len(findings) == 6
    assert streamed == json.dumps([f.to_dict() for f in findings], indent=2) + "\n"   # the output before streaming
    assert project.run("--output-format", "json", "c.py").stdout == json_format.render([]) + "\n"


def test_text_findings_are_printed_in_path_order(project: Project) -> None:
    project.write("b.py", BUGGY)
    project.write("a.py", BUGGY)
    lines = [line for line in project.run("b.py", "a.py").stdout.splitlines() if ": LC" in line]
    assert [line.split(":")[0] for line in lines] == ["a.py"] * 3 + ["b.py"] * 3


@pytest.mark.skipif(sys.platform == "win32", reason="fork and signals")
def test_a_worker_that_dies_loses_only_its_file(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real = loopcheck.checker.check_file

    def dying(source: str, display: str, *args: object) -> object:
        if display.endswith("m03.py"):
            os.kill(os.getpid(), signal.SIGKILL)     # as the out-of-memory killer, or a segfault
        return real(source, display, *args)

    monkeypatch.setattr(loopcheck.checker, "check_file", dying)    # the workers are forked: they see it
    many(project, loopcheck.pool.PARALLEL_THRESHOLD + 2)
    result = project.run("-j", "2", "--output-format", "json", "src")
    assert result.exit_code == 2 and result.stdout, result.stderr
    paths = {f["path"] for f in json.loads(result.stdout)}
    assert len(paths) == loopcheck.pool.PARALLEL_THRESHOLD + 1 and not any(p.endswith("m03.py") for p in paths)
    [line] = [line for line in result.stderr.splitlines() if "error" in line]
    assert "m03.py" in line and "crashed" in line


def test_files_the_broken_pool_never_started_are_checked_again(project: Project) -> None:
    """Stopping a broken pool cancels what it had not started; those files are not lost (CI saw
    CancelledError reported as an internal error when the pool was stopped before it failed them)."""
    project.write("a.py", BUGGY)
    [target] = collect(["a.py"])
    cancelled: "Future[FileResult]" = Future()
    cancelled.cancel()
    slot = loopcheck.parallel._Slot(target, Settings(), (project.root / "a.py").read_bytes(), future=cancelled)
    parallel = loopcheck.parallel.Parallel(1, None)
    parallel.window.append(slot)
    try:
        parallel._recover(loopcheck.parallel._Slot(None, None, result=FileResult("")))
    finally:
        loopcheck.parallel._stop(parallel.pool, wait=True)
    assert slot.result is not None and slot.result.error is None and len(slot.result.findings) == 3


def test_a_worker_that_dies_while_files_are_handed_out_loses_nothing(project: Project) -> None:
    """On a fast machine the pool is known broken before every file is submitted: submitting then
    raises, and the file goes to a fresh pool (CI saw an internal error and no output)."""
    project.write("a.py", BUGGY)
    [target] = collect(["a.py"])
    parallel = loopcheck.parallel.Parallel(1, None)
    with pytest.raises(BrokenProcessPool):
        parallel.pool.submit(os._exit, 1).result()
    try:
        slot = parallel._start(target, Settings())
        result = parallel._finish(slot)
    finally:
        loopcheck.parallel._stop(parallel.pool, wait=True)
    assert result.error is None and len(result.findings) == 3


def test_library_default_settings_unchanged() -> None:
    assert Settings().select == ("LC",)
