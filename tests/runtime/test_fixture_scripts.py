"""The shared fixture scripts, run in this process under a discovering Watcher (as `loopcheck
run` does): every `# expect-runtime:` marker is reported at its line, nothing else is, and
no correct fixture gets a finding."""
import pytest

torch = pytest.importorskip("torch")

import contextlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402

from fixture_runner import FIXTURES, expected, reported, run_fixture  # noqa: E402

SCRIPTS = sorted(FIXTURES.glob("correct/*.py")) + sorted(FIXTURES.glob("buggy/*.py"))

def _key(path):
    return f"{path.parent.name}/{path.name}"


@pytest.mark.skipif(not SCRIPTS, reason="no fixture scripts")
@pytest.mark.parametrize("path", SCRIPTS, ids=_key)
def test_fixture_script(path):
    with contextlib.redirect_stdout(io.StringIO()):
        watcher, error = run_fixture(path)
    if error is not None:
        assert path.name.startswith("LC106"), f"{path.name} raised {error!r}"
    want = expected(path)
    got = reported(watcher, path)
    assert want <= got, f"missing {sorted(want - got)}; got {sorted(got)}"
    assert got <= want, f"unexpected {sorted(got - want)}"
    elsewhere = [f for f in watcher.report.findings if os.path.abspath(f.path) != str(path.resolve())]
    assert not elsewhere, [(f.code, f.path, f.line) for f in elsewhere]
    if path.parent.name == "correct":
        assert not watcher.report.findings
