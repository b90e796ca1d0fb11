"""Dropout applied only under `if self.training` (or a conditional expression on it)."""
import torch.nn as nn
import torch.nn.functional as F


class EfficientHead(nn.Module):
    def __init__(self, dim=64, classes=10, dropout_rate=0.2):
        super().__init__()
        self.linear = nn.Linear(dim, classes)
        self.dropout_rate = dropout_rate

    def forward(self, x):
        out = x.flatten(1)
        if self.training and self.dropout_rate > 0:
            out = F.dropout(out, p=self.dropout_rate)
        out = F.dropout(out, 0.1) if self.training else out
        return self.linear(out)
