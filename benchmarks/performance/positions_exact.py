"""loopcheck's positions against libcst's PositionProvider, node by node, over whole trees.

    python benchmarks/performance/positions_exact.py PATH...   # files or folders of *.py

static/positions.py computes positions with its own code-generation state, for a fraction of
libcst's cost; they must be libcst's exactly. tests/static/test_positions.py checks that on the
fixtures, the rule cases and edge sources; this checks it on any tree (e.g. an installed torch
package). Prints the files and nodes compared and each difference; exits 1 when there is one.
Files that libcst cannot parse or that are not UTF-8 are left out, as loopcheck leaves them out.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parents[2]


def main(argv: Optional[Sequence[str]] = None) -> int:
    sys.path.insert(0, str(ROOT))
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from loopcheck.static.positions import Positions

    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*.py")))]
    compared = nodes = differing = 0
    for path in files:
        try:
            module = cst.parse_module(path.read_bytes().decode("utf-8"))
        except Exception:
            continue
        compared += 1
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        ours = Positions(module)
        if set(ours) != set(expected):
            print(f"{path}: the nodes with a position differ")
            differing += 1
            continue
        for node, position in expected.items():
            nodes += 1
            if ours[node] != position:
                print(f"{path}: {type(node).__name__} at {position}: loopcheck says {ours[node]}")
                differing += 1
                break
    print(f"{compared} files, {nodes} nodes compared; {differing} files differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
