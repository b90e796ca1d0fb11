"""loopcheck on training and evaluation code that no one on the team wrote, scored by hand-made verdicts.

The repositories' code is never committed here. `real/manifest.csv` lists the files (repository,
commit, path); this script extracts them at that commit from local git snapshots into a
temporary directory, checks them all in one loopcheck run, matches every finding to its reviewed
verdict in `real/verdicts.csv` and prints precision and recall per rule (recall counts the bugs
listed in `real/missed.csv`, and true verdicts loopcheck no longer reports, as well as the true
findings). `heldout/` is a second corpus of the same shape from other repositories.

    python benchmarks/accuracy/real_repos.py --snapshots DIR             # <DIR>/<owner>+<name>[/repo] git dirs
    python benchmarks/accuracy/real_repos.py --snapshots DIR --repo pytorch/examples=/path/to/examples/.git
    python benchmarks/accuracy/real_repos.py --snapshots DIR --show-unjudged 3   # each new finding with context
    python benchmarks/accuracy/real_repos.py --snapshots DIR --markdown          # the tables for docs/accuracy.md
    python benchmarks/accuracy/real_repos.py --snapshots DIR --save              # results/real.json, for run.py
    python benchmarks/accuracy/real_repos.py --snapshots DIR --corpus benchmarks/accuracy/heldout --save
    python benchmarks/accuracy/real_repos.py --snapshots DIR --json out.json --check
    python benchmarks/accuracy/real_repos.py --snapshots DIR --extract OUT_DIR   # only write the files
    python benchmarks/accuracy/real_repos.py --snapshots DIR --select repos.csv --cap 20   # draw a new manifest
    python benchmarks/accuracy/real_repos.py --snapshots DIR --select repos.csv --cap 5 --mentions REGEX   # draw more

Verdicts are keyed by (repository, path, code, the stripped text of the finding's line, the rank of
that line among the file's lines of the same text), so they survive changes in line mapping and
cell numbering, and do not depend on what else is reported.

Exit status: 0; 1 with --check when a finding has no verdict; 2 on usage errors (no snapshots,
a listed repository without a snapshot, a file missing at the manifest commit).
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REAL = HERE / "real"            # the corpus the analysis is tuned on
HELD_OUT = HERE / "heldout"     # drawn from other repositories, judged only after the tuning
HELD_OUT_2 = HERE / "heldout2"  # a second held-out set, drawn after fixes had looked at the first
HELD_OUT_3 = HERE / "heldout3"  # a third, drawn after fixes had looked at the second
HELD_OUT_4 = HERE / "heldout4"  # a fourth, drawn after fixes had looked at the third
HELD_OUT_5 = HERE / "heldout5"  # a fifth (library test suites and notebooks), after fixes for the fourth
HELD_OUT_6 = HERE / "heldout6"  # a sixth (mostly notebooks: courses, books, Kaggle), after fixes for the fifth
CORPORA = ((REAL, "Tuning corpus"), (HELD_OUT, "Held-out corpus"), (HELD_OUT_2, "Second held-out corpus"),
           (HELD_OUT_3, "Third held-out corpus"), (HELD_OUT_4, "Fourth held-out corpus"),
           (HELD_OUT_5, "Fifth held-out corpus"), (HELD_OUT_6, "Sixth held-out corpus"))
RESULTS = HERE / "results"      # <corpus folder name>.json: what benchmarks/accuracy/run.py shows
MANIFEST, REPOS, VERDICTS, MISSED = "manifest.csv", "repos.csv", "verdicts.csv", "missed.csv"

VERDICT_VALUES = ("true", "false", "unclear")
MANIFEST_FIELDS = ["repo", "commit", "path"]
REPOS_FIELDS = ["repo", "kind", "about"]
VERDICT_FIELDS = ["repo", "path", "code", "text", "occurrence", "verdict", "idiom", "note"]
MISSED_FIELDS = ["repo", "path", "code", "text", "idiom", "note"]

# The cheap filter that drew the corpus: a loop, torch, and training or evaluation.
_LOOP = re.compile(r"^\s*for\s.+:", re.M)
_TRAIN_OR_EVAL = (".backward(", ".eval()", "no_grad")


class UsageError(Exception):
    """A one-line reason the corpus cannot be checked as asked."""


# ------------------------------------------------------------------------------------------------
# the committed tables


def read_csv(path: Path, fields: Sequence[str]) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != list(fields):
            raise UsageError(f"{path.name}: columns {reader.fieldnames}, expected {list(fields)}")
        rows = [dict(row) for row in reader]
    for number, row in enumerate(rows, start=2):
        if None in row or None in row.values():
            raise UsageError(f"{path.name}:{number}: {len(fields)} cells expected (quote a cell that holds a comma)")
    return rows


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems(manifest: Sequence[dict], repos: Sequence[dict], verdicts: Sequence[dict],
             missed: Sequence[dict]) -> list[str]:
    """What is wrong with the tables (empty when they are well-formed)."""
    out = []
    kinds = {r["repo"]: r["kind"] for r in repos}
    files = {(m["repo"], m["path"]) for m in manifest}
    commits: dict[str, set] = defaultdict(set)
    for m in manifest:
        commits[m["repo"]].add(m["commit"])
        if not re.fullmatch(r"[0-9a-f]{40}", m["commit"]):
            out.append(f"manifest: {m['repo']} {m['path']}: commit {m['commit']!r} is not a full hash")
        if m["repo"] not in kinds:
            out.append(f"manifest: {m['repo']} has no row in repos.csv")
    out += [f"manifest: {repo} is listed at {len(c)} commits" for repo, c in commits.items() if len(c) > 1]
    out += [f"manifest: {key} is listed twice" for key, n in Counter((m["repo"], m["path"]) for m in manifest).items() if n > 1]
    seen = Counter(verdict_key(v) for v in verdicts)
    out += [f"verdicts: {key} is judged twice" for key, n in seen.items() if n > 1]
    for v in verdicts:
        where = f"verdicts: {v['repo']} {v['path']} {v['code']} {v['text'][:40]!r}"
        if (v["repo"], v["path"]) not in files:
            out.append(f"{where}: the file is not in the manifest")
        if v["verdict"] not in VERDICT_VALUES:
            out.append(f"{where}: verdict {v['verdict']!r} is not one of {VERDICT_VALUES}")
        if v["verdict"] != "true" and not v["idiom"]:
            out.append(f"{where}: a {v['verdict']} verdict names its idiom class")
        if not v["note"]:
            out.append(f"{where}: no note")
        if not re.fullmatch(r"\d+(\.\d+)?", v["occurrence"]):
            out.append(f"{where}: occurrence {v['occurrence']!r} is not N or N.K")
    for m in missed:
        where = f"missed: {m['repo']} {m['path']} {m['code']}"
        if (m["repo"], m["path"]) not in files:
            out.append(f"{where}: the file is not in the manifest")
        if not (m["text"] and m["note"] and re.fullmatch(r"LC\d{3}", m["code"])):
            out.append(f"{where}: needs a code, the line's text and a note")
    return out


def load_tables(corpus: Path = REAL) -> tuple[list, list, list, list]:
    """manifest, repos, verdicts, missed of a corpus folder."""
    missing = [name for name in (MANIFEST, REPOS, VERDICTS, MISSED) if not (corpus / name).is_file()]
    if missing:
        raise UsageError(f"{corpus}: no {', '.join(missing)}")
    return (read_csv(corpus / MANIFEST, MANIFEST_FIELDS), read_csv(corpus / REPOS, REPOS_FIELDS),
            read_csv(corpus / VERDICTS, VERDICT_FIELDS), read_csv(corpus / MISSED, MISSED_FIELDS))


def verdict_key(row: dict) -> tuple:
    return (row["repo"], row["path"], row["code"], row["text"], str(row["occurrence"]))


# ------------------------------------------------------------------------------------------------
# snapshots


def git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True).stdout


def git_dir_of(path: Path) -> Optional[Path]:
    for candidate in (path, path / "repo", path / ".git", path / "repo" / ".git"):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def locate(repo: str, snapshots: Optional[Path], overrides: dict[str, Path]) -> Path:
    places = [overrides[repo]] if repo in overrides else []
    if snapshots is not None:
        places.append(snapshots / repo.replace("/", "+"))
    for place in places:
        found = git_dir_of(place)
        if found is not None:
            return found
    raise UsageError(f"{repo}: no git snapshot at {' or '.join(map(str, places)) or 'any given place'}"
                     f" (use --snapshots DIR or --repo {repo}=PATH)")


def read_blobs(git_dir: Path, specs: Sequence[str]) -> list[Optional[bytes]]:
    """The contents of `commit:path` specs in one `git cat-file --batch`; None for a missing one."""
    proc = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                          input="".join(s + "\n" for s in specs).encode(), capture_output=True, check=True)
    out, data, at = [], proc.stdout, 0
    for _ in specs:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        if header[-1] == b"missing":
            out.append(None)
            at = end + 1
            continue
        size = int(header[2])
        out.append(data[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return out


def extract(manifest: Sequence[dict], snapshots: Optional[Path], overrides: dict[str, Path], dest: Path) -> dict[str, dict]:
    """Write every manifest file under dest; returns local path -> manifest row."""
    by_repo: dict[str, list[dict]] = defaultdict(list)
    for row in manifest:
        by_repo[row["repo"]].append(row)
    local: dict[str, dict] = {}
    for repo, rows in by_repo.items():
        git_dir = locate(repo, snapshots, overrides)
        try:
            blobs = read_blobs(git_dir, [f"{r['commit']}:{r['path']}" for r in rows])
        except subprocess.CalledProcessError as error:
            raise UsageError(f"{repo}: cannot read {git_dir}: {error.stderr.decode(errors='replace').strip()}") from None
        for row, blob in zip(rows, blobs):
            if blob is None:
                raise UsageError(f"{repo}: {row['path']} is not in {git_dir} at {row['commit'][:12]}"
                                 " (a snapshot older than the manifest?)")
            path = dest / repo.replace("/", "+") / row["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob)
            local[str(path)] = row
    return local


# ------------------------------------------------------------------------------------------------
# checking and matching


@dataclass
class Judged:
    repo: str
    path: str
    line: int
    cell: Optional[int]
    code: str
    severity: str
    message: str
    text: str
    occurrence: str
    verdict: Optional[str] = None
    idiom: str = ""
    note: str = ""

    def key(self) -> tuple:
        return (self.repo, self.path, self.code, self.text, self.occurrence)

    def where(self) -> str:
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.repo}/{self.path}:{cell}{self.line}"


def line_texts(path: Path) -> dict[tuple[Optional[int], int], str]:
    """(cell, line) -> the line's text, with cells numbered as loopcheck numbers them."""
    from loopcheck import notebooks
    from loopcheck.files import is_notebook

    text = path.read_text(encoding="utf-8", errors="replace")
    if not is_notebook(str(path)):
        return {(None, n): line for n, line in enumerate(text.splitlines(), start=1)}
    try:
        program = notebooks.load(text, str(path))
    except Exception:  # a notebook loopcheck cannot read has no findings to look up
        return {}
    return dict(zip(program.positions, program.source.splitlines()))


