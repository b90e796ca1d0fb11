"""Static-only rules: they read the facts the static producer records (loopcheck.static.notes)."""
from __future__ import annotations

from loopcheck.rules.lc302_tensor_created_off_device import TensorCreatedOffDevice
from loopcheck.rules.lc304_to_result_discarded import ToResultDiscarded
from loopcheck.rules.lc401_loss_kept_with_graph import LossKeptWithGraph

SOURCE_RULES = (TensorCreatedOffDevice(), ToResultDiscarded(), LossKeptWithGraph())
