"""nn.DataParallel scatters CPU inputs to the GPUs itself."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.DataParallel(nn.Linear(10, 2)).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    outputs = model(inputs)
    loss = criterion(outputs, labels.cuda(non_blocking=True))
    loss.backward()
    optimizer.step()