def occurrences(texts: dict[tuple[Optional[int], int], str]) -> dict[tuple[Optional[int], int], int]:
    """Each line's rank among the file's lines of the same stripped text, in file order: with the
    text it names one source line whatever else is reported and however cells are numbered."""
    seen: Counter = Counter()
    rank = {}
    for position, text in texts.items():
        rank[position] = seen[text.strip()]
        seen[text.strip()] += 1
    return rank


def check(local: dict[str, dict], jobs: int) -> tuple[list[Judged], list[str]]:
    """All findings, keyed, and the errors of files loopcheck could not check."""
    sys.path.insert(0, str(ROOT))
    from loopcheck.checker import check_paths

    findings, errors = [], []
    for result in check_paths(sorted(local), jobs=jobs):
        if result.error:
            errors.append(result.error)
            continue
        if not result.findings:
            continue
        row = local[str(Path(result.path))] if str(Path(result.path)) in local else local[result.display]
        texts = line_texts(Path(result.path))
        rank = occurrences(texts)
        on_line: Counter = Counter()   # two findings of one code on one line: 3, then 3.1
        for f in sorted(result.findings, key=lambda f: (f.location.cell or 0, f.line, f.column, f.code)):
            position = (f.location.cell, f.line)
            nth = on_line[(position, f.code)]
            on_line[(position, f.code)] += 1
            occurrence = f"{rank.get(position, 0)}" + (f".{nth}" if nth else "")
            findings.append(Judged(row["repo"], row["path"], f.line, f.location.cell, f.code, f.severity.value,
                                   f.message, texts.get(position, "").strip(), occurrence))
    return findings, errors


