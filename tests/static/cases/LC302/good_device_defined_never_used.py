"""A textbook notebook defines `device` for CUDA but never moves a model or a tensor: the whole
run is on the CPU, so tensors created in the loop meet only CPU tensors."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(torch.__version__, device)

decoder = nn.GRU(8, 16, batch_first=True)
head = nn.Linear(16, 5)
optimizer = torch.optim.Adam(list(decoder.parameters()) + list(head.parameters()))
for step in range(10):
    dec_input = torch.zeros(4, 3, 8)
    out, _ = decoder(dec_input)
    mask = torch.ones(4, 3)
    loss = (head(out).sum(-1) * mask).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
