"""A test reloads what a checkpoint handler wrote into its directory a few lines before."""
import os

import torch
import torch.nn as nn
from ignite.engine import Engine, Events
from ignite.handlers import ModelCheckpoint

device = "cuda" if torch.cuda.is_available() else "cpu"


def test_with_state_dict(dirname):
    engine = Engine(lambda engine, batch: None)
    handler = ModelCheckpoint(dirname, "prefix", create_dir=False, n_saved=1)
    model = nn.Linear(2, 2).to(device)
    engine.add_event_handler(Events.EPOCH_COMPLETED, handler, {"model": model})
    engine.run([0, 1, 2], max_epochs=4)
    saved_model = os.path.join(dirname, os.listdir(dirname)[0])
    load_model = torch.load(saved_model)
    assert isinstance(load_model, dict)
