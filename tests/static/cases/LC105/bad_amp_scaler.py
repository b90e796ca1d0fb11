"""AMP accumulation with the clear at the top of every iteration."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
grad_accum = 8

for step, (inputs, labels) in enumerate(loader):
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad(set_to_none=True)  # expect: LC105
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = criterion(model(inputs), labels) / grad_accum
    scaler.scale(loss).backward()
    if (step + 1) % grad_accum == 0:
        scaler.step(optimizer)
        scaler.update()
