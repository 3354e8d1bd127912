"""The only conftest: shared fixtures for every test module."""
from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="session")
def nlp():
    """The full default pipeline, loaded once per test session."""
    from sitroom.pipeline import load_pipeline
    return load_pipeline()


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def invoke(runner):
    """Run the CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from sitroom.cli import cli

    def _invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return _invoke
