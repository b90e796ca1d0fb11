"""Positions created with device=idx.device."""
import torch
import torch.nn as nn


class GPTBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(100, 16)
        self.pos = nn.Embedding(64, 16)

    def forward(self, idx):
        pos = torch.arange(0, idx.size(1), dtype=torch.long, device=idx.device)
        return self.tok(idx) + self.pos(pos)


model = GPTBlock().to("cuda")
