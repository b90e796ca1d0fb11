"""Hugging Face style dict batches: model(**batch), outputs.loss.backward(), no clear."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.head = nn.Linear(16, 100)

    def forward(self, input_ids, labels):
        logits = self.head(self.emb(input_ids))
        return nn.functional.cross_entropy(logits.view(-1, 100), labels.view(-1))


model = TinyLM()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
data = [{"input_ids": torch.randint(0, 100, (8,)), "labels": torch.randint(0, 100, (8,))} for _ in range(16)]
train_dataloader = DataLoader(data, batch_size=4)

for epoch in range(2):
    model.train()
    for step, batch in enumerate(train_dataloader):
        loss = model(**batch)
        loss.backward()
        optimizer.step()  # expect: LC101
