"""A notebook-style script that saves its best model and reloads it later in the same run."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
MODEL_SAVE_PATH = "models/best.pth"

best = float("inf")
for epoch in range(5):
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        if loss.item() < best:
            best = loss.item()
            torch.save(obj=model.state_dict(), f=MODEL_SAVE_PATH)
            torch.save(model.state_dict(), "tut1-model.pt")

model.load_state_dict(torch.load(f=MODEL_SAVE_PATH))
model.load_state_dict(torch.load('tut1-model.pt'))
