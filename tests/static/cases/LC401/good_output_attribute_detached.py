"""`out.loss` accumulated detached; `out.logits.shape` is not a tensor."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
model.train()
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
loader = DataLoader(TensorDataset(torch.randint(0, 1000, (64, 16)), torch.randint(0, 2, (64,))), batch_size=8)

total_loss, seen = 0.0, 0
for epoch in range(2):
    for input_ids, labels in loader:
        out = model(input_ids=input_ids, labels=labels)
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total_loss += out.loss.detach()
        seen += out.logits.shape[0]
