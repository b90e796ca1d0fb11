"""The analysis stays bounded on adversarial shapes and says so when it stops short."""
from loopcheck.checker import check_file
from loopcheck.static.analysis import MAX_FLIPPED_CONDITIONS


def _mixed_flags(count: int) -> str:
    """LC101 only when `zero_first` is false and `fused_clear` is true, with `count` conditions
    (all of them invariant) in the loop."""
    logs = "".join(f"    if args.log{i}:\n        log_stats(model, optimizer)\n" for i in range(count - 2))
    return ("for x, y in loader:\n    if args.zero_first:\n        optimizer.zero_grad()\n" + logs
            + "    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n"
            + "    if not args.fused_clear:\n        optimizer.zero_grad()\n")


def test_a_finding_of_one_mixed_configuration_survives_many_flags() -> None:
    for count in (2, 4, 5, 30):
        findings, notes = check_file(_mixed_flags(count), "train.py")
        assert [f.code for f in findings] == ["LC101"], count
        assert notes == []


def test_too_many_flags_is_said() -> None:
    _, notes = check_file(_mixed_flags(MAX_FLIPPED_CONDITIONS + 8), "train.py")
    assert len(notes) == 1 and "configuration conditions" in notes[0]


def test_exponential_inlining_is_cut_and_said() -> None:
    # f0 calls f1 ten times, ... f4 calls f5 ten times: 10^5 inlined bodies without a budget.
    chain = "".join(f"def f{i}(x):\n" + f"    f{i + 1}(x)\n" * 10 for i in range(5))
    chain += "def f5(x):\n    loss = model(x).sum()\n    loss.backward()\n    optimizer.step()\n"
    source = chain + "for x in loader:\n    optimizer.zero_grad()\n    f0(x)\n"
    findings, notes = check_file(source, "train.py")
    assert [f.code for f in findings] == ["LC101"]
    assert len(notes) == 1 and "not followed" in notes[0]


def test_mutual_recursion_ends() -> None:
    source = ("def a(x):\n    b(x)\n    loss.backward()\ndef b(x):\n    a(x)\n    optimizer.step()\n"
              "for x in loader:\n    a(x)\n")
    findings, notes = check_file(source, "train.py")
    assert [f.code for f in findings] == ["LC101"] and notes == []
