"""The legacy device switch: `dtype` is torch.cuda.LongTensor when CUDA is available, and
`.type(dtype)` puts each new tensor on the GPU (on the CPU the model is there too)."""
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"
model = nn.EmbeddingBag(100, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
dtype = torch.LongTensor
if torch.cuda.is_available():
    dtype = torch.cuda.LongTensor
train_data = [([1, 2, 3], 0), ([4, 5], 1)] * 10

for epoch in range(3):
    for words, tag in train_data:
        words = torch.tensor([words]).type(dtype)
        tag = torch.tensor([tag]).type(dtype)
        optimizer.zero_grad()
        loss = criterion(model(words), tag)
        loss.backward()
        optimizer.step()
