"""Random training-loop programs and mutations of real ones, for fuzzing the static checker.

In the manner of ruff's fuzzers: `generated(rng)` composes a program from the statements and
blocks a training loop is made of (loops, `no_grad`, `if`, functions, classes, try/except), nested
at random; `mutated(source, rng)` damages a program as editors and hostile repositories do
(lines deleted, duplicated, swapped or re-indented, brackets and quotes cut, tokens inserted,
deep nesting, long chains, NUL and non-UTF-8 bytes, truncation). Most mutants are invalid Python:
the checker must answer each with findings or one line, never crash or hang.
"""
from __future__ import annotations

import random

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"

STATEMENTS = (
    "optimizer.zero_grad()", "optimizer.zero_grad(set_to_none=True)", "model.zero_grad()",
    "out = model(x)", "loss = criterion(model(x), y)", "loss = F.cross_entropy(out, y)",
    "loss.backward()", "(loss / 4).backward()", "optimizer.step()", "scheduler.step()",
    "model.eval()", "model.train()", "model.train(False)", "x = x.to(device)", "x, y = x.to(device), y.to(device)",
    "model = model.to(device)", "model.cuda()", "x.to(device)", "total += loss", "total += loss.item()",
    "losses.append(loss)", "scaler.scale(loss).backward()", "scaler.step(optimizer)", "scaler.update()",
    "scaler.unscale_(optimizer)", "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)",
    "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)", "optimizer = torch.optim.Adam(params)",
    "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 30)", "scaler = torch.cuda.amp.GradScaler()",
    "model = Net()", "model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.BatchNorm1d(4))",
    "loader = torch.utils.data.DataLoader(data, batch_size=8)", "device = torch.device('cuda')",
    "h = F.dropout(h, 0.5)", "p = torch.softmax(out, 1)", "loss = nn.CrossEntropyLoss()(p, y)",
    "state = torch.load(path)", "z = torch.zeros(3)", "x = x.detach()", "y_hat = model(x).argmax(1)",
    "sampler.set_epoch(epoch)", "print(loss)", "break", "continue", "pass", "return loss", "step += 1",
    "train(model, loader, optimizer)", "evaluate(model, val_loader)", "self.model(x)", "yield x",
    "global step", "del x", "assert x is not None", "raise ValueError('x')", "x = lambda a: a.backward()",
    "x = [model(b) for b in batches]", "x = {k: v.to(device) for k, v in batch.items()}",
)
BLOCKS = (
    "for x, y in loader:", "for epoch in range(epochs):", "for i, (x, y) in enumerate(train_loader):",
    "while step < max_steps:", "with torch.no_grad():", "with torch.inference_mode():",
    "with torch.autocast('cuda'):", "if args.amp:", "if i % 4 == 0:", "if rank == 0:",
    "def train(model, loader, optimizer):", "def evaluate(model, loader):", "def forward(self, x):",
    "async def run():", "try:", "class Net(nn.Module):", "class Trainer:", "@torch.no_grad()\ndef val(model):",
    "match batch:\n    case (x, y):", "with open(path) as f:",
)


def generated(rng: random.Random, size: int = 30, depth: int = 4) -> str:
    lines: list[str] = []
    while len(lines) < size:
        _block(rng, lines, 0, depth)
    return HEADER + "\n".join(lines) + "\n"


def _block(rng: random.Random, lines: list[str], indent: int, depth: int) -> None:
    pad = "    " * indent
    if depth > 0 and rng.random() < 0.35:
        head = rng.choice(BLOCKS).split("\n")
        lines.extend(pad + line for line in head)
        body_indent = indent + 1 + (len(head[-1]) - len(head[-1].lstrip())) // 4
        for _ in range(rng.randint(1, 5)):
            _block(rng, lines, body_indent, depth - 1)
        if head == ["try:"]:
            lines.append(pad + "except Exception:")
            lines.append(pad + "    pass")
        elif head[0].startswith("if") and rng.random() < 0.4:
            lines.append(pad + "else:")
            _block(rng, lines, indent + 1, depth - 1)
    else:
        lines.append(pad + rng.choice(STATEMENTS))


def mutated(source: str, rng: random.Random) -> str:
    """One to three random damages of `source`."""
    for _ in range(rng.randint(1, 3)):
        source = rng.choice(_MUTATIONS)(source, rng)
    return source


def _lines(source: str) -> list[str]:
    return source.splitlines() or [""]


def _delete_line(source: str, rng: random.Random) -> str:
    lines = _lines(source)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines) + "\n"


def _duplicate_line(source: str, rng: random.Random) -> str:
    lines = _lines(source)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines) + "\n"


def _swap_lines(source: str, rng: random.Random) -> str:
    lines = _lines(source)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


def _reindent(source: str, rng: random.Random) -> str:
    lines = _lines(source)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["", "    ", "        ", "\t", " "]) + lines[i].lstrip()
    return "\n".join(lines) + "\n"


def _cut_character(source: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(source) if c in "()[]{}'\":,."] or [0]
    i = rng.choice(spots)
    return source[:i] + source[i + 1:]


def _insert_token(source: str, rng: random.Random) -> str:
    token = rng.choice(["(", ")", "[", "]", ":", "'", '"""', "\\", "lambda", "await ", "yield", "*", "**",
                        "=", "==", " if ", " else ", "#", "\n", "\t", "\x00", "\u00e9", "\ufeff", "\r", "f'{"])
    i = rng.randrange(len(source) + 1)
    return source[:i] + token + source[i:]


def _truncate(source: str, rng: random.Random) -> str:
    return source[:rng.randrange(len(source) + 1)]


def _deep(source: str, rng: random.Random) -> str:
    n = rng.choice([50, 150, 400, 1200])
    shape = rng.choice([
        "x = " + "(" * n + "1" + ")" * n, "x = a" + ".b" * n * 4, "x = " + "+".join(["1"] * n * 4),
        "x = " + "[" * n + "]" * n, "x = (" + " ".join(['"s"'] * n * 3) + ")", "x = " + "not " * n + "y",
        "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(n)),
    ])
    return source + "\n" + shape + "\n"


def _wrap_in_loop(source: str, rng: random.Random) -> str:
    lines = _lines(source)
    i = rng.randrange(len(lines))
    j = rng.randrange(i, len(lines) + 1)
    body = ["    " + line for line in lines[i:j]] or ["    pass"]
    return "\n".join(lines[:i] + ["for x, y in loader:"] + body + lines[j:]) + "\n"


_MUTATIONS = (_delete_line, _duplicate_line, _swap_lines, _reindent, _cut_character, _insert_token,
              _truncate, _deep, _wrap_in_loop)


def as_bytes(source: str, rng: random.Random) -> bytes:
    """Mostly UTF-8; now and then Latin-1 or a stray invalid byte, as real repositories hold."""
    roll = rng.random()
    if roll < 0.03:
        return source.encode("latin-1", errors="replace")
    if roll < 0.05:
        data = bytearray(source.encode("utf-8"))
        data.insert(rng.randrange(len(data) + 1), 0xFF)
        return bytes(data)
    return source.encode("utf-8")
