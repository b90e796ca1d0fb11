"""One optimizer per head, all built before training: a list, not a re-creation."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

backbone = nn.Sequential(nn.Linear(16, 32), nn.ReLU())
heads = nn.ModuleList([nn.Linear(32, 2) for _ in range(3)])
loader = DataLoader(TensorDataset(torch.randn(48, 16), torch.randint(0, 2, (48, 3))), batch_size=8)

optimizers = []
for head in heads:
    opt = torch.optim.SGD(list(head.parameters()) + list(backbone.parameters()), lr=0.05, momentum=0.9)
    optimizers.append(opt)

for epoch in range(3):
    for inputs, labels in loader:
        features = backbone(inputs)
        for task, (head, opt) in enumerate(zip(heads, optimizers)):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(head(features), labels[:, task])
            loss.backward(retain_graph=True)
            opt.step()
