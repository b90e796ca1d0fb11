"""An RNN classifier over padded sequences: the tokens go to the GPU, the lengths stay on the
CPU because pack_padded_sequence() requires CPU lengths."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset


class RNNClassifier(nn.Module):
    def __init__(self, vocab, hidden=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.rnn = nn.GRU(hidden, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 2)

    def forward(self, text, text_lengths):
        packed = pack_padded_sequence(self.embedding(text), text_lengths, batch_first=True, enforce_sorted=False)
        _, hidden = self.rnn(packed)
        return self.fc(hidden[-1])


device = torch.device("cuda")
model = RNNClassifier(vocab=100).to(device)
optimizer = torch.optim.Adam(model.parameters())
tokens = torch.randint(1, 100, (64, 12))
lengths = torch.randint(1, 13, (64,))
labels = torch.randint(0, 2, (64,))
train_loader = DataLoader(TensorDataset(tokens, lengths, labels), batch_size=16)

for text, text_lengths, label in train_loader:
    text, label = text.to(device), label.to(device)
    optimizer.zero_grad()
    predictions = model(text, text_lengths)
    loss = nn.functional.cross_entropy(predictions, label)
    loss.backward()
    optimizer.step()
