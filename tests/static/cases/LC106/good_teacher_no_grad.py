"""Distillation: the frozen teacher runs under no_grad, the student with grad."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

teacher = nn.Linear(10, 2)
student = nn.Linear(10, 2)
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
teacher.eval()

for inputs, labels in loader:
    with torch.no_grad():
        soft_targets = torch.softmax(teacher(inputs), dim=-1)
    optimizer.zero_grad()
    logits = student(inputs)
    loss = nn.functional.kl_div(torch.log_softmax(logits, dim=-1), soft_targets, reduction="batchmean")
    loss.backward()
    optimizer.step()