def judge(findings: Sequence[Judged], verdicts: Sequence[dict], missed: Sequence[dict]) -> list[dict]:
    """Attach verdicts; a finding that matches a listed missed bug is a true finding (the bug was
    found). Returns the bugs loopcheck does not report: the listed missed bugs it still misses, and
    the findings judged true earlier that it no longer reports (marked `lost`)."""
    by_key = {verdict_key(v): v for v in verdicts}
    found_missed, reported = set(), set()
    missed_keys = {(m["repo"], m["path"], m["code"], m["text"].strip()): i for i, m in enumerate(missed)}
    for j in findings:
        reported.add(j.key())
        v = by_key.get(j.key())
        if v is not None:
            j.verdict, j.idiom, j.note = v["verdict"], v["idiom"], v["note"]
        index = missed_keys.get((j.repo, j.path, j.code, j.text))
        if index is not None and j.verdict in (None, "true"):
            found_missed.add(index)
            if j.verdict is None:
                j.verdict, j.note = "true", "listed as a missed bug: " + missed[index]["note"]
    lost = [{"repo": v["repo"], "path": v["path"], "code": v["code"], "text": v["text"], "idiom": "no longer reported",
             "note": "judged true in an earlier run: " + v["note"], "lost": True}
            for v in verdicts if v["verdict"] == "true" and verdict_key(v) not in reported]
    return [m for i, m in enumerate(missed) if i not in found_missed] + lost


