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
import re
from pathlib import Path
from typing import Any, Iterable, Optional

from loopcheck.catalogue import BY_CODE
from loopcheck.events import Event, Kind
from loopcheck.findings import Location

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


def _training(event: Event, last_mode: Optional[bool]) -> Optional[bool]:
    """Train/eval mode at a forward: an explicit fact, else whether its Dropout/BatchNorm layers
    were active, else the last model.train()/eval() seen (which may be in an omitted stretch)."""
    if "training" in event.facts:
        return event.facts["training"]
    if event.facts.get("has_mode_layers"):
        return bool(event.facts.get("active_modules"))
    return last_mode


def _forward_class(training: Optional[bool], grad: Optional[bool]) -> tuple[str, str]:
    mode = {True: "train", False: "eval"}.get(training, "unknown")  # type: ignore[arg-type]
    grad_text = {True: "grad", False: "no_grad"}.get(grad, "grad?")  # type: ignore[arg-type]
    return f"fwd-{mode}-{'grad' if grad else 'nograd'}", f"forward ({mode} mode, {grad_text})"


_STEP_KINDS = {Kind.BACKWARD: ("backward", "backward"), Kind.CLEAR: ("clear", "gradients cleared"),
               Kind.STEP: ("step", "optimizer step"), Kind.SCHEDULER_STEP: ("sched", "scheduler step"),
               Kind.OPTIMIZER_CREATED: ("created", "optimizer created")}


