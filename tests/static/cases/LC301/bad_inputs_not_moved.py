"""Model on the device, batch never moved."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(3):
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = model(inputs)  # expect: LC301
        loss = criterion(outputs, labels.to(device))
        loss.backward()
        optimizer.step()
