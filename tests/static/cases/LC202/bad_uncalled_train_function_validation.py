"""A notebook's train() is never called in the file, but it calls backward(), so it runs with
grad enabled: the validation it nests every few steps records graphs."""
import torch
import torch.nn as nn


def train(net, batches, val_batches, epochs=10, print_every=10):
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    counter = 0
    for epoch in range(epochs):
        for inputs, targets in batches:
            counter += 1
            net.zero_grad()
            loss = criterion(net(inputs), targets)
            loss.backward()
            opt.step()
            if counter % print_every == 0:
                net.eval()
                val_losses = []
                for x, y in val_batches:
                    val_losses.append(criterion(net(x), y).item())  # expect: LC202
                net.train()