def _as_event(item: Any, position: int) -> Event:
    """Accept the shapes a report may hold: Event, (position, Event), or a described dict
    (recorder.describe); the position becomes facts["seq"] so omitted stretches show as gaps."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Event):
        position, item = item
    if isinstance(item, dict):
        loc = Location(str(item.get("path", "")), int(item.get("line") or 0), int(item.get("column") or 0))
        optimizers = item.get("optimizers")
        item = Event(Kind(item["kind"]), loc, item.get("target", ""), item.get("label", ""),
                     frozenset(optimizers) if optimizers is not None else None,
                     facts=dict(item.get("facts") or {}))
    if "seq" not in item.facts:
        item = Event(item.kind, item.location, item.target, item.label, item.optimizers, item.guards,
                     {**item.facts, "seq": position})
    return item


def page_data(report: Any) -> dict:
    raw = list(getattr(report, "events", []) or [])
    events = _bounded([_as_event(item, i) for i, item in enumerate(raw, start=1)])
    summary = getattr(report, "summary", {}) or {}
    lanes: dict[str, dict] = {}
    mode: dict[str, Optional[bool]] = {}
    columns: list[dict] = []
    marks: list[dict] = []
    states: list[dict] = []      # per column: what the finding placement needs to know
    last_seq: Optional[int] = None

    def lane(ident: str, label: str, kind: str) -> str:
        entry = lanes.setdefault(ident, {"id": ident, "label": label or ident, "kind": kind})
        if label and entry["label"] == ident:
            entry["label"] = label
        return ident

    for event in events:
        seq = event.facts.get("seq")
        gap = seq - last_seq - 1 if isinstance(seq, int) and last_seq is not None and seq > last_seq + 1 else 0
        last_seq = seq if isinstance(seq, int) else last_seq
        col = len(columns)
        where = f"{Path(event.location.path).name}:{event.location.line}" if event.location else ""
        columns.append({"gap": gap, "where": where, "phase": event.facts.get("phase")})
        state: dict[str, Any] = {}
        states.append(state)
        kind = event.kind
        if kind in (Kind.FORWARD, Kind.MODE, Kind.DATA):
            model = lane(_model_id(event), str(event.facts.get("model_label") or event.label or ""), "model")
            if kind == Kind.MODE:
                mode[model] = event.facts.get("training")
                call = {True: "train()", False: "eval()"}.get(event.facts.get("training"), "train/eval?")
                marks.append(_mark(col, model, "mode", f"{lanes[model]['label']}.{call}", where))
            elif kind == Kind.FORWARD:
                training = _training(event, mode.get(model))
                state.update(training=training, grad=event.facts.get("grad_enabled"),
                             unmoved=event.facts.get("unmoved_inputs"))
                css, text = _forward_class(training, event.facts.get("grad_enabled"))
                phase = event.facts.get("phase")
                marks.append(_mark(col, model, css, text + (f", {phase} phase" if phase else ""), where))
            else:
                state.update(unmoved=event.facts.get("unmoved_inputs"))
                marks.append(_mark(col, model, "data", "batch reaches the model", where))
            continue
        if kind not in _STEP_KINDS:
            continue
        css, text = _STEP_KINDS[kind]
        state.update(graphless=event.facts.get("graphless"))
        targets = _opt_ids(event) or [l["id"] for l in lanes.values() if l["kind"] == "optimizer"]
        call = event.facts.get("call")
        for ident in targets or ["optimizer"]:
            label = event.label if kind in (Kind.STEP, Kind.OPTIMIZER_CREATED, Kind.CLEAR) and event.target == ident else ""
            marks.append(_mark(col, lane(ident, str(label), "optimizer"), css, str(call or text), where))

    _fill_phases(columns)
    _add_types(lanes, summary)
    ordered = [l for l in lanes.values() if l["kind"] == "model"] + [l for l in lanes.values() if l["kind"] == "optimizer"]
    return {
        "lanes": ordered,
        "columns": columns,
        "marks": marks,
        "findings": _findings(getattr(report, "findings", []) or [], events, marks, states),
        "summary": _stopped_rows(report) + _summary_rows(summary),
        "total_events": max([e.facts.get("seq", 0) for e in events if isinstance(e.facts.get("seq"), int)] or [0]),
    }


def _mark(col: int, lane: str, css: str, text: str, where: str) -> dict:
    return {"col": col, "lane": lane, "cls": css, "title": f"{text} at {where}" if where else text}


def _fill_phases(columns: list[dict]) -> None:
    """Backward/step/clear columns belong to the phase of the forward before them."""
    current = next((c["phase"] for c in columns if c["phase"]), None)
    for column in columns:
        current = column["phase"] or current
        column["phase"] = current


def _add_types(lanes: dict[str, dict], summary: dict) -> None:
    """`SmallCNN`, `SGD`: the class names the behaviour summary knows, shown beside the lane name."""
    for entry in lanes.values():
        group = summary.get("models" if entry["kind"] == "model" else "optimizers")
        info = group.get(entry["label"]) if isinstance(group, dict) else None
        entry["type"] = info.get("type", "") if isinstance(info, dict) else ""


def _bounded(events: list[Event]) -> list[Event]:
    if len(events) <= MAX_COLUMNS:
        return events
    half = MAX_COLUMNS // 2
    return events[:half] + events[-half:]   # every event carries "seq": the cut shows as a gap


# Which occurrences at a finding's line are the faulty ones (the rest are the same line
# behaving correctly, e.g. the first training epoch before LC203's eval()).
_WHERE = {
    "LC201": lambda s: s.get("training") is True,
    "LC202": lambda s: s.get("grad") is True,
    "LC203": lambda s: s.get("training") is False,
    "LC301": lambda s: bool(s.get("unmoved")),
    "LC106": lambda s: s.get("graphless") is True,
}


def _span(loc: Location) -> tuple:
    return (loc.column, loc.end_line, loc.end_column)


def _findings(findings: Iterable[Any], events: list[Event], marks: list[dict], states: list[dict]) -> list[dict]:
    """Each finding with the timeline columns (and lanes) of the events it was reported on.

    A finding's location is that of the event the rule reported on, columns included, so
    `model(x).sum().backward()` puts a backward finding on the backward (optimizer lanes),
    not on the forward of the same line (the model's lane)."""
    lanes_of: dict[int, list[str]] = {}
    for mark in marks:
        lanes = lanes_of.setdefault(mark["col"], [])
        if mark["lane"] not in lanes:
            lanes.append(mark["lane"])
    out = []
    for index, finding in enumerate(findings):
        loc = finding.location
        on_line = [i for i, e in enumerate(events)
                   if e.location and e.location.line == loc.line and e.location.path == loc.path and i in lanes_of]
        cols = [i for i in on_line if _span(events[i].location) == _span(loc)] or on_line
        keep = _WHERE.get(finding.code)
        chosen = [i for i in cols if keep(states[i])] if keep else cols[1:] if finding.code == "LC101" else cols
        cols = chosen or cols
        out.append({
            "id": f"f{index}", "code": finding.code, "name": finding.name, "severity": finding.severity.value,
            "message": finding.message, "fix": finding.fix, "path": loc.path, "line": loc.line,
            "column": loc.column, "count": finding.count, "doc": doc_link(finding.code),
            "marks": [[i, lane] for i in cols for lane in lanes_of[i]],
        })
    return out


def _stopped_rows(report: Any) -> list[list[str]]:
    """A run cut short (Ctrl-C, SIGTERM, --max-steps) says so first, as the text report does."""
    if not getattr(report, "stopped", None):
        return []
    return [["stopped", report.stopped_line().removeprefix("loopcheck: ")]]


def _summary_rows(summary: dict) -> list[list[str]]:
    """The behaviour summary as the text report shows it (one row per line), when available."""
    try:
        from loopcheck.runtime.summary import text

        lines = text(summary).splitlines()[1:]
    except Exception:
        return _nested_rows(summary)
    rows = []
    for line in lines:
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if len(parts) == 2:
            rows.append(parts)
        elif rows and parts[0]:
            rows[-1][1] += "\n" + parts[0]
    return rows or _nested_rows(summary)


def _nested_rows(summary: dict, prefix: str = "") -> list[list[str]]:
    rows: list[list[str]] = []
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and all(not isinstance(v, dict) for v in value.values()):
            rows.append([name, ", ".join(f"{k}: {_text(v)}" for k, v in value.items())])
        elif isinstance(value, dict) and value:
            rows.extend(_nested_rows(value, name + " / "))
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
    # No `<` at all in the embedded JSON: `</script>` would close the element and `<!--<script>`
    # would make the parser run past its end (the page then shows nothing). `>` and `&` too, by habit.
    payload = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
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
svg text{font-size:12px;fill:#1f2430}svg .lane-label{font-weight:600}svg .lane-kind{fill:#8a93a3;font-size:11px}
svg .gap-label{fill:#8a93a3;font-size:10px}svg .phase-label{font-size:10px;fill:#3d4552}
.phase-training{fill:#dbe8fb}.phase-evaluation{fill:#d9f2e4}
.fwd-train-grad{fill:#2f7de1}.fwd-train-nograd{fill:#9cc3f5}.fwd-eval-nograd{fill:#3bb273}.fwd-eval-grad{fill:#f2b134}
.fwd-unknown-grad,.fwd-unknown-nograd{fill:#a0a7b4}.backward{fill:#7b4bd6}.clear{fill:#8a93a3}.step{fill:#e0632b}
.sched{fill:#c2185b}.mode{fill:#1f2430}.created{fill:#00897b}.data{fill:#d0d4da}
.finding-mark{fill:#d32f2f;stroke:#fff;stroke-width:1}.finding-mark.warning{fill:#e08600}
table{border-collapse:collapse;background:#fff;margin-bottom:24px}
td,th{border:1px solid #e3e6ea;padding:4px 10px;text-align:left;vertical-align:top}td{white-space:pre-line}
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
  ['mode','train()/eval()'],['created','optimizer created'],['finding-mark','finding']];
const legend = document.getElementById('legend');
for (const [cls, text] of legendItems) { const s = document.createElement('span');
  s.innerHTML = '<svg width="12" height="12"><rect class="' + cls + '" width="12" height="12" rx="2"/></svg>';
  s.appendChild(document.createTextNode(text)); legend.appendChild(s); }

const LABEL = 190, COL = 14, GAP = 34, ROW = 30, TOP = 40;
const x = []; let pos = LABEL;
data.columns.forEach((c, i) => { if (c.gap) pos += GAP; x.push(pos); pos += COL; });
const width = pos + 20, height = TOP + data.lanes.length * ROW + 10;
const svg = el('svg', {width: width, height: height, id: 'timeline-svg', role: 'img'}, document.getElementById('timeline'));
// phase band: contiguous columns of one phase (training / evaluation), as the rules classify them
let start = 0;
data.columns.forEach((c, i) => { const next = data.columns[i + 1];
  if (next && next.phase === c.phase && !next.gap) return;
  if (c.phase) { const x0 = x[start] - 1, x1 = x[i] + COL;
    const g = el('g', {class: 'phase', 'data-phase': c.phase}, svg);
    el('rect', {x: x0, y: 18, width: x1 - x0, height: 14, rx: 3, class: 'phase-' + c.phase}, g);
    const label = x1 - x0 > 6 * c.phase.length + 8 ? c.phase : c.phase.slice(0, 4);
    el('title', {}, g).textContent = c.phase + ' phase';
    if (x1 - x0 > 6 * label.length + 4) el('text', {x: x0 + 3, y: 29, class: 'phase-label'}, g).textContent = label; }
  start = i + 1; });
const laneY = {};
data.lanes.forEach((lane, i) => { const y = TOP + i * ROW; laneY[lane.id] = y;
  const g = el('g', {class: 'lane', 'data-lane': lane.id, 'data-kind': lane.kind}, svg);
  el('rect', {x: 0, y: y, width: width, height: ROW, fill: i % 2 ? '#fff' : '#f4f6f8'}, g);
  const t = el('text', {x: 8, y: y + ROW / 2 + 4}, g);
  const kind = el('tspan', {class: 'lane-kind'}, t); kind.textContent = lane.kind + ' ';
  const name = el('tspan', {class: 'lane-label'}, t); name.textContent = lane.label;
  if (lane.type) { const ty = el('tspan', {class: 'lane-kind'}, t); ty.textContent = ' ' + lane.type; } });
data.columns.forEach((c, i) => { if (!c.gap) return; const gx = x[i] - GAP / 2 - 2;
  el('line', {x1: gx, x2: gx, y1: 16, y2: height - 6, stroke: '#b8bec8', 'stroke-dasharray': '3 3'}, svg);
  const t = el('text', {x: gx, y: 11, class: 'gap-label', 'text-anchor': 'middle'}, svg);
  t.textContent = '\u2026 ' + c.gap + ' events omitted \u2026'; });
for (const m of data.marks) { const y = laneY[m.lane]; if (y === undefined) continue;
  const shape = m.cls === 'mode' ? el('rect', {x: x[m.col] + 4, y: y + 5, width: 3, height: ROW - 10}, svg)
    : m.cls === 'step' || m.cls === 'sched' ? el('path', {d: `M${x[m.col] + 6} ${y + 7}l6 8l-6 8l-6-8z`}, svg)
    : el('rect', {x: x[m.col] + 1, y: y + 8, width: COL - 3, height: ROW - 16, rx: 2}, svg);
  shape.setAttribute('class', 'mark ' + m.cls); shape.setAttribute('data-col', m.col);
  el('title', {}, shape).textContent = m.title; }
for (const f of data.findings) { for (const [col, lane] of f.marks) { const y = laneY[lane]; if (y === undefined) continue;
  const a = el('a', {href: '#' + f.id, class: 'finding-link', 'data-code': f.code}, svg);
  const cx = x[col] + 6;
  el('path', {d: `M${cx - 6} ${y}h12l-6 8z`, class: 'finding-mark ' + f.severity}, a);
  el('title', {}, a).textContent = f.code + ' ' + f.name + ': ' + f.message; } }
const shown = data.columns.length, total = data.total_events;
document.getElementById('timeline-note').textContent = shown + ' events shown' +
  (total > shown ? ' (of ' + total + ' recorded; the middle of long runs is omitted)' : '') + '. Hover a mark for its source line; a red triangle marks a finding (click: its details).';

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
