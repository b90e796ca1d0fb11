"""`write_html(report, path)`: the loop as one self-contained page (no network, no CDN).

Python turns the report into plain data (lanes, columns, marks, findings, summary rows);
a small inline script draws it as SVG. One lane per watched model and optimizer, one
column per recorded event, so the order of forward / backward / clear / step / scheduler
events reads left to right. Where the watcher dropped events in the middle of a long run
(it keeps the first and last iterations) the timeline shows a gap with the number omitted.
"""
from __future__ import annotations

import html as _html
import json
from pathlib import Path
from typing import Any, Iterable, Optional

from loopcheck.catalogue import BY_CODE
from loopcheck.events import Event, Kind

DOCS_URL = "https://github.com/loopcheck/loopcheck/blob/main/rules/"
MAX_COLUMNS = 400  # beyond this the page keeps the first and last half


def write_html(report: Any, path: "str | Path") -> None:
    data = page_data(report)
    Path(path).write_text(render(data), encoding="utf-8")


# -- data ----------------------------------------------------------------------------------
def doc_link(code: str) -> str:
    info = BY_CODE.get(code)
    return DOCS_URL + (info.doc_filename if info else "")


def _opt_ids(event: Event) -> list[str]:
    if event.optimizers:
        return sorted(event.optimizers)
    return [event.target] if event.target else []


def _model_id(event: Event) -> str:
    return str(event.facts.get("model") or event.target or "model")


def _forward_class(event: Event, training: Optional[bool]) -> tuple[str, str]:
    training = event.facts.get("training", training)
    grad = event.facts.get("grad_enabled")
    mode = {True: "train", False: "eval"}.get(training, "unknown")
    grad_text = {True: "grad", False: "no_grad"}.get(grad, "grad?")
    return f"fwd-{mode}-{'grad' if grad else 'nograd'}", f"forward ({mode} mode, {grad_text})"


def page_data(report: Any) -> dict:
    events: list[Event] = list(getattr(report, "events", []) or [])
    events = _bounded(events)
    lanes: dict[str, dict] = {}
    training: dict[str, Optional[bool]] = {}
    columns: list[dict] = []
    marks: list[dict] = []
    last_seq: Optional[int] = None

    def lane(ident: str, label: str, kind: str) -> str:
        entry = lanes.setdefault(ident, {"id": ident, "label": label or ident, "kind": kind})
        if label and entry["label"] == ident:
            entry["label"] = label
        return ident

    for event in events:
        seq = event.facts.get("seq")
        gap = seq - last_seq - 1 if isinstance(seq, int) and last_seq is not None and seq > last_seq + 1 else 0
        if isinstance(seq, int):
            last_seq = seq
        col = len(columns)
        where = f"{Path(event.location.path).name}:{event.location.line}" if event.location else ""
        columns.append({"gap": gap, "where": where, "phase": event.facts.get("phase")})
        kind = event.kind
        if kind in (Kind.FORWARD, Kind.MODE, Kind.DATA):
            model = lane(_model_id(event), str(event.facts.get("model_label") or event.label or ""), "model")
            if kind == Kind.MODE:
                training[model] = event.facts.get("training")
                state = {True: "train()", False: "eval()"}.get(event.facts.get("training"), "mode?")
                marks.append(_mark(col, model, "mode", f"model.{state}", where))
            elif kind == Kind.FORWARD:
                css, text = _forward_class(event, training.get(model))
                marks.append(_mark(col, model, css, text, where))
            else:
                marks.append(_mark(col, model, "data", "batch reaches the model", where))
            continue
        names = {Kind.BACKWARD: ("backward", "backward"), Kind.CLEAR: ("clear", "gradients cleared"),
                 Kind.STEP: ("step", "optimizer step"), Kind.SCHEDULER_STEP: ("sched", "scheduler step"),
                 Kind.OPTIMIZER_CREATED: ("created", "optimizer created")}
        if kind not in names:
            continue
        css, text = names[kind]
        targets = _opt_ids(event) if kind != Kind.CLEAR or event.optimizers else [event.target]
        if kind == Kind.BACKWARD and not targets:
            targets = [l["id"] for l in lanes.values() if l["kind"] == "optimizer"]
        for ident in targets or ["optimizer"]:
            label = event.facts.get("optimizer_label") or (event.label if kind in (Kind.STEP, Kind.OPTIMIZER_CREATED) else "")
            marks.append(_mark(col, lane(ident, str(label or ""), "optimizer"), css, text, where))

    findings = _findings(getattr(report, "findings", []) or [], events, marks)
    ordered = [l for l in lanes.values() if l["kind"] == "model"] + [l for l in lanes.values() if l["kind"] == "optimizer"]
    return {
        "lanes": ordered,
        "columns": columns,
        "marks": marks,
        "findings": findings,
        "summary": _summary_rows(getattr(report, "summary", {}) or {}),
        "total_events": len(getattr(report, "events", []) or []),
    }


