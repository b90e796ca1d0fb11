"""--device-audit: explicit moves are tracked by identity only, LC301 facts for unmoved batches."""
import pytest

torch = pytest.importorskip("torch")

import gc  # noqa: E402
import weakref  # noqa: E402

from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from loopcheck.runtime.device_audit import DeviceAudit, _IdSet  # noqa: E402

DEVICE = torch.device("cpu")


def _loader():
    return DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


def test_unmoved_batch_reaching_a_moved_model_is_reported():
    model = nn.Linear(4, 1)
    with DeviceAudit() as audit:
        model.to(DEVICE)
        for inputs, labels in _loader():
            labels = labels.to(DEVICE)
            facts = audit.inspect(model, (inputs,), {})
            # No call site given: the position (names come from the source of the forward call)
            assert facts == {"unmoved_inputs": ["input 0"], "device": "cpu"}


def test_discarded_to_result_is_not_a_move():
    model = nn.Linear(4, 1)
    with DeviceAudit() as audit:
        model.to(DEVICE)
        for inputs, _ in _loader():
            inputs.to(DEVICE)            # LC304: the result is thrown away
            assert audit.inspect(model, (inputs,)) is not None
            moved = inputs.to(DEVICE)
            assert audit.inspect(model, (moved,)) is None
            assert torch.equal(moved, inputs) and moved.data_ptr() == inputs.data_ptr()


def test_correct_moves_and_unmoved_models_are_silent():
    model, other = nn.Linear(4, 1), nn.Linear(4, 1)
    with DeviceAudit() as audit:
        model.to(DEVICE)
        for inputs, labels in _loader():
            assert audit.inspect(other, (inputs,)) is None        # never moved: CPU-only script
            x, y = inputs.to(DEVICE), labels.to(DEVICE, non_blocking=True)
            assert audit.inspect(model, (x.view(-1, 4),)) is None
            assert audit.inspect(model, (inputs.float().to(torch.float64),)) is None  # dtype only: not a batch


def test_dict_batches_and_dtype_only_to():
    model = nn.Linear(4, 1)
    with DeviceAudit() as audit:
        model.cpu().to(DEVICE)
        batch = {"x": torch.randn(2, 4)}
        audit.mark_batch(batch)
        assert audit.inspect(model, (), batch) == {"unmoved_inputs": ["x"], "device": "cpu"}
        x = batch["x"].to(torch.float32)         # a dtype-only .to is no move
        assert audit.inspect(model, (x,)) is not None


def test_wrapped_model_is_found_through_its_parameters():
    inner = nn.Linear(4, 1)
    with DeviceAudit() as audit:
        inner.to(DEVICE)
        wrapper = nn.Sequential(inner)          # e.g. DDP(model.to(device))
        batch = torch.randn(2, 4)
        audit.mark_batch(batch)
        assert audit.inspect(wrapper, (batch,)) is not None


def test_patches_are_removed_and_buffers_stay_plain():
    saved = (nn.Module.to, nn.Module.cuda, torch.Tensor.to, torch.Tensor.cuda, DataLoader.__iter__)
    bn = nn.BatchNorm1d(3)
    with DeviceAudit():
        bn.to(DEVICE)
        assert bn.running_mean._base is None and bn.weight.is_leaf
        leaf = torch.zeros(2, requires_grad=True)
        assert leaf.to(DEVICE) is leaf          # tensors that require grad are never aliased
    assert (nn.Module.to, nn.Module.cuda, torch.Tensor.to, torch.Tensor.cuda, DataLoader.__iter__) == saved


def test_no_strong_references():
    with DeviceAudit() as audit:
        model = nn.Linear(4, 1).to(DEVICE)
        batch = torch.randn(2, 4)
        audit.mark_batch(batch)
        moved = batch.to(DEVICE)
        refs = [weakref.ref(o) for o in (model, batch, moved)]
        del model, batch, moved
        gc.collect()
        assert all(r() is None for r in refs)
        assert len(audit.batch_tensors) == 0


def test_idset_never_compares_tensors():
    ids = _IdSet()
    a, b = torch.ones(3), torch.ones(3)
    ids.add(a)
    assert a in ids and b not in ids
