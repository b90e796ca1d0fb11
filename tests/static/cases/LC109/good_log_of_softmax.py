"""torch.log of softmax probabilities into NLLLoss is log_softmax, written out."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.NLLLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    probs = torch.softmax(model(inputs), dim=1)
    loss = criterion(torch.log(probs + 1e-8), labels)
    loss.backward()
    optimizer.step()