def scores(findings: Sequence[Judged], still_missed: Sequence[dict]) -> dict:
    per: dict[str, Counter] = defaultdict(Counter)
    for j in findings:
        per[j.code][j.verdict or "unjudged"] += 1
    for m in still_missed:
        per[m["code"]]["missed"] += 1
    total: Counter = Counter()
    for counts in per.values():
        total.update(counts)

    def figures(c: Counter) -> dict:
        judged = c["true"] + c["false"]
        found_or_missed = c["true"] + c["missed"]
        return {"findings": c["true"] + c["false"] + c["unclear"] + c["unjudged"], "true": c["true"], "false": c["false"],
                "unclear": c["unclear"], "unjudged": c["unjudged"], "missed": c["missed"],
                "precision": c["true"] / judged if judged else None,
                "recall": c["true"] / found_or_missed if found_or_missed else None}

    return {"rules": {code: figures(per[code]) for code in sorted(per)}, "overall": figures(total)}


# ------------------------------------------------------------------------------------------------
# output


def pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.2f}"



def corpus_summary(manifest: Sequence[dict], repos: Sequence[dict], local: dict[str, dict]) -> dict:
    kinds = {r["repo"]: r["kind"] for r in repos}
    lines: Counter = Counter()
    for path, row in local.items():
        lines[row["repo"]] += len(line_texts(Path(path))) if path.endswith(".ipynb") else \
            Path(path).read_bytes().count(b"\n")
    per_kind: dict[str, Counter] = defaultdict(Counter)
    for m in manifest:
        c = per_kind[kinds.get(m["repo"], "?")]
        c["files"] += 1
        c["notebooks" if m["path"].endswith(".ipynb") else "scripts"] += 1
    for repo, kind in kinds.items():
        per_kind[kind]["repos"] += 1
        per_kind[kind]["lines"] += lines[repo]
    return {"repos": len(kinds), "files": len(manifest),
            "notebooks": sum(m["path"].endswith(".ipynb") for m in manifest),
            "lines": sum(lines.values()), "kinds": {k: dict(v) for k, v in sorted(per_kind.items())},
            "files_per_repo": dict(Counter(m["repo"] for m in manifest))}


