"""Fine-tuning with frozen batch-norm statistics (eval mode on purpose): the loss of each forward
is handed to an imported training step, which may run its backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from training import train_step

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

model.eval()
for epoch in range(3):
    for inputs, labels in loader:
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        train_step(loss, optimizer)
