"""LIMITATION (LC302, missed bug): a mask built in forward() on the CPU is added to CUDA
scores, but `q, k = self.qk(x).chunk(2, dim=-1)` unpacks a tuple from a method call, so
q, k and `scores` are of unknown value and the checker cannot tell that `scores + mask`
combines a CPU tensor with an accelerator tensor. Should report LC302 on the mask line;
reports nothing (precision first: unknown values never make a rule fire)."""
import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qk = nn.Linear(16, 32)

    def forward(self, x):
        q, k = self.qk(x).chunk(2, dim=-1)
        scores = q @ k.transpose(-2, -1)
        mask = torch.ones(x.size(1), x.size(1))  # should be LC302
        return scores + mask


model = Attention().cuda()
