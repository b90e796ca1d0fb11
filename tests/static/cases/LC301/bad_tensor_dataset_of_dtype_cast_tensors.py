"""The TensorDataset's tensors are only cast (`.to(torch.float32)`, `.long()`), never moved: the
batches stay on the CPU while the model is on the device."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_X = np.random.rand(128, 10)
train_y = np.random.randint(0, 2, 128)

train_dataset = TensorDataset(torch.from_numpy(train_X).to(torch.float32), torch.from_numpy(train_y).long())
train_dataloader = DataLoader(train_dataset, batch_size=16, shuffle=True)

model = nn.Linear(10, 2).to(device)
optim = torch.optim.Adam(model.parameters())
loss_func = nn.CrossEntropyLoss()

for ep in range(3):
    for features, labels in train_dataloader:
        optim.zero_grad()
        loss = loss_func(model(features), labels)  # expect: LC301
        loss.backward()
        optim.step()
