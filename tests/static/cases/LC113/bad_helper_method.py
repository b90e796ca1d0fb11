"""Dropout in a helper method of the module, called by forward()."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab=1000, dim=64, p=0.3):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.p = p

    def embed_tokens(self, tokens):
        return F.dropout(self.embed(tokens), self.p)  # expect: LC113

    def forward(self, tokens):
        output, hidden = self.rnn(self.embed_tokens(tokens))
        return torch.tanh(hidden[-1])
