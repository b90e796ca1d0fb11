"""A mask built in forward() on the CPU and added to the CUDA logits."""
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 4)

    def forward(self, x):
        logits = self.proj(x)
        mask = torch.zeros(4)  # expect: LC302
        return logits + mask


model = Classifier().cuda()
