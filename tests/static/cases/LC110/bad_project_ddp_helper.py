"""The model is wrapped by a helper of the project named after DDP (ultralytics' smart_DDP), and
the optimizer steps once `accumulate` batches have gone by."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from utils.torch_utils import smart_DDP

model = smart_DDP(nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
scaler = torch.cuda.amp.GradScaler()
accumulate, last_opt_step = 4, -1
for ni, (inputs, labels) in enumerate(loader):
    loss = criterion(model(inputs), labels)
    scaler.scale(loss).backward()  # expect: LC110
    if ni - last_opt_step >= accumulate:
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad()
        last_opt_step = ni