def summary(result: dict, verdicts: Sequence[dict], missed: Sequence[dict]) -> dict:
    """What docs/accuracy.md shows and results/real.json keeps: no per-finding list."""
    classes: dict[str, Counter] = defaultdict(Counter)
    for f in result["findings"]:
        if f["verdict"] == "false":
            classes[f["idiom"]][f["code"]] += 1
    return {"generated": result["generated"], "analysis": result.get("analysis", "?"), "corpus": result["corpus"],
            "errors": result["errors"],
            "scores": result["scores"], "verdicts": len(verdicts), "listed_missed": len(missed),
            "false_positive_classes": {k: dict(v) for k, v in sorted(classes.items(), key=lambda kv: -sum(kv[1].values()))},
            "missed": result["missed"]}


def markdown(summary: dict) -> str:
    """Corpus, per-rule scores, false-positive classes and the bugs still missed, as Markdown."""
    c, s = summary["corpus"], summary["scores"]
    out = [f"Corpus: **{c['files']}** files ({c['files'] - c['notebooks']} scripts, {c['notebooks']} notebooks, "
           f"about {c['lines'] // 1000}k lines) from **{c['repos']}** public repositories; "
           f"{len(summary['errors'])} file(s) loopcheck could not check. Checked on {summary['generated']} "
           f"(loopcheck at {summary.get('analysis', '?')}).", "",
           "| kind | repositories | files | scripts | notebooks | lines |", "|---|---:|---:|---:|---:|---:|"]
    for kind, k in c["kinds"].items():
        out.append(f"| {kind} | {k.get('repos', 0)} | {k.get('files', 0)} | {k.get('scripts', 0)} | "
                   f"{k.get('notebooks', 0)} | {k.get('lines', 0)} |")
    out += ["", "| rule | findings | true | false | unclear | unjudged | missed | precision | recall |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for code, r in list(s["rules"].items()) + [("**overall**", s["overall"])]:
        out.append(f"| {code} | {r['findings']} | {r['true']} | {r['false']} | {r['unclear']} | {r['unjudged']} | "
                   f"{r['missed']} | {pct(r['precision'])} | {pct(r['recall'])} |")
    out += ["", "Precision = true / (true + false), unclear left out; recall = true / (true + missed), where missed "
            "counts the bugs read by hand in the files and the findings judged true in an earlier run that loopcheck does not "
            "report now."]
    classes = summary.get("false_positive_classes") or {}
    if classes:
        out += ["", "False positives by idiom class:", "", "| class | findings | rules |", "|---|---:|---|"]
        out += [f"| {name or '?'} | {sum(codes.values())} | {', '.join(f'{k} {v}' for k, v in sorted(codes.items()))} |"
                for name, codes in classes.items()]
    missed = summary.get("missed") or []
    lost = sum(bool(m.get("lost")) for m in missed)
    out += ["", f"Bugs loopcheck does not report: {len(missed) - lost} of the {summary.get('listed_missed', len(missed) - lost)} "
            f"read by hand in the files (the others are found now), and {lost} finding(s) judged true in an earlier run "
            "that it no longer reports:", ""]
    out += [f"* `{m['repo']}` `{m['path']}` {m['code']} `{m['text']}` ({m['idiom']}): {m['note']}" for m in missed] or ["None."]
    return "\n".join(out)


def print_report(result: dict, findings: Sequence[Judged], show_unjudged: Optional[int], texts_of) -> None:
    for error in result["errors"]:
        print(f"not checked: {error}")
    for j in findings:
        if j.verdict is None:
            print(f"UNJUDGED {j.where()}: {j.code} {j.message}\n    {j.text}")
            if show_unjudged is not None:
                print(texts_of(j, show_unjudged))
    print()
    print(markdown(result))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=Path, help="folder of git snapshots named <owner>+<name> (a git dir, or one under repo/)")
    parser.add_argument("--repo", action="append", default=[], metavar="OWNER/NAME=PATH", help="a git dir for one repository")
    parser.add_argument("--corpus", type=Path, default=REAL, help="folder with manifest.csv, repos.csv, verdicts.csv, missed.csv")
    parser.add_argument("--only", action="append", default=[], metavar="OWNER/NAME", help="check only these repositories")
    parser.add_argument("--jobs", type=int, default=2, help="loopcheck worker processes")
    parser.add_argument("--json", type=Path, help="write findings, verdicts and scores as JSON")
    parser.add_argument("--markdown", action="store_true", help="print only the corpus and score tables")
    parser.add_argument("--show-unjudged", type=int, metavar="N", help="print N lines of context around unjudged findings")
    parser.add_argument("--save", action="store_true", help="keep the scores for docs/accuracy.md in results/<corpus>.json")
    parser.add_argument("--check", action="store_true", help="exit 1 when a finding has no verdict")
    parser.add_argument("--extract", type=Path, metavar="DIR",
                        help="write the manifest's files under DIR (<owner>+<name>/<path>) and stop")
    parser.add_argument("--select", type=Path, metavar="REPOS_CSV", help="draw a new manifest for these repositories (printed)")
    parser.add_argument("--cap", type=int, default=20, help="with --select: files per repository")
    parser.add_argument("--mentions", type=re.compile, metavar="REGEX",
                        help="with --select: files whose code matches REGEX instead of loop files, leaving out"
                             " those already in the --corpus manifest (an extension for some APIs)")
    args = parser.parse_args(argv)
    try:
        overrides = dict(_pair(s) for s in args.repo)
        if args.snapshots is None and not overrides:
            raise UsageError("say where the snapshots are: --snapshots DIR (and/or --repo OWNER/NAME=PATH)")
        if args.select:
            listed = {(m["repo"], m["path"]) for m in load_tables(args.corpus)[0]} if args.mentions else set()
            return select(read_csv(args.select, REPOS_FIELDS), args.snapshots, overrides, args.cap,
                          args.mentions, listed)
        manifest, repos, verdicts, missed = load_tables(args.corpus)
        bad = problems(manifest, repos, verdicts, missed)
        if bad:
            raise UsageError("; ".join(bad[:5]))
        if args.only:
            manifest = [m for m in manifest if m["repo"] in args.only]
            repos = [r for r in repos if r["repo"] in args.only]
            missed = [m for m in missed if m["repo"] in args.only]
            verdicts = [v for v in verdicts if v["repo"] in args.only]
        if args.extract:
            print(f"{len(extract(manifest, args.snapshots, overrides, args.extract))} files under {args.extract}")
            return 0
        with tempfile.TemporaryDirectory(prefix="lc-real-") as tmp:
            local = extract(manifest, args.snapshots, overrides, Path(tmp))
            findings, errors = check(local, args.jobs)
            still_missed = judge(findings, verdicts, missed)
            result = {"generated": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "analysis": analysis_version(),
                      "corpus": corpus_summary(manifest, repos, local), "errors": sorted(e.replace(tmp + "/", "") for e in errors),
                      "scores": scores(findings, still_missed), "findings": [asdict(j) for j in findings],
                      "missed": still_missed}
            by_row = {(row["repo"], row["path"]): p for p, row in local.items()}

            def context(j: Judged, n: int) -> str:
                texts = line_texts(Path(by_row[(j.repo, j.path)]))
                rows = [f"    {'>' if ln == j.line else ' '}{ln:5d} {texts.get((j.cell, ln), '')}"
                        for ln in range(max(1, j.line - n), j.line + n + 1) if (j.cell, ln) in texts]
                return "\n".join(rows)

            digest = summary(result, verdicts, missed)
            if args.markdown:
                print(markdown(digest))
            else:
                print_report(digest, findings, args.show_unjudged, context)
    except UsageError as error:
        print(f"real_repos.py: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    if args.save:
        saved = saved_path(args.corpus)
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(digest, indent=1) + "\n")
    unjudged = [j for j in findings if j.verdict is None]
    return 1 if args.check and unjudged else 0


