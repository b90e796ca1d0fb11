"""NLLLoss given probabilities instead of log-probabilities."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.NLLLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    probs = torch.softmax(model(inputs), dim=-1)
    loss = criterion(probs, labels)  # expect: LC109
    loss.backward()
    optimizer.step()
