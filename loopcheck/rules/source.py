"""Static-only rules: they read the facts the static producer records (loopcheck.static.notes)."""
from __future__ import annotations

from loopcheck.rules.lc108_sampler_set_epoch_missing import SamplerSetEpochMissing
from loopcheck.rules.lc109_softmax_before_cross_entropy import SoftmaxBeforeCrossEntropy
from loopcheck.rules.lc110_no_sync_accumulation import NoSyncAccumulation
from loopcheck.rules.lc111_clip_before_unscale import ClipBeforeUnscale
from loopcheck.rules.lc112_scaler_update_missing import ScalerUpdateMissing
from loopcheck.rules.lc113_functional_dropout_always_on import FunctionalDropoutAlwaysOn
from loopcheck.rules.lc114_epoch_scheduler_per_batch import EpochSchedulerPerBatch
from loopcheck.rules.lc115_backward_without_step import BackwardWithoutStep
from loopcheck.rules.lc302_tensor_created_off_device import TensorCreatedOffDevice
from loopcheck.rules.lc303_load_without_map_location import LoadWithoutMapLocation
from loopcheck.rules.lc304_to_result_discarded import ToResultDiscarded
from loopcheck.rules.lc401_loss_kept_with_graph import LossKeptWithGraph
from loopcheck.rules.lc601_loss_shape_broadcast import LOSS_SHAPE_BROADCAST
from loopcheck.rules.pattern_rule import PatternRule

# The pattern rules (LC108-LC115, LC303, LC601) word the matches of loopcheck.static.patterns.
SOURCE_RULES = (
    TensorCreatedOffDevice(), ToResultDiscarded(), LossKeptWithGraph(),
    SamplerSetEpochMissing(), SoftmaxBeforeCrossEntropy(), NoSyncAccumulation(), ClipBeforeUnscale(),
    ScalerUpdateMissing(), FunctionalDropoutAlwaysOn(), EpochSchedulerPerBatch(), BackwardWithoutStep(),
    LoadWithoutMapLocation(), LOSS_SHAPE_BROADCAST,
)
# Those with a runtime counterpart: they also word the matches the watcher observed.
RUNTIME_PATTERN_RULES = tuple(rule for rule in SOURCE_RULES if isinstance(rule, PatternRule) and rule.info.runtime)
