"""A training helper saves the best model under a path the script then reloads."""
import torch
import torch.nn as nn

from helper_train import train_classifier

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
log_path = "/tmp/run"
train_classifier(model, optimizer, num_epochs=5, device=device, best_model_save_path="best.pt",
                 checkpoint_dir=log_path)
model.load_state_dict(torch.load("best.pt"))
model.load_state_dict(torch.load(log_path + "/model.pt"))
