# bench: no-mode-layers
"""Optimise an input image (not the network) with L-BFGS: a single optimizer.step(closure) call
whose closure is evaluated many times, in the manner of neural style transfer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def gram(feat):
    b, c, h, w = feat.shape
    f = feat.view(b * c, h * w)
    return f @ f.t() / (b * c * h * w)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    extractor = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU())
    extractor = extractor.to(device).eval()
    extractor.requires_grad_(False)

    content = torch.rand(1, 3, 24, 24, device=device)
    style = torch.rand(1, 3, 24, 24, device=device)
    with torch.no_grad():
        content_target = extractor(content)
        style_target = gram(extractor(style))

    image = torch.rand_like(content).requires_grad_(True)
    optimizer = torch.optim.LBFGS([image], max_iter=15)
    evaluations = [0]

    def closure():
        with torch.no_grad():
            image.clamp_(0, 1)
        optimizer.zero_grad()
        feats = extractor(image)
        loss = F.mse_loss(feats, content_target) + 1e4 * F.mse_loss(gram(feats), style_target)
        loss.backward()
        evaluations[0] += 1
        return loss

    final = optimizer.step(closure)
    with torch.no_grad():
        image.clamp_(0, 1)
    print(f"{evaluations[0]} closure evaluations, final loss {final.item():.5f}")


if __name__ == "__main__":
    main()
