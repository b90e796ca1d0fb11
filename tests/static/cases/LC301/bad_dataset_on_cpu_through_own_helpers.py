"""The file's own helpers build the dataset and loader from CPU tensors: the batches stay on the
CPU while the model is on the device."""
import numpy as np
import torch
import torch.nn as nn

device = torch.device("cuda")


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


user_t = torch.from_numpy(np.random.randint(0, 10, 100))
item_t = torch.from_numpy(np.random.randint(0, 20, 100))
rating_t = torch.rand(100)
train_loader = make_loader(tensors_to_dataset(user_t, item_t, rating_t), 16, True)
model = Factorisation(10, 20).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(3):
    for user, item, rating in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(user, item), rating)  # expect: LC301
        loss.backward()
        optimizer.step()
