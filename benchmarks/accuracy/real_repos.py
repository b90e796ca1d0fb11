"""Check the training scripts of public repositories that no one on the team wrote.

The repositories' code is never committed here: this script extracts the listed files from
local snapshots (git directories or work trees) into a temporary directory, runs loopcheck on
them and prints every finding (repo, commit, path, line, code, message), next to the verdict
recorded for it in ``real_repos.md`` (the VERDICTS table) when there is one.

    python benchmarks/accuracy/real_repos.py                      # snapshots under /work/.mirror
    python benchmarks/accuracy/real_repos.py --mirror DIR         # <DIR>/<owner>+<name>/repo
    python benchmarks/accuracy/real_repos.py --repo pytorch/vision=/path/to/vision   # a git dir or a checkout
    python benchmarks/accuracy/real_repos.py --rev karpathy/nanoGPT=3adf61e1 --json out.json
    python benchmarks/accuracy/real_repos.py --markdown           # rows ready for the VERDICTS table

Exit status: 0, or 1 with --check when a finding has no verdict (or a verdict says "false positive").
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VERDICTS_MD = HERE / "real_repos.md"
DEFAULT_MIRRORS = [Path("/work/.mirror")]

# repository -> file patterns (fnmatch on the path inside the repository)
TARGETS: dict[str, list[str]] = {
    # every Python file: the examples are short, and all of them were judged
    "pytorch/examples": ["*.py"],
    "pytorch/vision": ["references/classification/train.py"],
    "karpathy/nanoGPT": ["train.py"],
    "huggingface/transformers": ["examples/pytorch/*/run_*_no_trainer.py"],
    "huggingface/pytorch-image-models": ["train.py", "validate.py"],
    "huggingface/accelerate": ["examples/*.py", "examples/by_feature/*.py"],
}


@dataclass
class Snapshot:
    repo: str
    git_dir: Optional[Path]   # a git directory (bare, or the .git of a checkout)
    work_tree: Optional[Path]  # a plain directory when there is no git metadata


def git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True).stdout


def locate(repo: str, overrides: dict, mirrors: Sequence[Path]) -> Optional[Snapshot]:
    candidates = []
    if repo in overrides:
        candidates.append(Path(overrides[repo]))
    for m in mirrors:
        base = m / repo.replace("/", "+")
        candidates += [base / "repo", base]
    for c in candidates:
        if not c.exists():
            continue
        for g in (c / ".git", c):
            if (g / "HEAD").is_file() and (g / "objects").is_dir():
                return Snapshot(repo, g, None)
        if c.is_dir() and repo in overrides:
            return Snapshot(repo, None, c)
    return None


def extract(snap: Snapshot, patterns: Sequence[str], rev: str, dest: Path) -> tuple[str, list[tuple[str, Path]]]:
    """Copy the matching files to dest; returns (commit, [(path in repo, local path)])."""
    out = []
    if snap.git_dir is not None:
        commit = git(snap.git_dir, "rev-parse", f"{rev}^{{commit}}").strip()
        paths = git(snap.git_dir, "ls-tree", "-r", "--name-only", commit).splitlines()
        for path in paths:
            if any(fnmatch.fnmatchcase(path, p) for p in patterns):
                local = dest / snap.repo.replace("/", "+") / path
                local.parent.mkdir(parents=True, exist_ok=True)
                blob = subprocess.run(["git", f"--git-dir={snap.git_dir}", "show", f"{commit}:{path}"],
                                      check=True, capture_output=True).stdout
                local.write_bytes(blob)
                out.append((path, local))
        return commit, out
    assert snap.work_tree is not None
    for local in sorted(snap.work_tree.rglob("*.py")):
        path = local.relative_to(snap.work_tree).as_posix()
        if any(fnmatch.fnmatchcase(path, p) for p in patterns):
            out.append((path, local))
    return "work-tree", out


def run_loopcheck(files: Sequence[Path]) -> tuple[list, str]:
    # An empty file named on the command line is an error by design; packages' empty
    # __init__.py files have nothing to check.
    files = [f for f in files if f.stat().st_size > 0]
    if not files:
        return [], ""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", "loopcheck", "--output-format", "json", "--exit-zero", *map(str, files)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    try:
        data = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        data = None
    if proc.returncode != 0 or not isinstance(data, list):
        return [], (proc.stderr or proc.stdout).strip().splitlines()[-1:][0] if (proc.stderr or proc.stdout).strip() \
            else f"loopcheck exited {proc.returncode}"
    return data, ""


ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$")


def read_verdicts(path: Path = VERDICTS_MD) -> list[dict]:
    """Rows of the VERDICTS table: repo | commit | path | line | code | verdict | note."""
    rows, in_table = [], False
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip().startswith("<!-- VERDICTS"):
            in_table = True
            continue
        if in_table and line.strip().startswith("<!-- /VERDICTS"):
            break
        m = ROW.match(line.strip()) if in_table else None
        if not m:
            continue
        cells = [c.strip() for c in m["cells"].split("|")]
        if len(cells) < 6 or cells[0] in ("repo", "") or set(cells[0]) <= {"-", ":"}:
            continue
        try:
            line_no = int(cells[3])
        except ValueError:
            continue
        rows.append({"repo": cells[0], "commit": cells[1], "path": cells[2], "line": line_no, "code": cells[4],
                     "verdict": cells[5], "note": cells[6] if len(cells) > 6 else ""})
    return rows


def verdict_for(rows: Sequence[dict], repo: str, commit: str, path: str, line: int, code: str) -> Optional[dict]:
    for r in rows:
        if r["repo"] == repo and r["path"] == path and r["line"] == line and r["code"] == code \
                and (commit.startswith(r["commit"]) or r["commit"].startswith(commit[:12]) or r["commit"] in ("*", "")):
            return r
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, action="append", help="directory holding <owner>+<name>/repo snapshots")
    parser.add_argument("--repo", action="append", default=[], help="owner/name=PATH (git dir or work tree)")
    parser.add_argument("--rev", action="append", default=[], help="owner/name=REV (default HEAD)")
    parser.add_argument("--only", action="append", default=[], help="check only these repositories")
    parser.add_argument("--json", type=Path, help="write the findings as JSON")
    parser.add_argument("--markdown", action="store_true", help="print VERDICTS rows for the findings without one")
    parser.add_argument("--check", action="store_true", help="exit 1 on unjudged findings or false-positive verdicts")
    args = parser.parse_args(argv)

    overrides = dict(s.split("=", 1) for s in args.repo)
    revs = dict(s.split("=", 1) for s in args.rev)
    mirrors = args.mirror or DEFAULT_MIRRORS
    verdicts = read_verdicts()
    report, missing, unjudged, false_pos = [], [], [], []

    with tempfile.TemporaryDirectory(prefix="lc-real-") as tmp:
        for repo, patterns in TARGETS.items():
            if args.only and repo not in args.only:
                continue
            snap = locate(repo, overrides, mirrors)
            if snap is None:
                missing.append(repo)
                print(f"{repo}: no snapshot found (looked in {', '.join(map(str, mirrors))}; use --repo {repo}=PATH)")
                continue
            try:
                commit, files = extract(snap, patterns, revs.get(repo, "HEAD"), Path(tmp))
            except subprocess.CalledProcessError as exc:
                print(f"{repo}: cannot read the snapshot: {exc.stderr.strip() if exc.stderr else exc}")
                missing.append(repo)
                continue
            if not files:
                print(f"{repo}@{commit[:12]}: none of {patterns} exists at this commit")
                continue
            findings, error = run_loopcheck([f for _, f in files])
            if error:
                print(f"{repo}@{commit[:12]}: loopcheck failed: {error}")
                continue
            by_local = {str(f.resolve()): p for p, f in files}
            print(f"{repo}@{commit[:12]}: {len(files)} file(s), {len(findings)} finding(s)")
            for f in sorted(findings, key=lambda f: (f.get("path", ""), f.get("line", 0))):
                local = str((ROOT / f["path"]).resolve()) if not os.path.isabs(f["path"]) else str(Path(f["path"]).resolve())
                path = by_local.get(local, f["path"])
                row = {"repo": repo, "commit": commit, "path": path, "line": f.get("line"), "code": f.get("code"),
                       "severity": f.get("severity"), "message": f.get("message", "")}
                v = verdict_for(verdicts, repo, commit, path, row["line"], row["code"])
                row["verdict"] = v["verdict"] if v else None
                report.append(row)
                if v is None:
                    unjudged.append(row)
                elif "false" in v["verdict"].lower():
                    false_pos.append(row)
                print(f"  {path}:{row['line']}: {row['code']} {row['message']}   [{row['verdict'] or 'no verdict yet'}]")

    if args.json:
        args.json.write_text(json.dumps({"findings": report, "missing_snapshots": missing}, indent=1))
    if args.markdown and unjudged:
        print("\nrows for the VERDICTS table in benchmarks/accuracy/real_repos.md:")
        for r in unjudged:
            print(f"| {r['repo']} | {r['commit'][:12]} | {r['path']} | {r['line']} | {r['code']} | ? | {r['message'][:80]} |")
    print(f"\n{len(report)} finding(s): {len(report) - len(unjudged)} judged, {len(unjudged)} without a verdict, "
          f"{len(false_pos)} judged false positive; {len(missing)} repositor{'y' if len(missing) == 1 else 'ies'} without a snapshot")
    if args.check and (unjudged or false_pos):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
