"""Sequence-classification fine-tuning in the Hugging Face style: dict batches, model(**batch),
outputs.loss, AdamW with weight-decay groups and a per-batch linear warmup/decay schedule."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


@dataclass
class SequenceClassifierOutput:
    loss: Optional[torch.Tensor]
    logits: torch.Tensor


class TinyEncoderForSequenceClassification(nn.Module):
    def __init__(self, vocab_size=100, hidden=32, num_labels=2):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, hidden, padding_idx=0)
        layer = nn.TransformerEncoderLayer(hidden, nhead=2, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=1)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, attention_mask, labels=None):
        hidden = self.encoder(self.embeddings(input_ids), src_key_padding_mask=attention_mask == 0)
        pooled = (hidden * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        logits = self.classifier(self.dropout(pooled))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


class ToyTextDataset(Dataset):
    def __init__(self, n, seq_len=12, vocab_size=100):
        self.input_ids = torch.randint(1, vocab_size, (n, seq_len))
        lengths = torch.randint(4, seq_len + 1, (n,))
        self.attention_mask = (torch.arange(seq_len)[None, :] < lengths[:, None]).long()
        self.input_ids = self.input_ids * self.attention_mask
        self.labels = torch.randint(0, 2, (n,))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.input_ids[i], "attention_mask": self.attention_mask[i], "labels": self.labels[i]}


def linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps):
    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


def main():
    torch.manual_seed(3)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    num_train_epochs = 2
    train_dataloader = DataLoader(ToyTextDataset(32), batch_size=8, shuffle=True)
    eval_dataloader = DataLoader(ToyTextDataset(16), batch_size=8)

    model = TinyEncoderForSequenceClassification()
    model.to(device)

    no_decay = ["bias", "LayerNorm.weight", "norm"]
    optimizer_grouped_parameters = [
        {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=5e-4)
    max_train_steps = num_train_epochs * len(train_dataloader)
    lr_scheduler = linear_schedule_with_warmup(optimizer, num_warmup_steps=1, num_training_steps=max_train_steps)

    completed_steps = 0
    for epoch in range(num_train_epochs):
        model.train()
        total_loss = 0.0
        for step, batch in enumerate(train_dataloader):
            batch = {k: v.to(device) for k, v in batch.items()}
            outputs = model(**batch)
            loss = outputs.loss
            total_loss += loss.detach().float()
            loss.backward()
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            completed_steps += 1

        model.eval()
        correct = 0
        for step, batch in enumerate(eval_dataloader):
            batch = {k: v.to(device) for k, v in batch.items()}
            with torch.no_grad():
                outputs = model(**batch)
            predictions = outputs.logits.argmax(dim=-1)
            correct += (predictions == batch["labels"]).sum().item()
        accuracy = correct / len(eval_dataloader.dataset)
        print(f"epoch {epoch}: train_loss {total_loss.item() / len(train_dataloader):.4f} accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
