"""`loopcheck run` under torchrun: one report file per rank, a merged summary on rank 0.

Ranks are detected from the environment torchrun sets (RANK, WORLD_SIZE, LOCAL_RANK), not
from torch.distributed: the script may have destroyed its process group by the end, and a
collective at exit would hang if one rank failed. Instead each rank writes its JSON report
to a file with the rank in its name, and rank 0 waits briefly for the others' files.

A rank 0 whose script failed waits only a moment (ranks that failed with it write their
reports at once): the other ranks are usually blocked in a collective on rank 0 and end
only when torchrun stops them after rank 0 exits, each then writing its own report file.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

DEFAULT_REPORT = "loopcheck-report.json"
WAIT_SECONDS = float(os.environ.get("LOOPCHECK_RANK_WAIT", "60"))
FAILED_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class RankInfo:
    rank: int
    world_size: int
    local_rank: int

    @property
    def is_distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def rank_info(environ: Optional[dict] = None) -> RankInfo:
    env = os.environ if environ is None else environ
    try:
        return RankInfo(int(env.get("RANK", 0)), int(env.get("WORLD_SIZE", 1)), int(env.get("LOCAL_RANK", 0)))
    except ValueError:
        return RankInfo(0, 1, 0)


def rank_path(path: str, rank: int) -> Path:
    """`report.json` -> `report.rank1.json` (the rank goes before the suffix)."""
    p = Path(path)
    return p.with_name(f"{p.stem}.rank{rank}{p.suffix or '.json'}")


def write_rank_report(data: dict, path: str, info: RankInfo) -> Path:
    """Write this rank's report atomically (rank 0 may be polling for it)."""
    target = rank_path(path, info.rank)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, target)
    return target


def collect_rank_reports(path: str, info: RankInfo, started: float, timeout: Optional[float] = None) -> dict[int, dict]:
    """Rank 0: the reports of every rank written since `started`, waiting up to `timeout` s.

    Files older than this run (left by an earlier launch) are ignored; ranks that did not
    write in time are missing from the result.
    """
    deadline = time.monotonic() + (WAIT_SECONDS if timeout is None else timeout)
    found: dict[int, dict] = {}
    while True:
        for rank in range(info.world_size):
            if rank in found:
                continue
            candidate = rank_path(path, rank)
            try:
                if candidate.stat().st_mtime + 1.0 < started:
                    continue
                found[rank] = json.loads(candidate.read_text())
            except (OSError, ValueError):
                continue
        if len(found) == info.world_size or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def merge_reports(reports: dict[int, dict], world_size: int) -> dict:
    """One report for the job: findings deduplicated by (code, path, line) with the ranks that
    saw them and summed counts, each rank's summary kept under `ranks`."""
    findings: dict[tuple, dict] = {}
    for rank in sorted(reports):
        for finding in reports[rank].get("findings", []):
            key = (finding.get("code"), finding.get("path"), finding.get("line"))
            if key not in findings:
                merged = dict(finding)
                merged["ranks"] = []
                merged["count"] = 0
                findings[key] = merged
            findings[key]["ranks"].append(rank)
            findings[key]["count"] += finding.get("count", 1)
    return {
        "findings": list(findings.values()),
        "summary": reports.get(0, {}).get("summary", {}),
        "ranks": {str(rank): {"summary": reports[rank].get("summary", {}), "run": reports[rank].get("run", {})}
                  for rank in sorted(reports)},
        "missing_ranks": [r for r in range(world_size) if r not in reports],
    }


def format_merged(merged: dict, world_size: int, waited: bool = True) -> str:
    """The text rank 0 prints: per-rank outcome, then the job's findings. `waited`: rank 0
    waited for the others (it finished), else it failed and did not wait."""
    lines = [f"loopcheck: merged report of {world_size} ranks"]
    for rank, data in merged["ranks"].items():
        run = data.get("run", {})
        n = run.get("findings", "?")
        stopped = f" at {run['stopped_at']}" if run.get("stopped_at") else ""
        lines.append(f"  rank {rank}: {run.get('outcome', '?')}{stopped}, {run.get('optimizer_steps', '?')} optimizer "
                     f"steps, {n} finding{'' if n == 1 else 's'}")
    for rank in merged["missing_ranks"]:
        if waited:
            lines.append(f"  rank {rank}: no report (the rank did not finish within {WAIT_SECONDS:.0f}s)")
        else:
            lines.append(f"  rank {rank}: no report yet (rank 0 failed first and did not wait for a rank "
                         "that may be blocked on it; the rank writes its own report file when it ends)")
    if not merged["findings"]:
        lines.append("no findings on any rank")
    for finding in merged["findings"]:
        ranks = ",".join(str(r) for r in finding["ranks"])
        count = f" (x{finding['count']})" if finding["count"] > 1 else ""
        lines.append(f"{finding.get('path')}:{finding.get('line')}:{finding.get('column')}: {finding.get('code')} "
                     f"[{finding.get('name')}] {finding.get('message')}{count} [ranks {ranks}]")
    return "\n".join(lines)


def describe(info: RankInfo) -> dict[str, Any]:
    return {"rank": info.rank, "world_size": info.world_size, "local_rank": info.local_rank}
