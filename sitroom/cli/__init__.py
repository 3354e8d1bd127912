"""The `sitroom` command line: thin commands over the library; data on stdout, messages on stderr.

Commands live in modules by what they work on (`extract_commands`: documents,
`store_commands`: the event database, `serve`: the dashboard and JSON API, `train`: the
event-type classifier, `watch`: following feeds) and are registered here; every error a command lets out goes
through `SitroomGroup` (`common.py`).
"""
from __future__ import annotations

import logging
import sys
import warnings

import click

from ..version import __version__
from . import extract_commands, serve, store_commands, train, watch
from .common import CONTEXT_SETTINGS, SitroomGroup, say


def _show_warning(message, category, filename, lineno, file=None, line=None):
    say(f"warning: {message}")


@click.group(cls=SitroomGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="sitroom")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn news reporting on armed conflict into sourced, auditable event data."""
    warnings.showwarning = _show_warning
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="sitroom: %(levelname)s: %(message)s", stream=sys.stderr)


for _command in (extract_commands.extract, extract_commands.stages, store_commands.ingest, store_commands.events,
                 store_commands.claims, store_commands.actors, serve.serve, train.train, watch.watch, watch.feeds,
                 watch.remerge):
    cli.add_command(_command)


def main() -> None:  # pragma: no cover - python -m sitroom
    cli(prog_name="sitroom")