def _mark(col: int, lane: str, css: str, text: str, where: str) -> dict:
    return {"col": col, "lane": lane, "cls": css, "title": f"{text} at {where}" if where else text}


def _bounded(events: list[Event]) -> list[Event]:
    if len(events) <= MAX_COLUMNS:
        return events
    half = MAX_COLUMNS // 2
    head, tail = events[:half], events[-half:]
    if not all(isinstance(e.facts.get("seq"), int) for e in (head[-1], tail[0])):
        # give the cut a visible gap even when the watcher numbers nothing
        tail = [Event(e.kind, e.location, e.target, e.label, e.optimizers, e.guards,
                      {**e.facts, "seq": len(events) - half + i}) for i, e in enumerate(tail)]
        head = [Event(e.kind, e.location, e.target, e.label, e.optimizers, e.guards, {**e.facts, "seq": i})
                for i, e in enumerate(head)]
    return head + tail


def _findings(findings: Iterable[Any], events: list[Event], marks: list[dict]) -> list[dict]:
    """Each finding placed on the first column whose event happened at the finding's line."""
    out = []
    for index, finding in enumerate(findings):
        loc = finding.location
        col = next((i for i, e in enumerate(events)
                    if e.location and e.location.line == loc.line and e.location.path == loc.path), None)
        lane_id = next((m["lane"] for m in marks if m["col"] == col), None) if col is not None else None
        out.append({
            "id": f"f{index}", "code": finding.code, "name": finding.name, "severity": finding.severity.value,
            "message": finding.message, "fix": finding.fix, "path": loc.path, "line": loc.line,
            "column": loc.column, "count": finding.count, "doc": doc_link(finding.code),
            "col": col, "lane": lane_id,
        })
    return out


def _summary_rows(summary: dict, prefix: str = "") -> list[list[str]]:
    rows: list[list[str]] = []
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and all(not isinstance(v, dict) for v in value.values()):
            rows.append([name, ", ".join(f"{k}: {_text(v)}" for k, v in value.items())])
        elif isinstance(value, dict) and value:
            rows.extend(_summary_rows(value, name + " / "))
        else:
            rows.append([name, _text(value)])
    return rows


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value) or "none"
    if value is None:
        return "-"
    return str(value)


# -- page ----------------------------------------------------------------------------------
def render(data: dict) -> str:
    payload = json.dumps(data).replace("</", "<\\/")  # nothing in the data can close the script tag
    count = len(data["findings"])
    title = f"loopcheck run report: {count} finding{'s' if count != 1 else ''}"
    return (_TEMPLATE.replace("%TITLE%", _html.escape(title))
            .replace("%CSS%", _CSS).replace("%JS%", _JS).replace("%DATA%", payload))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>%TITLE%</title><style>%CSS%</style></head>
