"""A course notebook: the first model is kept on the CPU on purpose (`model_0.to("cpu")`) and
trained on CPU batches; a later model goes to the GPU with its batches moved."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda" if torch.cuda.is_available() else "cpu"
train_dataloader = DataLoader(TensorDataset(torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), batch_size=32)

model_0 = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
model_0.to("cpu")
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model_0.parameters(), lr=0.1)
for X, y in train_dataloader:
    y_pred = model_0(X)
    loss = loss_fn(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

model_1 = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10)).to(device)
optimizer = torch.optim.SGD(model_1.parameters(), lr=0.1)
for X, y in train_dataloader:
    X, y = X.to(device), y.to(device)
    loss = loss_fn(model_1(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
