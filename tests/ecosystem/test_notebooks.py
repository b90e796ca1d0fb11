"""Notebooks: code cells checked in order as one program; findings mapped to (cell, line)."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from loopcheck.notebooks import load, python_lines
from tests.ecosystem.helpers import Project

SETUP = """\
%matplotlib inline
!pip install -q tqdm
import torch
import torch.nn as nn
model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,)))]"""

# The loop in its own cell, after the setup: the optimizer comes from the cell above.
LOOP = """\
%%time
total_loss = 0.0
for epoch in range(2):
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss
print(total_loss)"""


def write_notebook(path: Path, *cells) -> Path:  # noqa: ANN002
    notebook = new_notebook(cells=list(cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(notebook, str(path))
    return path


def buggy_notebook(path: Path) -> Path:
    return write_notebook(path, new_markdown_cell("# Training"), new_code_cell(SETUP),
                          new_markdown_cell("Train:"), new_code_cell(LOOP), new_code_cell("files = !ls\nmodel?"))


def test_text_output_names_cell_and_line(project: Project) -> None:
    buggy_notebook(project.root / "nb.ipynb")
    result = project.run("nb.ipynb")
    assert result.exit_code == 1, result.output
    # Cell 4 (1-based, markdown cells counted as in Jupyter's order), line 7 of that cell.
    assert "nb.ipynb:cell 4:7:9: LC101 [missing-zero-grad]" in result.stdout
    assert "nb.ipynb:cell 4:8:9: LC401 [loss-kept-with-graph]" in result.stdout


def test_json_output_has_the_same_1_based_cell_number(project: Project) -> None:
    buggy_notebook(project.root / "nb.ipynb")
    findings = json.loads(project.run("--output-format", "json", "nb.ipynb").stdout)
    assert {(f["code"], f["cell"], f["line"], f["column"]) for f in findings} == {
        ("LC101", 4, 7, 9), ("LC401", 4, 8, 9)}
    notebook = nbformat.read(str(project.root / "nb.ipynb"), as_version=4)
    lc101 = next(f for f in findings if f["code"] == "LC101")
    assert notebook.cells[lc101["cell"] - 1].source.splitlines()[lc101["line"] - 1].strip() == "optimizer.step()"


def test_github_output_names_the_same_cell(project: Project) -> None:
    buggy_notebook(project.root / "nb.ipynb")
    lines = project.run("--output-format", "github", "nb.ipynb").stdout.splitlines()
    assert any("title=LC101 [missing-zero-grad] (cell 4)::" in line and ",line=7," in line for line in lines)


def test_findings_come_in_cell_order(project: Project) -> None:
    """Cell 3's line 2 is reported before cell 5's line 1, as a reader scrolls the notebook."""
    early_loop = LOOP.replace("%%time\n", "")
    late = "for x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()"
    write_notebook(project.root / "nb.ipynb", new_code_cell(SETUP), new_markdown_cell("a"),
                   new_code_cell(early_loop), new_markdown_cell("b"), new_code_cell(late))
    for output_format in ("text", "json", "sarif"):
        output = project.run("--output-format", output_format, "nb.ipynb").stdout
        if output_format == "json":
            cells = [(f["cell"], f["line"]) for f in json.loads(output)]
        elif output_format == "sarif":
            cells = [(r["properties"]["cell"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                     for r in json.loads(output)["runs"][0]["results"]]
        else:
            cells = [(int(line.split(":")[1].split()[1]), int(line.split(":")[2]))
                     for line in output.splitlines() if line.startswith("nb.ipynb:cell")]
        assert cells == sorted(cells) and {cell for cell, _ in cells} == {3, 5}, (output_format, cells)


def test_folders_include_notebooks_and_clean_notebook_passes(project: Project) -> None:
    fixed_loop = LOOP.replace("        loss = criterion", "        optimizer.zero_grad()\n        loss = criterion")
    fixed_loop = fixed_loop.replace("total_loss += loss", "total_loss += loss.item()")
    write_notebook(project.root / "nbs" / "ok.ipynb", new_code_cell(SETUP), new_code_cell(fixed_loop))
    result = project.run("nbs")
    assert result.exit_code == 0, result.output
    assert "(1 file checked)" in result.stdout


def test_noqa_in_a_cell(project: Project) -> None:
    loop = LOOP.replace("optimizer.step()", "optimizer.step()  # noqa: LC101")
    write_notebook(project.root / "nb.ipynb", new_code_cell(SETUP), new_code_cell(loop))
    findings = json.loads(project.run("--output-format", "json", "nb.ipynb").stdout)
    assert [f["code"] for f in findings] == ["LC401"]


def test_a_cell_that_is_not_python_is_a_note_and_the_rest_is_checked(project: Project) -> None:
    """Exercise templates and stray IPython syntax: the cell is left out, the others analysed."""
    template = "# YOUR CODE HERE\nmodel = ...(\n"
    write_notebook(project.root / "nb.ipynb", new_code_cell(SETUP), new_code_cell(template), new_code_cell(LOOP))
    result = project.run("nb.ipynb")
    assert result.exit_code == 1, result.output                     # the findings, not the cell, decide
    assert result.stderr.startswith("loopcheck: note: nb.ipynb:cell 2:2:12: cell not checked, not valid Python")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nb.ipynb:cell 3:7:9: LC101" in result.stdout and "1 file" in result.stdout


def test_a_bad_cell_alone_does_not_fail_the_run(project: Project) -> None:
    fixed_loop = LOOP.replace("        loss = criterion", "        optimizer.zero_grad()\n        loss = criterion")
    fixed_loop = fixed_loop.replace("total_loss += loss", "total_loss += loss.item()")
    write_notebook(project.root / "nb.ipynb", new_code_cell(SETUP), new_code_cell("for x in loader\n    pass"),
                   new_code_cell(fixed_loop))
    result = project.run("nb.ipynb")
    assert result.exit_code == 0, result.output
    assert "note: nb.ipynb:cell 2:1:" in result.stderr
    log = json.loads(project.run("--output-format", "sarif", "nb.ipynb").stdout)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"][0]["level"] == "note"
    github = project.run("--output-format", "github", "nb.ipynb")
    assert github.exit_code == 0 and github.stderr.startswith("::notice title=loopcheck::loopcheck: note: nb.ipynb")


def test_checkpoints_folder_is_skipped(project: Project) -> None:
    buggy_notebook(project.root / "nbs" / "nb.ipynb")
    buggy_notebook(project.root / "nbs" / ".ipynb_checkpoints" / "nb-checkpoint.ipynb")
    result = project.run("--output-format", "json", "nbs")
    assert {f["path"] for f in json.loads(result.stdout)} == {"nbs/nb.ipynb"}


def test_invalid_json_is_one_line_exit_2(project: Project) -> None:
    project.write("nb.ipynb", "{not json")
    result = project.run("nb.ipynb")
    assert result.exit_code == 2
    assert "nb.ipynb: not a valid notebook" in result.stderr


def test_non_python_kernel_is_skipped(project: Project) -> None:
    path = buggy_notebook(project.root / "nb.ipynb")
    data = json.loads(path.read_text())
    data["metadata"] = {"kernelspec": {"name": "ir", "language": "R"}, "language_info": {"name": "R"}}
    path.write_text(json.dumps(data))
    assert project.run("nb.ipynb").exit_code == 0


def test_program_keeps_line_positions_for_magics() -> None:
    cell = "x = (1\n     % 2)\nfiles = !ls\nif x:\n    %time f()\n!pip install a \\\n    b\nhelp?\ns = '''\n%notmagic\n'''"
    assert python_lines(cell) == ["x = (1", "     % 2)", "files = None", "if x:", "    pass", "pass", "",
                                  "pass", "s = '''", "%notmagic", "'''"]
    assert python_lines("%%bash\necho hi\nls -l") == ["", "", ""]
    assert python_lines("%%timeit -n 3\ny = 1") == ["", "y = 1"]


def test_program_maps_every_line_back() -> None:
    notebook = new_notebook(cells=[new_code_cell("a = 1\nb = 2"), new_markdown_cell("text"), new_code_cell("c = 3")])
    program = load(nbformat.writes(notebook), "nb.ipynb")
    assert program.source == "a = 1\nb = 2\nc = 3\n"
    assert [program.locate(line) for line in (1, 2, 3)] == [(1, 1), (1, 2), (3, 1)]


def test_sarif_for_notebooks_uses_cell_relative_region(project: Project) -> None:
    buggy_notebook(project.root / "nb.ipynb")
    log = json.loads(project.run("--output-format", "sarif", "nb.ipynb").stdout)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    lc101 = results["LC101"]
    assert lc101["properties"] == {"cell": 4}
    assert lc101["message"]["text"].startswith("cell 4: ")
    assert lc101["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert lc101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
