"""What every `sitroom` command shares: the one error path, date options, stderr messages.

Command modules import this, never `sitroom.cli` itself, so the package's `__init__`
can import them to register their commands without an import cycle.
"""
from __future__ import annotations

import click

from ..errors import SitroomError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def say(message: str) -> None:
    """A message for the user, on stderr: `sitroom: ...` (data goes to stdout)."""
    click.echo(f"sitroom: {message}", err=True)


def report_error(message: str) -> None:
    """One error line on stderr; the batch goes on (a failed document, an unreadable input)."""
    say(f"error: {message}")


class CommandError(click.ClickException):
    """A command that cannot go on: one `sitroom: error: ...` line, exit status 1."""

    def show(self, file=None) -> None:
        report_error(self.format_message())


class SitroomGroup(click.Group):
    """The command group, and the CLI's one error path.

    Any `SitroomError` a command lets out (a broken data file, a database that cannot
    be opened, a bad configuration) becomes one `sitroom: error: ...` line and exit
    status 1, as datasette turns library errors into `ClickException`s; other
    exceptions are bugs and keep their traceback.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SitroomError as err:
            raise CommandError(str(err)) from err


def check_date(value: str | None, option: str) -> None:
    """A usage error (exit status 2) unless `value` is None or a YYYY-MM-DD date."""
    from datetime import date
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint=option) from None


def _default_jobs() -> int:
    from ..parallel import cores
    return cores()


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=_default_jobs, show_default="the number of cores",
    help="Worker processes, each with its own copy of the model (~0.3 GB); 1 runs in this process. "
         "Inputs of fewer than 32 documents always run in this process.")


def _budget(ctx, param, value: float) -> float:
    from ..sources import check_budget
    return check_budget(value)


budget_option = click.option(
    "--doc-budget", "budget_s", type=float, default=30.0, envvar="SITROOM_DOC_BUDGET", show_default=True,
    metavar="SECONDS", callback=_budget,
    help="Wall-clock seconds one document's extraction may take ($SITROOM_DOC_BUDGET); one over it is "
         "reported as that document's error and the batch goes on.")
