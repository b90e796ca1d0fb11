"""Hugging Face inference: from_pretrained() returns the model in eval mode already, and the
tokenizer is not a model at all."""
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")
sentences = ["a delightful film", "a tedious mess"]
with torch.no_grad():
    for sentence in sentences:
        encoded = tokenizer(sentence, return_tensors="pt")
        logits = model(**encoded).logits
        print(sentence, logits.softmax(-1))
