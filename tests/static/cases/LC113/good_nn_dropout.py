"""An nn.Dropout layer follows train()/eval() by itself."""
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.dropout = nn.Dropout(0.2)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = self.dropout(F.relu(self.fc1(x.flatten(1))))
        return self.fc2(x)
