"""loss.item() (or float(loss)) weighted by the batch size read with out.size(0) / numel(): numbers, no graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64)), batch_size=8)

total_loss = total_examples = 0
for inputs, targets in loader:
    optimizer.zero_grad()
    pred = model(inputs).squeeze(-1)
    loss = nn.functional.mse_loss(pred, targets)
    loss.backward()
    optimizer.step()
    total_loss += float(loss) * pred.size(0)
    num_examples = pred.numel()
    total_loss += loss.item() * num_examples
    total_examples += num_examples
print(total_loss / total_examples)
