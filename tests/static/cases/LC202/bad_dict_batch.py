"""Dict batches evaluated with model(**batch) in eval mode, grad enabled."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(100, 16)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(16, 2)

    def forward(self, input_ids, labels=None):
        return self.out(self.drop(self.emb(input_ids)))


model = Classifier()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
data = [{"input_ids": torch.randint(0, 100, (8,)), "labels": torch.tensor(1)} for _ in range(16)]
train_dataloader = DataLoader(data, batch_size=4)
eval_dataloader = DataLoader(data, batch_size=4)

for epoch in range(2):
    model.train()
    for batch in train_dataloader:
        logits = model(**batch)
        loss = nn.functional.cross_entropy(logits, batch["labels"])
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    for batch in eval_dataloader:
        logits = model(**batch)  # expect: LC202
        predictions = logits.argmax(dim=-1)
