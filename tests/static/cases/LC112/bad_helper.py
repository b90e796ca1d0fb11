"""A helper of the file that steps a scaler it receives."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
grad_scaler = torch.amp.GradScaler("cuda")


def optimizer_step(scaler, opt):
    scaler.step(opt)  # expect: LC112
    opt.zero_grad()


for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    with torch.autocast(device_type=device.type):
        loss = criterion(model(inputs), labels)
    grad_scaler.scale(loss).backward()
    optimizer_step(grad_scaler, optimizer)
