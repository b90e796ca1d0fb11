"""Hugging Face batches (BatchEncoding) move in place: `batch.to(device)` is fine."""
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification

device = "cuda"
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased").to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)


def train(loader: DataLoader) -> None:
    model.train()
    for batch in loader:
        batch.to(device)
        outputs = model(**batch)
        outputs.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
