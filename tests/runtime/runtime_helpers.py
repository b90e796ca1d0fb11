"""Tiny models, data and assertions shared by the runtime tests (CPU, milliseconds each)."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

LOSS = nn.CrossEntropyLoss()


def mlp(dropout: bool = True, bn: bool = False, seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    layers: list[nn.Module] = [nn.Linear(8, 16)]
    if bn:
        layers.append(nn.BatchNorm1d(16))
    layers.append(nn.ReLU())
    if dropout:
        layers.append(nn.Dropout(0.2))
    layers.append(nn.Linear(16, 3))
    return nn.Sequential(*layers)


def gan(seed: int = 0) -> tuple[nn.Module, nn.Module, torch.optim.Optimizer, torch.optim.Optimizer]:
    """(netG, netD, optG, optD): a tiny generator with BatchNorm and its discriminator."""
    torch.manual_seed(seed)
    netG = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))
    netD = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    return netG, netD, torch.optim.Adam(netG.parameters(), lr=1e-3), torch.optim.Adam(netD.parameters(), lr=1e-3)


def data(n: int = 6, seed: int = 1) -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(4, 8, generator=g), torch.randint(0, 3, (4,), generator=g)) for _ in range(n)]


def marker_line(path: str, tag: str) -> int:
    """The line of `# <tag>` in a test file: where a finding must be reported."""
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if line.rstrip().endswith(f"# <{tag}>"):
            return number
    raise AssertionError(f"no marker <{tag}> in {path}")


def found(watcher, code: str | None = None) -> list:  # noqa: ANN001
    return [f for f in watcher.report.findings if code is None or f.code == code]


def assert_reported(watcher, code: str, path: str, tag: str) -> None:  # noqa: ANN001
    line = marker_line(path, tag)
    hits = [f for f in found(watcher, code) if Path(f.path).name == Path(path).name]
    assert hits, f"{code} not reported; findings: {[(f.code, f.line) for f in found(watcher)]}"
    assert [f.line for f in hits] == [line], f"{code} at {[f.line for f in hits]}, expected line {line}"


def codes(watcher) -> set[str]:  # noqa: ANN001
    return {f.code for f in found(watcher)}
