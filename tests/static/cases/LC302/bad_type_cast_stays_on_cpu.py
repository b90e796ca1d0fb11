"""`.type(torch.LongTensor)` only changes the dtype: the new tensor stays on the CPU while
the model is on the accelerator."""
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"
model = nn.EmbeddingBag(100, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
train_data = [([1, 2, 3], 0), ([4, 5], 1)] * 10

for epoch in range(3):
    for words, tag in train_data:
        words = torch.tensor([words], device=device)
        tag = torch.tensor([tag]).type(torch.LongTensor)  # expect: LC302
        optimizer.zero_grad()
        loss = criterion(model(words), tag)
        loss.backward()
        optimizer.step()
