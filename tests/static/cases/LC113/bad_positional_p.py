"""F.dropout(x, 0.2) in forward(): on in eval mode too."""
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x.flatten(1)))
        x = F.dropout(x, 0.2)  # expect: LC113
        return self.fc2(x)
