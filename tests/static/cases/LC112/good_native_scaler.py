"""timm's NativeScaler: called with the loss, it steps and updates itself."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
from timm.utils import NativeScaler

loss_scaler = NativeScaler()

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad()
    with torch.autocast(device_type=device.type):
        loss = criterion(model(inputs), labels)
    loss_scaler(loss, optimizer, clip_grad=1.0, parameters=model.parameters())
