"""The real-code corpus: its committed tables are well-formed, and real_repos.py scores a corpus
from git snapshots it is given (never from a default place), keyed so verdicts survive line shifts.

No network and nothing outside the repository: the end-to-end case builds a one-file git
repository under tmp_path."""
from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.markers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import real_repos  # noqa: E402

BUGGY = """import torch
import torch.nn as nn

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    loss.backward()
    optimizer.step()
"""


@pytest.mark.parametrize("corpus", [real_repos.REAL, real_repos.HELD_OUT, real_repos.HELD_OUT_2],
                         ids=["tuning", "held-out", "held-out-2"])
def test_committed_tables_are_well_formed(corpus: Path) -> None:
    manifest, repos, verdicts, missed = real_repos.load_tables(corpus)
    assert real_repos.problems(manifest, repos, verdicts, missed) == []


def test_the_corpora_share_no_repository() -> None:
    corpora = [real_repos.REAL, real_repos.HELD_OUT, real_repos.HELD_OUT_2]
    repos = {corpus.name: {r["repo"] for r in real_repos.load_tables(corpus)[1]} for corpus in corpora}
    assert all(repos.values())
    for first, second in itertools.combinations(repos, 2):
        assert not repos[first] & repos[second], (first, second)


def test_corpus_is_large_and_varied() -> None:
    manifest, repos, _, _ = real_repos.load_tables()
    assert len(manifest) >= 400
    assert len({m["repo"] for m in manifest}) >= 25
    assert sum(m["path"].endswith(".ipynb") for m in manifest) >= 100
    assert len({r["kind"] for r in repos}) >= 6


def test_refuses_to_run_without_a_snapshot_location(capsys: pytest.CaptureFixture) -> None:
    assert real_repos.main([]) == 2
    err = capsys.readouterr().err
    assert "--snapshots" in err and len(err.strip().splitlines()) == 1


def test_a_missing_snapshot_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert real_repos.main(["--snapshots", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "no git snapshot" in err and len(err.splitlines()) == 1


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> tuple[Path, Path, str]:
    """Snapshots folder with one repository (owner/tiny) whose second commit shifts the buggy
    lines down; a corpus folder whose verdict was taken on the first commit."""
    repo = tmp_path / "snapshots" / "owner+tiny"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "train.py").write_text(BUGGY)
    git(repo, "add", "train.py")
    git(repo, "commit", "-q", "-m", "one")
    (repo / "train.py").write_text('"""Shifted by a docstring."""\n\n' + BUGGY)
    git(repo, "commit", "-q", "-am", "two")
    commit = git(repo, "rev-parse", "HEAD")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "manifest.csv", real_repos.MANIFEST_FIELDS, [{"repo": "owner/tiny", "commit": commit, "path": "train.py"}])
    write(corpus / "repos.csv", real_repos.REPOS_FIELDS, [{"repo": "owner/tiny", "kind": "research", "about": "test"}])
    write(corpus / "verdicts.csv", real_repos.VERDICT_FIELDS, [
        {"repo": "owner/tiny", "path": "train.py", "code": "LC101", "text": "optimizer.step()", "occurrence": "0",
         "verdict": "true", "idiom": "", "note": "no zero_grad() in the loop"}])
    write(corpus / "missed.csv", real_repos.MISSED_FIELDS, [
        {"repo": "owner/tiny", "path": "train.py", "code": "LC202", "text": "loss.backward()", "idiom": "made-up",
         "note": "a made-up miss, to count in the recall"}])
    return tmp_path / "snapshots", corpus, commit


