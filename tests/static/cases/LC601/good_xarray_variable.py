"""`ds["temperature"].values` of an xarray dataset can have any number of dimensions: unknown."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import xarray as xr

ds = xr.open_dataset("climate.nc")
inputs = torch.tensor(ds[["pressure", "humidity"]].values, dtype=torch.float32)
temperature = torch.tensor(ds["temperature"].values, dtype=torch.float32)
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters())

for epoch in range(10):
    optimizer.zero_grad()
    loss = F.mse_loss(model(inputs.view(-1, 2)), temperature)
    loss.backward()
    optimizer.step()
