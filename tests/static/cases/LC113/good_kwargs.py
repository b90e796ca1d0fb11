"""Dropout arguments forwarded from a config dict: out of view, silent."""
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, **dropout_kwargs):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.dropout_kwargs = dropout_kwargs

    def forward(self, x):
        return F.dropout(self.proj(x), **self.dropout_kwargs)
