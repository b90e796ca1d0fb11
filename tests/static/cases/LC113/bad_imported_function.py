"""dropout imported from torch.nn.functional by name."""
import torch.nn as nn
from torch.nn.functional import dropout, gelu


class Block(nn.Module):
    def __init__(self, dim, p=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)
        self.p = p

    def forward(self, x):
        return x + dropout(gelu(self.proj(self.norm(x))), p=self.p)  # expect: LC113
