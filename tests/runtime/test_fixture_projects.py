"""The multi-file fixture projects, their train.py run in this process under a discovering Watcher:
the runtime reports the codes the static checker reports, in the imported file where the bug is."""
import pytest

torch = pytest.importorskip("torch")

import contextlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from fixture_runner import FIXTURES, expected, run_fixture  # noqa: E402

PROJECTS = sorted(p for p in (FIXTURES / "projects").glob("*/*") if p.is_dir())


def _forget_modules_of(project):
    """The projects share module names (engine, utils): each run imports its own."""
    for name, module in list(sys.modules.items()):
        if os.path.dirname(os.path.abspath(getattr(module, "__file__", None) or "/")) == str(project):
            del sys.modules[name]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_project(project):
    _forget_modules_of(project)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            watcher, error = run_fixture(project / "train.py")
    finally:
        _forget_modules_of(project)
    assert error is None, repr(error)
    want = {(path.name, code, line) for path in project.glob("*.py") for code, line in expected(path)}
    got = {(os.path.basename(f.path), f.code, f.line) for f in watcher.report.findings}
    assert got == want
