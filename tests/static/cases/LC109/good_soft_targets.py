"""Distillation: softmax of the teacher is the target, the student gives logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

teacher = nn.Linear(10, 3)
teacher.eval()
student = nn.Linear(10, 3)
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)
temperature = 4.0

for (inputs,) in loader:
    with torch.no_grad():
        soft_targets = F.softmax(teacher(inputs) / temperature, dim=1)
    optimizer.zero_grad()
    loss = criterion(student(inputs) / temperature, soft_targets)
    loss.backward()
    optimizer.step()
