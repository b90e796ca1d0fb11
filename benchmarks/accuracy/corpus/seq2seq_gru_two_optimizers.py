"""Sequence-to-sequence GRU encoder/decoder with separate optimizers, teacher forcing, a
per-example training function and greedy decoding for evaluation."""
import random

import torch
import torch.nn as nn

SOS, EOS = 0, 1
VOCAB = 12
MAX_LEN = 6
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class EncoderRNN(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, src):
        return self.gru(self.embedding(src))


class DecoderRNN(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, VOCAB)

    def forward(self, token, hidden):
        output, hidden = self.gru(self.dropout(self.embedding(token)), hidden)
        return self.out(output.squeeze(1)), hidden


def make_pair():
    seq = [random.randrange(2, VOCAB) for _ in range(random.randint(2, MAX_LEN - 1))]
    return seq, list(reversed(seq))


def train_pair(src, tgt, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion, teacher_forcing=0.5):
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()
    src_t = torch.tensor([src + [EOS]], device=device)
    tgt_t = torch.tensor(tgt + [EOS], device=device)
    _, hidden = encoder(src_t)
    token = torch.tensor([[SOS]], device=device)
    loss = 0.0
    for i in range(tgt_t.size(0)):
        logits, hidden = decoder(token, hidden)
        loss = loss + criterion(logits, tgt_t[i:i + 1])
        if random.random() < teacher_forcing:
            token = tgt_t[i].view(1, 1)
        else:
            token = logits.argmax(-1, keepdim=True).detach()
    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    return loss.item() / tgt_t.size(0)


def greedy_decode(encoder, decoder, src):
    encoder.eval()
    decoder.eval()
    with torch.no_grad():
        _, hidden = encoder(torch.tensor([src + [EOS]], device=device))
        token = torch.tensor([[SOS]], device=device)
        result = []
        for _ in range(MAX_LEN + 1):
            logits, hidden = decoder(token, hidden)
            token = logits.argmax(-1, keepdim=True)
            if token.item() == EOS:
                break
            result.append(token.item())
    return result


def main():
    random.seed(0)
    torch.manual_seed(0)
    encoder = EncoderRNN(32).to(device)
    decoder = DecoderRNN(32).to(device)
    encoder_optimizer = torch.optim.SGD(encoder.parameters(), lr=0.05)
    decoder_optimizer = torch.optim.SGD(decoder.parameters(), lr=0.05)
    criterion = nn.CrossEntropyLoss()
    pairs = [make_pair() for _ in range(20)]

    for epoch in range(2):
        encoder.train()
        decoder.train()
        epoch_loss = 0.0
        for src, tgt in pairs:
            epoch_loss += train_pair(src, tgt, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion)
        src, tgt = pairs[0]
        print(f"epoch {epoch}: loss {epoch_loss / len(pairs):.3f} | {src} -> {greedy_decode(encoder, decoder, src)}")


if __name__ == "__main__":
    main()
