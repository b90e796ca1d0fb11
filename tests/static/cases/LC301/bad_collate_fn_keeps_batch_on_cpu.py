"""The DataLoader's collate_fn only stacks the batch (it stays on the CPU) and the loop never
moves it, while the model is on the accelerator."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
pairs = [(torch.randn(10), 0), (torch.randn(10), 1)] * 16


def collate_batch(batch):
    inputs = torch.stack([x for x, _ in batch])
    labels = torch.tensor([y for _, y in batch])
    return inputs, labels


train_dl = DataLoader(pairs, batch_size=4, shuffle=True, collate_fn=collate_batch)
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()


def train(dataloader):
    model.train()
    for inputs, labels in dataloader:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), labels)  # expect: LC301
        loss.backward()
        optimizer.step()


for epoch in range(3):
    train(train_dl)
