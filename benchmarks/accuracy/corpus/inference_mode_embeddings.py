"""Compute sentence embeddings with a small encoder under torch.inference_mode() and
write nearest neighbours; the encoder is switched to eval with model.train(False)."""
import torch
from torch import nn


class BagOfEmbeddings(nn.Module):
    def __init__(self, vocab=200, dim=16):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, dim, mode="mean")
        self.proj = nn.Sequential(nn.Dropout(0.1), nn.Linear(dim, dim))

    def forward(self, tokens, offsets):
        return nn.functional.normalize(self.proj(self.emb(tokens, offsets)), dim=-1)


def encode(model, sentences, device, batch_size=4):
    chunks = []
    model.train(False)
    with torch.inference_mode():
        for start in range(0, len(sentences), batch_size):
            batch = sentences[start:start + batch_size]
            tokens = torch.cat(batch).to(device)
            offsets = torch.tensor([0] + [len(s) for s in batch[:-1]], device=device).cumsum(0)
            chunks.append(model(tokens, offsets).cpu())
    return torch.cat(chunks)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    sentences = [torch.randint(0, 200, (int(n),)) for n in torch.randint(3, 9, (10,))]
    model = BagOfEmbeddings().to(device)
    emb = encode(model, sentences, device)
    sims = emb @ emb.t()
    sims.fill_diagonal_(-1)
    print("nearest neighbours:", sims.argmax(1).tolist())


if __name__ == "__main__":
    main()
