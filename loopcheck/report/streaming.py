"""Printing findings file by file while the run goes on, for the formats whose output allows it.

Text, concise and GitHub output are lines: each file's findings are printed as soon as the file
is checked. JSON is one array, written one element at a time, the opening bracket with the first
finding and the closing one when the run ends, also on Ctrl-C, so that what was printed is always
a valid document and, once the run is over, the same bytes as `json_format.render` of the same
findings. SARIF is not streamed: the `invocations` object (files that could not be checked,
analysis limits reached) precedes `results` in the document, and is known only at the end.

A printer is also used once, with every finding, when a run is not streamed (`--fix`): the two
outputs cannot drift apart.
"""
from __future__ import annotations

import sys
from typing import Callable, Optional, Sequence

import click

from loopcheck.findings import Finding
from loopcheck.report import json_format


class Printer:
    """Prints findings, a file's worth at a time, in the order given."""

    def __init__(self, render: Callable[[Sequence[Finding]], str], to_stderr: bool) -> None:
        self.render, self.to_stderr = render, to_stderr

    def write(self, findings: Sequence[Finding]) -> None:
        if findings:
            click.echo(self.render(findings), err=self.to_stderr)

    def close(self) -> None:
        """The end of the output (a document's closing part); safe to call more than once."""


class JsonArrayPrinter(Printer):
    """`json_format.render`, one element at a time."""

    def __init__(self, to_stderr: bool) -> None:
        super().__init__(lambda findings: ",\n".join(json_format.element(f) for f in findings), to_stderr)
        self.opened = self.closed = False

    def write(self, findings: Sequence[Finding]) -> None:
        if findings:
            # The separator comes with the next element, so that the printed text is one closing
            # bracket away from a valid document at every moment.
            click.echo(("," if self.opened else "[") + "\n" + self.render(findings), nl=False, err=self.to_stderr)
            self.opened = True

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            click.echo("\n]" if self.opened else "[]", err=self.to_stderr)


def printer(output_format: str, to_stderr: bool = False) -> Optional[Printer]:
    """The printer of a streamed format; None for SARIF."""
    if output_format == "json":
        return JsonArrayPrinter(to_stderr)
    if output_format == "github":
        from loopcheck.report import github

        return Printer(github.render, to_stderr)
    if output_format in ("text", "concise"):
        from loopcheck.report import text

        concise = output_format == "concise"
        return Printer(lambda findings: text.render(findings, sys.stdout.isatty(), concise=concise), to_stderr)
    return None
