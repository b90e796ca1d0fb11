"""One loop function serves every phase, but the training call itself sits under
torch.no_grad(): its backward() has no graph."""
import torch
import torch.nn as nn

model = nn.Linear(8, 2)
optimizer = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))


def run_phase(phase):
    loss = loss_fn(model(x), y)
    if phase == "train":
        optimizer.zero_grad()
        loss.backward()  # expect: LC106
        optimizer.step()
    return loss.item()


for epoch in range(5):
    with torch.no_grad():
        run_phase("train")
        run_phase("val")
