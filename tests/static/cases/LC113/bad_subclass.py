"""A module subclassing another module of the file, with nn.functional spelled out."""
import torch
import torch.nn as nn


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)


class Head(Base):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        x = torch.relu(self.fc(x))
        x = nn.functional.dropout(x, self.p)  # expect: LC113
        return self.out(x)
