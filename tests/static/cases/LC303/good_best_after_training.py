"""After training (in a helper of another module), the best checkpoint of this run is reloaded for the test set."""
import glob
import os

import torch
import torch.nn as nn

import train

use_cuda = torch.cuda.is_available()
cnn = nn.Linear(10, 2)
if use_cuda:
    cnn = cnn.cuda()
best_acc = train.train(cnn, save_dir="snapshot")
best_files = glob.glob(os.path.join("snapshot", "best_steps_*.pt"))
if best_files:
    best_path = max(best_files, key=os.path.getmtime)
    cnn.load_state_dict(torch.load(best_path, weights_only=True))
