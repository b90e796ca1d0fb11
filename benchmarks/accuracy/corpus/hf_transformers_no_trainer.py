# runnable: no
"""Text classification with the transformers library, written as a plain loop without Trainer."""
import argparse

import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, get_scheduler


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model_name_or_path", default="distilbert-base-uncased")
    parser.add_argument("--per_device_train_batch_size", type=int, default=16)
    parser.add_argument("--learning_rate", type=float, default=2e-5)
    parser.add_argument("--num_train_epochs", type=int, default=3)
    parser.add_argument("--gradient_accumulation_steps", type=int, default=1)
    parser.add_argument("--num_warmup_steps", type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)
    model = AutoModelForSequenceClassification.from_pretrained(args.model_name_or_path, num_labels=2)
    model.to(device)

    texts = ["a fine film", "a dull film", "great acting", "terrible plot"] * 8
    labels = [1, 0, 1, 0] * 8
    features = [dict(tokenizer(t, truncation=True), labels=l) for t, l in zip(texts, labels)]
    collator = DataCollatorWithPadding(tokenizer)
    train_dataloader = DataLoader(features, shuffle=True, collate_fn=collator, batch_size=args.per_device_train_batch_size)
    eval_dataloader = DataLoader(features, collate_fn=collator, batch_size=args.per_device_train_batch_size)

    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    num_update_steps = args.num_train_epochs * len(train_dataloader)
    lr_scheduler = get_scheduler(
        name="linear", optimizer=optimizer, num_warmup_steps=args.num_warmup_steps, num_training_steps=num_update_steps
    )

    for epoch in range(args.num_train_epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            batch = {k: v.to(device) for k, v in batch.items()}
            outputs = model(**batch)
            loss = outputs.loss
            loss.backward()
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()

        model.eval()
        n_correct = 0
        for batch in eval_dataloader:
            batch = {k: v.to(device) for k, v in batch.items()}
            with torch.no_grad():
                outputs = model(**batch)
            n_correct += (outputs.logits.argmax(dim=-1) == batch["labels"]).sum().item()
        print(f"epoch {epoch}: accuracy {n_correct / len(features):.3f}")


if __name__ == "__main__":
    main()
