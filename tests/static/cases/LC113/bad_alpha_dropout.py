"""Alpha dropout in a self-normalising net, without training=: its default is False, so it never drops."""
import torch.nn as nn
import torch.nn.functional as F


class SelfNormalisingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 64)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        x = F.selu(self.hidden(x))
        x = F.alpha_dropout(x, p=0.1)  # expect: LC113
        return self.out(x)
