"""The whole data set is moved to the device once (a notebook's earlier cell); a function
indexes folds out of it and builds a TensorDataset and a DataLoader: its batches are on the
device already."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda" if torch.cuda.is_available() else "cpu"
x_all = torch.FloatTensor(np.random.randn(100, 10)).to(device)
y_all = torch.LongTensor(np.random.randint(0, 2, 100)).to(device)


def fit_fold(train_idx):
    x_train = x_all[train_idx]
    y_train = y_all[train_idx]
    model = nn.Linear(10, 2).to(device)
    optimizer = torch.optim.Adam(model.parameters())
    criterion = nn.CrossEntropyLoss()
    loader_train = DataLoader(TensorDataset(x_train, y_train), batch_size=8, shuffle=True)
    for epoch in range(5):
        for batch_x, batch_y in loader_train:
            optimizer.zero_grad()
            loss = criterion(model(batch_x), batch_y)
            loss.backward()
            optimizer.step()
    return model


fit_fold(np.arange(80))
