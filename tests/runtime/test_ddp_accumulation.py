"""LC110 no-sync-accumulation at runtime: a DistributedDataParallel model (a world of one process,
gloo on the CPU) whose accumulation backwards all-reduce outside no_sync() is reported at the
backward; the look-alike correct loops are not."""
import contextlib
import sys

import pytest

torch = pytest.importorskip("torch")

import torch.distributed as dist  # noqa: E402
from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import LOSS, assert_reported, codes, found  # noqa: E402

HERE = __file__


@pytest.fixture
def ddp(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A DistributedDataParallel Linear in a world of one process, destroyed afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # init_process_group replaces it: [rank0] prefix
    dist.init_process_group("gloo", store=dist.FileStore(str(tmp_path / "store"), 1), rank=0, world_size=1)
    try:
        torch.manual_seed(0)
        yield nn.parallel.DistributedDataParallel(nn.Linear(8, 3))
    finally:
        dist.destroy_process_group()


def _batches(n: int = 8):  # noqa: ANN202
    g = torch.Generator().manual_seed(0)
    return [(torch.randn(4, 8, generator=g), torch.randint(0, 3, (4,), generator=g)) for _ in range(n)]


def _accumulate(model, accum: int, sync: str = "none"):  # noqa: ANN001, ANN202
    """Train with a step every `accum` batches; `sync` says how non-step batches skip the all-reduce."""
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for i, (x, y) in enumerate(_batches()):
            stepping = (i + 1) % accum == 0
            if sync == "flag":
                model.require_backward_grad_sync = stepping
            quiet = sync == "no_sync" and not stepping
            with model.no_sync() if quiet else contextlib.nullcontext():
                loss = LOSS(model(x), y) / accum
                loss.backward()  # <LC110>
            if stepping:
                opt.step()
                opt.zero_grad()
    return w


def test_accumulation_outside_no_sync_is_reported_at_the_backward(ddp) -> None:  # noqa: ANN001
    w = _accumulate(ddp, accum=4)
    assert_reported(w, "LC110", HERE, "LC110")
    (finding,) = found(w, "LC110")
    assert finding.severity.value == "info"
    assert "6 of 8 DistributedDataParallel backwards" in finding.message
    assert "world size 1" in finding.message


@pytest.mark.parametrize("accum, sync", [(1, "none"), (4, "no_sync"), (4, "flag")])
def test_no_accumulation_or_skipped_sync_is_silent(ddp, accum, sync) -> None:  # noqa: ANN001
    assert "LC110" not in codes(_accumulate(ddp, accum, sync))


def test_a_loop_that_never_steps_is_not_accumulation(ddp) -> None:  # noqa: ANN001
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
    with loopcheck.watch(ddp, opt, quiet=True) as w:
        for x, y in _batches(4):
            LOSS(ddp(x), y).backward()
    assert "LC110" not in codes(w)


def test_accumulation_without_ddp_is_silent() -> None:
    torch.manual_seed(0)
    w = _accumulate(nn.Linear(8, 3), accum=4)
    assert "LC110" not in codes(w)


def test_the_patch_is_removed_on_exit(ddp) -> None:  # noqa: ANN001
    forward = nn.parallel.DistributedDataParallel.forward
    _accumulate(ddp, accum=2)
    assert nn.parallel.DistributedDataParallel.forward is forward
