"""zero_grad at the top of the epoch, around the batch loop: batches accumulate."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for epoch in range(5):
    model.train()
    optimizer.zero_grad()
    for batch_idx, (inputs, labels) in enumerate(loader):
        output = model(inputs)
        loss = criterion(output, labels)
        loss.backward()
        optimizer.step()  # expect: LC101
    print(f"epoch {epoch} loss {loss.item():.3f}")
