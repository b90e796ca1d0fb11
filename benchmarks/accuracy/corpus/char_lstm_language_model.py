"""Word-level LSTM language model with truncated BPTT, hidden-state detaching and gradient clipping."""
import math

import torch
import torch.nn as nn


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.2):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nhid, self.nlayers = nhid, nlayers

    def forward(self, inp, hidden):
        emb = self.drop(self.encoder(inp))
        output, hidden = self.rnn(emb, hidden)
        return self.decoder(self.drop(output)), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))


def batchify(data, bsz, device):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    return data.view(bsz, -1).t().contiguous().to(device)


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


class Config:
    ntokens = 50
    emsize = 16
    nhid = 32
    nlayers = 2
    lr = 20.0
    clip = 0.25
    epochs = 2
    batch_size = 4
    eval_batch_size = 2
    bptt = 8


def evaluate(model, data_source, criterion, cfg):
    model.eval()
    total_loss = 0.0
    hidden = model.init_hidden(cfg.eval_batch_size)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, cfg.bptt):
            data, targets = get_batch(data_source, i, cfg.bptt)
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(output.view(-1, cfg.ntokens), targets).item()
    return total_loss / (len(data_source) - 1)


def train(model, train_data, criterion, optimizer, cfg, epoch):
    model.train()
    total_loss = 0.0
    hidden = model.init_hidden(cfg.batch_size)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, cfg.bptt)):
        data, targets = get_batch(train_data, i, cfg.bptt)
        hidden = repackage_hidden(hidden)
        optimizer.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, cfg.ntokens), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
        optimizer.step()
        total_loss += loss.item()
    print(f"| epoch {epoch} | train loss {total_loss / (batch + 1):5.2f}")


def main():
    cfg = Config()
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    corpus = torch.randint(0, cfg.ntokens, (400,))
    train_data = batchify(corpus[:300], cfg.batch_size, device)
    val_data = batchify(corpus[300:], cfg.eval_batch_size, device)

    model = RNNModel(cfg.ntokens, cfg.emsize, cfg.nhid, cfg.nlayers).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.25, patience=0)

    best_val = None
    for epoch in range(1, cfg.epochs + 1):
        train(model, train_data, criterion, optimizer, cfg, epoch)
        val_loss = evaluate(model, val_data, criterion, cfg)
        plateau.step(val_loss)
        print(f"| end of epoch {epoch} | valid loss {val_loss:5.2f} | valid ppl {math.exp(val_loss):8.2f}")
        if best_val is None or val_loss < best_val:
            best_val = val_loss


if __name__ == "__main__":
    main()
