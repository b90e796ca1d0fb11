"""A final evaluation over the test set with grad enabled; the imported report helper called
after it is handed the model and the loader, never an output of the test forwards: it cannot
run their backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from reporting import confusion_report

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
test_loader = DataLoader(TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,))), batch_size=8)

for epoch in range(3):
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()

model.eval()
correct = 0
for inputs, labels in test_loader:
    outputs = model(inputs)  # expect: LC202
    outputs.detach_()
    correct += (outputs.argmax(1) == labels).sum().item()
print(correct)

train_report = confusion_report(model, train_loader)
test_report = confusion_report(model, test_loader)
