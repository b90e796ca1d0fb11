"""The rating tensors are moved to the device by a helper handed the device, then zipped into a
dataset and a loader by the file's own helpers: every batch is already on the device."""
import numpy as np
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_tensors(table, device):
    users, items, ratings = (np.asarray(column) for column in table)
    return (torch.from_numpy(users).to(device), torch.from_numpy(items).to(device),
            torch.from_numpy(ratings).float().to(device))


def tensors_to_dataset(users, items, ratings):
    return list(zip(users, items, ratings))


def make_loader(dataset, batch_size, shuffle):
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle)


class Factorisation(nn.Module):
    def __init__(self, n_users, n_items, dim=8):
        super().__init__()
        self.users, self.items = nn.Embedding(n_users, dim), nn.Embedding(n_items, dim)

    def forward(self, user, item):
        return (self.users(user) * self.items(item)).sum(1)


table = (np.random.randint(0, 10, 100), np.random.randint(0, 20, 100), np.random.rand(100))
user_t, item_t, rating_t = to_tensors(table, device)
train_dataset = tensors_to_dataset(user_t, item_t, rating_t)
train_loader = make_loader(train_dataset, 16, True)
model = Factorisation(10, 20).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(3):
    for user, item, rating in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(user, item), rating)
        loss.backward()
        optimizer.step()
