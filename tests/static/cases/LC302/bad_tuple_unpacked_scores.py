"""A mask built in forward() on the CPU is added to CUDA scores computed from q and k, which
are unpacked from a layer's output (`q, k = self.qk(x).chunk(2, dim=-1)`)."""
import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qk = nn.Linear(16, 32)

    def forward(self, x):
        q, k = self.qk(x).chunk(2, dim=-1)
        scores = q @ k.transpose(-2, -1)
        mask = torch.ones(x.size(1), x.size(1))  # expect: LC302
        return scores + mask


model = Attention().cuda()
