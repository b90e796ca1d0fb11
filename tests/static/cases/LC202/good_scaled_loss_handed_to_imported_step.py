"""Mixed precision with frozen batch-norm statistics: the scaled loss goes to an imported helper
that runs its backward and steps the scaler."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from amp_utils import backward_and_step

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

model.eval()
for epoch in range(3):
    for inputs, labels in loader:
        with torch.autocast("cuda"):
            logits = model(inputs)
            loss = criterion(logits, labels)
        scaled = scaler.scale(loss)
        backward_and_step(scaled, scaler, optimizer)
