"""A helper that moves every value of the batch dict in place (`for k in batch: batch[k] = batch[k].to(device)`)."""
import torch
from torch.utils.data import DataLoader

device = "cuda" if torch.cuda.is_available() else "cpu"
model = torch.nn.Linear(4, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
train_loader = DataLoader([{"input": torch.randn(4)}] * 8, batch_size=2)


def send_to_device(batch):
    for k in batch:
        batch[k] = batch[k].to(device)
    return batch


for batch in train_loader:
    batch = send_to_device(batch)
    loss = model(**batch).sum()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
