# runnable: no
"""A minimal Accelerate conversion of a plain PyTorch loop (no accumulation)."""
import torch
import torch.nn.functional as F
from accelerate import Accelerator
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet18

accelerator = Accelerator()
device = accelerator.device

model = resnet18(num_classes=10)
optim = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
data = DataLoader(TensorDataset(torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,))), batch_size=8, shuffle=True)
val_data = DataLoader(TensorDataset(torch.randn(16, 3, 32, 32), torch.randint(0, 10, (16,))), batch_size=8)
model, optim, data, val_data = accelerator.prepare(model, optim, data, val_data)

for epoch in range(3):
    model.train()
    for source, targets in data:
        optim.zero_grad()
        output = model(source)
        loss = F.cross_entropy(output, targets)
        accelerator.backward(loss)
        optim.step()

    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for source, targets in val_data:
            output = model(source)
            val_loss += F.cross_entropy(output, targets).item()
    accelerator.print(f"epoch {epoch}: val loss {val_loss / len(val_data):.4f}")
