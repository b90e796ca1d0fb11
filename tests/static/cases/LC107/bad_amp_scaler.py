"""AMP loop that constructs its optimizer per batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
model = nn.Linear(10, 2).to(device)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)  # expect: LC107
    optimizer.zero_grad()
    with torch.autocast("cuda"):
        loss = criterion(model(inputs), labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