<body>
<header><h1>%TITLE%</h1><p class="sub">What the training loop really did, in the order it happened.</p></header>
<section><h2>Timeline</h2><div id="legend"></div><div id="timeline" class="scroll"></div>
<p class="note" id="timeline-note"></p></section>
<section><h2>Findings</h2><div id="findings"></div></section>
<section><h2>Behaviour summary</h2><table id="summary"><tbody></tbody></table></section>
<script type="application/json" id="loopcheck-data">%DATA%</script>
<script>%JS%</script>
</body></html>
"""

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2430;background:#fafbfc}
header{padding:18px 24px 6px;border-bottom:1px solid #e3e6ea;background:#fff}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:18px 0 8px}.sub{color:#5b6473;margin:4px 0 10px}
section{padding:0 24px}.scroll{overflow-x:auto;background:#fff;border:1px solid #e3e6ea;border-radius:6px}
.note{color:#5b6473;font-size:12px}
#legend{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:8px;font-size:12px}
#legend span{display:inline-flex;align-items:center;gap:4px}
#legend i{display:inline-block;width:12px;height:12px;border-radius:2px}
svg text{font-size:12px;fill:#1f2430}svg .lane-label{font-weight:600}svg .gap-label{fill:#8a93a3;font-size:10px}
.fwd-train-grad{fill:#2f7de1}.fwd-train-nograd{fill:#9cc3f5}.fwd-eval-nograd{fill:#3bb273}.fwd-eval-grad{fill:#f2b134}
.fwd-unknown-grad,.fwd-unknown-nograd{fill:#a0a7b4}.backward{fill:#7b4bd6}.clear{fill:#8a93a3}.step{fill:#e0632b}
.sched{fill:#c2185b}.mode{fill:#1f2430}.created{fill:#00897b}.data{fill:#d0d4da}
.finding-mark{fill:#d32f2f;stroke:#fff;stroke-width:1}
table{border-collapse:collapse;background:#fff;margin-bottom:24px}
td,th{border:1px solid #e3e6ea;padding:4px 10px;text-align:left;vertical-align:top}
.finding{background:#fff;border:1px solid #e3e6ea;border-left:4px solid #d32f2f;border-radius:4px;padding:8px 12px;margin:6px 0}
.finding.warning{border-left-color:#f2b134}.finding .code{font-weight:700}.finding .loc{font-family:ui-monospace,monospace;color:#5b6473}
.finding .fix{color:#2e7d32;font-size:13px}.finding:target{outline:2px solid #d32f2f}
.none{color:#2e7d32}
"""

