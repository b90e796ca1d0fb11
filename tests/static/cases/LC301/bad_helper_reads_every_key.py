"""A helper that loops over the batch's keys without moving them."""
import torch
from torch.utils.data import DataLoader

device = "cuda" if torch.cuda.is_available() else "cpu"
model = torch.nn.Linear(4, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
train_loader = DataLoader([{"input": torch.randn(4)}] * 8, batch_size=2)


def log_batch(batch):
    for k in batch:
        print(k, batch[k].shape)
    return batch


for batch in train_loader:
    batch = log_batch(batch)
    loss = model(**batch).sum()  # expect: LC301
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
