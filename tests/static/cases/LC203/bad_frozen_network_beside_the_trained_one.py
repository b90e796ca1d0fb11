"""A frozen teacher (eval, no optimizer) feeds the student's loss; the student itself is left in
eval() by validation and trained that way from the second epoch on."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

teacher = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Linear(16, 3))
teacher.eval()
student = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.2), nn.Linear(16, 3))
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,))), batch_size=8)

student.train()
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        logits = student(x)  # expect: LC203
        with torch.no_grad():
            soft = teacher(x).softmax(1)
        loss = F.cross_entropy(logits, y) + F.kl_div(logits.log_softmax(1), soft, reduction="batchmean")
        loss.backward()
        optimizer.step()
    student.eval()
    with torch.no_grad():
        accuracy = sum((student(x).argmax(1) == y).float().mean().item() for x, y in loader)
