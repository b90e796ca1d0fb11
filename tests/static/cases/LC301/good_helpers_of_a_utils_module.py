"""A textbook's utils module: one trainer for CPU chapters never moves anything; another moves
the model and the batches; a third reads batches from a data iterator built on the device."""
import torch
import torch.nn as nn


def train_ch3(net, train_loader, loss, num_epochs, optimizer):
    for epoch in range(num_epochs):
        for X, y in train_loader:
            l = loss(net(X), y).sum()
            optimizer.zero_grad()
            l.backward()
            optimizer.step()


def train_ch5(net, train_iter, optimizer, device, num_epochs):
    net = net.to(device)
    loss = nn.CrossEntropyLoss()
    for epoch in range(num_epochs):
        for X, y in train_iter:
            X, y = X.to(device), y.to(device)
            l = loss(net(X), y)
            optimizer.zero_grad()
            l.backward()
            optimizer.step()


def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
    corpus = torch.tensor(corpus_indices, dtype=torch.float32, device=device)
    for i in range(0, len(corpus) - num_steps, num_steps):
        yield corpus[i:i + num_steps], corpus[i + 1:i + num_steps + 1]


def train_rnn(model, corpus_indices, device, num_epochs, lr):
    loss = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.to(device)
    for epoch in range(num_epochs):
        data_iter = data_iter_consecutive(corpus_indices, 32, 35, device)
        for X, Y in data_iter:
            output = model(X)
            l = loss(output, Y)
            optimizer.zero_grad()
            l.backward()
            optimizer.step()


def data_loader_demo():
    data_iter = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 2)), batch_size=4)
    return [x for x in data_iter]
