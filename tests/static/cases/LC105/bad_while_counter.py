"""A while loop with a micro-step counter; the clear runs every micro-step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum_steps = 4

micro_step = 0
data = iter(loader)
while micro_step < 400:
    inputs, labels = next(data)
    optimizer.zero_grad()  # expect: LC105
    loss = criterion(model(inputs), labels)
    loss.backward()
    micro_step += 1
    if micro_step % accum_steps == 0:
        optimizer.step()