_JS = r"""
(function(){
const data = JSON.parse(document.getElementById('loopcheck-data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const el = (tag, attrs, parent) => { const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; };
const legendItems = [['fwd-train-grad','forward: train mode + grad'],['fwd-train-nograd','forward: train mode, no grad'],
  ['fwd-eval-nograd','forward: eval mode + no grad'],['fwd-eval-grad','forward: eval mode + grad'],
  ['backward','backward'],['clear','gradients cleared'],['step','optimizer step'],['sched','scheduler step'],
  ['mode','train()/eval()'],['finding-mark','finding']];
const legend = document.getElementById('legend');
for (const [cls, text] of legendItems) { const s = document.createElement('span');
  s.innerHTML = '<svg width="12" height="12"><rect class="' + cls + '" width="12" height="12" rx="2"/></svg>';
  s.appendChild(document.createTextNode(text)); legend.appendChild(s); }

const LABEL = 170, COL = 14, GAP = 34, ROW = 30, TOP = 22;
const x = []; let pos = LABEL;
data.columns.forEach((c, i) => { if (c.gap) pos += GAP; x.push(pos); pos += COL; });
const width = pos + 20, height = TOP + data.lanes.length * ROW + 10;
const svg = el('svg', {width: width, height: height, id: 'timeline-svg', role: 'img'}, document.getElementById('timeline'));
const laneY = {};
data.lanes.forEach((lane, i) => { const y = TOP + i * ROW; laneY[lane.id] = y;
  const g = el('g', {class: 'lane', 'data-lane': lane.id, 'data-kind': lane.kind}, svg);
  el('rect', {x: 0, y: y, width: width, height: ROW, fill: i % 2 ? '#fff' : '#f4f6f8'}, g);
  const t = el('text', {x: 8, y: y + ROW / 2 + 4, class: 'lane-label'}, g);
  t.textContent = (lane.kind === 'model' ? 'model ' : 'optimizer ') + lane.label; });
data.columns.forEach((c, i) => { if (!c.gap) return; const gx = x[i] - GAP / 2 - 2;
  el('line', {x1: gx, x2: gx, y1: TOP - 4, y2: height - 6, stroke: '#b8bec8', 'stroke-dasharray': '3 3'}, svg);
  const t = el('text', {x: gx, y: 12, class: 'gap-label', 'text-anchor': 'middle'}, svg);
  t.textContent = '\u2026 ' + c.gap + ' omitted'; });
for (const m of data.marks) { const y = laneY[m.lane]; if (y === undefined) continue;
  const shape = m.cls === 'mode' ? el('rect', {x: x[m.col] + 4, y: y + 5, width: 3, height: ROW - 10}, svg)
    : m.cls === 'step' || m.cls === 'sched' ? el('path', {d: `M${x[m.col] + 6} ${y + 7}l6 8l-6 8l-6-8z`}, svg)
    : el('rect', {x: x[m.col] + 1, y: y + 8, width: COL - 3, height: ROW - 16, rx: 2}, svg);
  shape.setAttribute('class', 'mark ' + m.cls); shape.setAttribute('data-col', m.col);
  el('title', {}, shape).textContent = m.title; }
for (const f of data.findings) { if (f.col === null || f.lane === null || laneY[f.lane] === undefined) continue;
  const a = el('a', {href: '#' + f.id, class: 'finding-link', 'data-code': f.code}, svg);
  const cx = x[f.col] + 6, y = laneY[f.lane];
  el('path', {d: `M${cx - 6} ${y + 1}h12l-6 8z`, class: 'finding-mark'}, a);
  el('title', {}, a).textContent = f.code + ' ' + f.name + ': ' + f.message; }
const shown = data.columns.length, total = data.total_events;
document.getElementById('timeline-note').textContent = shown + ' events shown' +
  (total > shown ? ' (of ' + total + ' recorded; the middle of long runs is omitted)' : '') + '. Hover a mark for its source line.';

const box = document.getElementById('findings');
if (!data.findings.length) { const p = document.createElement('p'); p.className = 'none';
  p.textContent = 'No findings.'; box.appendChild(p); }
for (const f of data.findings) { const d = document.createElement('div');
  d.className = 'finding ' + f.severity; d.id = f.id; d.setAttribute('data-code', f.code);
  const head = document.createElement('div');
  const code = document.createElement('a'); code.className = 'code'; code.href = f.doc; code.textContent = f.code;
  head.appendChild(code); head.appendChild(document.createTextNode(' [' + f.name + '] ' + f.severity +
    (f.count > 1 ? ' \u00d7' + f.count : '') + ' '));
  const loc = document.createElement('span'); loc.className = 'loc'; loc.textContent = f.path + ':' + f.line + ':' + f.column;
  head.appendChild(loc); d.appendChild(head);
  const msg = document.createElement('div'); msg.textContent = f.message; d.appendChild(msg);
  if (f.fix) { const fix = document.createElement('div'); fix.className = 'fix'; fix.textContent = 'fix: ' + f.fix; d.appendChild(fix); }
  box.appendChild(d); }

const tbody = document.querySelector('#summary tbody');
for (const [k, v] of data.summary) { const tr = document.createElement('tr');
  const th = document.createElement('th'); th.textContent = k; const td = document.createElement('td'); td.textContent = v;
  tr.appendChild(th); tr.appendChild(td); tbody.appendChild(tr); }
document.body.setAttribute('data-rendered', 'true');
})();
"""