def test_scores_a_corpus_from_snapshots_with_verdicts_that_survive_line_shifts(tiny_corpus, tmp_path: Path) -> None:
    snapshots, corpus, _ = tiny_corpus
    out = tmp_path / "result.json"
    assert real_repos.main(["--snapshots", str(snapshots), "--corpus", str(corpus), "--json", str(out), "--check",
                            "--jobs", "1"]) == 0
    result = json.loads(out.read_text())
    lc101 = result["scores"]["rules"]["LC101"]
    assert (lc101["true"], lc101["false"], lc101["unjudged"], lc101["precision"]) == (1, 0, 0, 1.0)
    assert result["findings"][0]["line"] == 11          # two lines below where it was judged
    assert result["scores"]["rules"]["LC202"]["missed"] == 1
    assert result["scores"]["overall"]["recall"] == 0.5
    assert result["corpus"]["files"] == 1 and result["corpus"]["repos"] == 1


def test_a_true_finding_no_longer_reported_counts_as_missed(tiny_corpus, tmp_path: Path) -> None:
    snapshots, corpus, _ = tiny_corpus
    with (corpus / "verdicts.csv").open("a") as handle:
        handle.write("owner/tiny,train.py,LC202,loss.backward(),0,true,,a bug loopcheck reported once\n")
    (corpus / "missed.csv").write_text(",".join(real_repos.MISSED_FIELDS) + "\n")
    out = tmp_path / "result.json"
    assert real_repos.main(["--snapshots", str(snapshots), "--corpus", str(corpus), "--json", str(out), "--jobs", "1"]) == 0
    result = json.loads(out.read_text())
    assert result["scores"]["rules"]["LC202"]["missed"] == 1
    assert [m["note"] for m in result["missed"]] == ["judged true in an earlier run: a bug loopcheck reported once"]


def test_a_line_is_ranked_among_identical_source_lines_not_among_findings() -> None:
    texts = {(1, 1): "optimizer.step()", (1, 2): "x = 1", (2, 1): "    optimizer.step()", (3, 4): "optimizer.step()"}
    assert real_repos.occurrences(texts) == {(1, 1): 0, (1, 2): 0, (2, 1): 1, (3, 4): 2}


def test_check_fails_on_unjudged_findings(tiny_corpus) -> None:
    snapshots, corpus, _ = tiny_corpus
    write(corpus / "verdicts.csv", real_repos.VERDICT_FIELDS, [])
    args = ["--snapshots", str(snapshots), "--corpus", str(corpus), "--jobs", "1"]
    assert real_repos.main(args) == 0
    assert real_repos.main(args + ["--check"]) == 1


def test_a_file_missing_at_the_manifest_commit_is_a_usage_error(tiny_corpus, capsys: pytest.CaptureFixture) -> None:
    snapshots, corpus, commit = tiny_corpus
    write(corpus / "manifest.csv", real_repos.MANIFEST_FIELDS, [{"repo": "owner/tiny", "commit": commit, "path": "gone.py"}])
    write(corpus / "verdicts.csv", real_repos.VERDICT_FIELDS, [])
    write(corpus / "missed.csv", real_repos.MISSED_FIELDS, [])
    assert real_repos.main(["--snapshots", str(snapshots), "--corpus", str(corpus)]) == 2
    assert "gone.py is not in" in capsys.readouterr().err


def test_a_row_with_an_unquoted_comma_is_a_usage_error(tmp_path: Path) -> None:
    table = tmp_path / "missed.csv"
    table.write_text("repo,path,code,text,idiom,note\na/b,x.py,LC101,step(),c,one, two\n")
    with pytest.raises(real_repos.UsageError, match="missed.csv:2"):
        real_repos.read_csv(table, real_repos.MISSED_FIELDS)


def test_malformed_tables_are_reported() -> None:
    manifest = [{"repo": "a/b", "commit": "abc", "path": "x.py"}]
    verdicts = [{"repo": "a/b", "path": "y.py", "code": "LC101", "text": "t", "occurrence": "0", "verdict": "maybe",
                 "idiom": "", "note": ""}]
    found = real_repos.problems(manifest, [], verdicts, [])
    assert any("not a full hash" in p for p in found)
    assert any("no row in repos.csv" in p for p in found)
    assert any("not in the manifest" in p for p in found)
    assert any("is not one of" in p for p in found)
