"""A test loop that stops early only after many batches still builds a graph for each one."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.1), nn.Linear(32, 2))
model.load_state_dict(torch.load("model.pt"))
model.eval()
test_loader = DataLoader(TensorDataset(torch.randn(640, 10), torch.randint(0, 2, (640,))), batch_size=8)

correct = 0
for batch_index, (inputs, labels) in enumerate(test_loader):
    if batch_index == 50:
        break
    outputs = model(inputs)  # expect: LC202
    correct += (outputs.argmax(1) == labels).sum().item()
print(correct)