def analysis_version() -> str:
    """The commit of the loopcheck that was checked, `+changes` when its package differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "loopcheck"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return f"{commit}+changes" if dirty else commit


def saved_path(corpus: Path) -> Path:
    return RESULTS / f"{corpus.resolve().name}.json"


def _pair(spec: str) -> tuple[str, Path]:
    if "=" not in spec:
        raise UsageError(f"--repo {spec}: expected OWNER/NAME=PATH")
    repo, path = spec.split("=", 1)
    return repo, Path(path)


def is_loop_file(text: str) -> bool:
    return "torch" in text and bool(_LOOP.search(text)) and any(s in text for s in _TRAIN_OR_EVAL)


def code_of(path: str, blob: bytes) -> str:
    text = blob.decode("utf-8", errors="replace")
    if not path.endswith(".ipynb"):
        return text
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return ""
    return "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
                     for c in cells if isinstance(c, dict) and c.get("cell_type") == "code")


def select(repos: Sequence[dict], snapshots: Optional[Path], overrides: dict[str, Path], cap: int,
           mentions: Optional[re.Pattern] = None, listed: frozenset | set = frozenset()) -> int:
    """Print a manifest: per repository, up to `cap` loop files at HEAD (or, given `mentions`, files
    that mention torch and match it and are not `listed` yet), drawn by a hash of the path (stable,
    and spread over the repository rather than its first folder)."""

    def wanted(code: str) -> bool:
        if mentions is None:
            return is_loop_file(code)
        return "torch" in code and mentions.search(code) is not None

    writer = csv.DictWriter(sys.stdout, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for repo in (r["repo"] for r in repos):
        git_dir = locate(repo, snapshots, overrides)
        commit = git(git_dir, "rev-parse", "HEAD^{commit}").strip()
        paths = [p for p in git(git_dir, "ls-tree", "-r", "--name-only", commit).splitlines()
                 if p.endswith((".py", ".ipynb")) and ".ipynb_checkpoints" not in p and (repo, p) not in listed]
        blobs = read_blobs(git_dir, [f"{commit}:{p}" for p in paths])
        loops = [p for p, b in zip(paths, blobs) if b is not None and len(b) < 3_000_000 and wanted(code_of(p, b))]
        for path in sorted(sorted(loops, key=lambda p: hashlib.sha1(p.encode()).hexdigest())[:cap]):
            writer.writerow({"repo": repo, "commit": commit, "path": path})
    return 0


if __name__ == "__main__":
    sys.exit(main())
