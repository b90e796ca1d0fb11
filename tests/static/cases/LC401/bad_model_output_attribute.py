"""A transformers model returns an output object: `out.loss` is the loss tensor with its graph."""
import torch
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
model.train()
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
loader = DataLoader(TensorDataset(torch.randint(0, 1000, (64, 16)), torch.randint(0, 2, (64,))), batch_size=8)

total_loss = 0.0
for epoch in range(2):
    for input_ids, labels in loader:
        out = model(input_ids=input_ids, labels=labels)
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total_loss += out.loss  # expect: LC401
