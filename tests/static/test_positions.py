"""static.positions computes libcst's PositionProvider positions its own cheaper way: the same
line, column, end line and end column for every node, and so the same findings."""
from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

import loopcheck.static.analysis
import loopcheck.static.project_modules
from loopcheck.checker import check_file
from loopcheck.notebooks import load
from loopcheck.static.positions import Positions
from tests.markers import FIXTURES

CASES = Path(__file__).resolve().parent / "cases"

EDGES = {
    "unicode": 'naïve = "日本語 ☃"; λ = 1  # ça\nπ = naïve + "🚀" + f"{λ!r:>{π}}"\nx = (\n    "é",\n    λ)\n',
    "tabs": "if x:\n\tfor i in y:\n\t\tz = i  \t# tab\n\telse:\n\t\tpass\n",
    "mixed indentation": "class A:\n  def f(self):\n  \treturn 1\n",
    "line continuations": "x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\nassert x, \\\n  'message'\n",
    "decorators": "@dec\n@dec2(1,\n      2)\n\n# comment\n@ dec3 . attr\nclass C:\n    @property\n    def p(self): return 1\n",
    "multi-line strings": 'x = """a\nb\n  c"""\ndef f():\n    """Doc\n\n    more."""\n    return \'\'\'\n\'\'\' + r"""\\\n"""\n',
    "crlf": "import torch\r\nfor x in loader:\r\n    loss = model(x)  # c\r\n\r\n    loss.backward()\r\ns = '''a\r\nb'''\r\n",
    "lone carriage returns": "a = 1\rb = (2,\r 3)\rif a:\r    c = 'x'\r",
    "mixed line breaks": "a = 1\r\nb = 2\nc = '''x\r\ny\nz'''\r\nd = 3\r",
    "no trailing newline": "def f():\n    return 1",
    "no trailing newline, crlf": "x = 1\r\ny = 2",
    "empty": "",
    "only a newline": "\n",
    "only comments": "# a\n\n   # b\n",
    "blank lines after the code": "x = 1\n\n\n",
    "comment after a block": "def f():\n    x = 1\n    # inner\n# outer\n\ny = 2\n",
    "semicolons and brackets": "a = 1; b = [\n  1,\n  2,\n]; c = {k: v for k, v in d.items()}\n",
    "form feed": "x = 1\n\x0c\ndef f():\n    pass\n",
    "nested f-strings and lambdas": "f = lambda *a, k=1, **kw: f'{a!r:{k}}' f\"{(lambda: 1)()}\"\n",
    "match": "match p:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v, **kw}:\n        pass\n    case Point(x=0) | None:\n        pass\n",
    "async and walrus": "async def g():\n    async with a as (b, c):\n        await x\n    return [i async for i in y if (j := i)]\n",
}


def notebook_program() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Training ☃\n"]},
        {"cell_type": "code", "metadata": {}, "source": ["%matplotlib inline\n", "import torch\n",
                                                         "model = torch.nn.Linear(4, 2)\n", "files = !ls"]},
        {"cell_type": "code", "metadata": {}, "source": ["%%time\n", "for x in loader:\n", "\tloss = model(x)  # é\n",
                                                         "\tloss.backward()\n", "model?"]},
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    return load(json.dumps(notebook), "nb.ipynb").source


def sources() -> list[tuple[str, str]]:
    found = list(EDGES.items()) + [("notebook program", notebook_program())]
    for root in (FIXTURES, CASES):
        found += [(str(path.relative_to(root.parent)), path.read_text(encoding="utf-8"))
                  for path in sorted(root.rglob("*.py"))]
    return found


def libcsts(tree: cst.Module) -> dict[cst.CSTNode, object]:
    return dict(MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider))


def test_every_node_has_libcsts_position() -> None:
    checked = 0
    for name, source in sources():
        tree = cst.parse_module(source)
        expected = libcsts(tree)
        positions = Positions(tree)
        assert all(node in positions for node in expected), name    # before the positions are computed
        for node in reversed(list(expected)):                        # asked in any order
            assert positions[node] == expected[node], (name, type(node).__name__, positions[node], expected[node])
        assert len(positions) == len(expected) and dict(positions) == expected, name
        checked += 1
    assert checked > 400


def test_a_node_of_another_tree_has_no_position() -> None:
    tree = cst.parse_module("a = 1\n")
    positions = Positions(tree)
    other = cst.parse_module("a = 1\n").body[0]
    assert other not in positions and positions.get(other) is None
    assert positions[tree.body[0]].start.line == 1
    assert other not in positions and positions.get(other) is None
    with pytest.raises(KeyError):
        positions[other]


class LibcstPositions(dict):
    def __init__(self, tree: cst.Module) -> None:
        super().__init__(libcsts(tree))


def findings_both_ways(monkeypatch: pytest.MonkeyPatch, source: str, display: str) -> tuple[list, list]:
    ours = check_file(source, display)
    with monkeypatch.context() as patched:
        patched.setattr(loopcheck.static.analysis, "Positions", LibcstPositions)
        patched.setattr(loopcheck.static.project_modules, "Positions", LibcstPositions)
        theirs = check_file(source, display)
    return ours, theirs


def test_findings_are_those_of_libcsts_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    buggy = sorted((FIXTURES / "buggy").glob("*.py"))[:12]
    assert buggy
    for path in buggy:
        source = path.read_text(encoding="utf-8")
        for variant, text in (("lf", source), ("crlf", source.replace("\n", "\r\n")),
                              ("tabs", source.replace("    ", "\t"))):
            try:
                cst.parse_module(text)
            except cst.ParserSyntaxError:
                continue
            ours, theirs = findings_both_ways(monkeypatch, text, path.name)
            assert ours == theirs, (path.name, variant)
            assert variant != "lf" or ours[0], path.name


def test_notebook_findings_are_those_of_libcsts_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Training"},
        {"cell_type": "code", "metadata": {}, "source": "%matplotlib inline\nimport torch\nimport torch.nn as nn\n"
                                                       "model = nn.Linear(4, 2)\n"
                                                       "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                                                       "criterion = nn.CrossEntropyLoss()\nloader = []"},
        {"cell_type": "code", "metadata": {}, "source": "%%time\nfor x, y in loader:\n"
                                                       "    loss = criterion(model(x), y)  # « é »\n"
                                                       "    loss.backward()\n    optimizer.step()"},
    ]
    notebook = json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
                           "nbformat": 4, "nbformat_minor": 5})
    ours, theirs = findings_both_ways(monkeypatch, notebook, "nb.ipynb")
    assert ours[0] and ours == theirs
    assert {f.location.cell for f in ours[0]} == {3}


def test_line_breaks_are_found_token_by_token_as_libcst_does() -> None:
    from itertools import accumulate

    from libcst.metadata.position_provider import WhitespaceInclusivePositionProvidingCodegenState

    from loopcheck.static.positions import _line_starts

    tokens = ["a\r", "\nb", "c\r\n", "d\n", "\r", "\n", "e\r\r\n", "", "\n\r", "f"]
    state = WhitespaceInclusivePositionProvidingCodegenState("    ", "\n", provider=None)
    expected = [(1, 0)]
    for token in tokens:
        state.add_token(token)
        expected.append((state.line, state.column))
    ends = list(accumulate(map(len, tokens), initial=0))
    starts = _line_starts("".join(tokens), ends)
    found = []
    for offset in ends:
        line = sum(1 for start in starts if start <= offset)
        found.append((line, offset - starts[line - 1]))
    assert found == expected
