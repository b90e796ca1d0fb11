"""The TensorDataset is built from arrays moved to the device inline
(`TensorDataset(torch.from_numpy(X).to(device), ...)`): every batch of its loader is there."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_X = np.random.rand(128, 10).astype("float32")
train_y = np.random.randint(0, 2, 128)

train_dataset = TensorDataset(torch.from_numpy(train_X).to(device), torch.from_numpy(train_y).to(device))
train_dataloader = DataLoader(train_dataset, batch_size=16, shuffle=True)

model = nn.Linear(10, 2).to(device)
optim = torch.optim.Adam(model.parameters())
loss_func = nn.CrossEntropyLoss()


def train(model, dataloader, optim, loss_func):
    model.train()
    for features, labels in dataloader:
        optim.zero_grad()
        loss = loss_func(model(features), labels)
        loss.backward()
        optim.step()


for ep in range(3):
    train(model, train_dataloader, optim, loss_func)
