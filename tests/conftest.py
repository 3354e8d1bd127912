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


@pytest.fixture(scope="session")
def spacy_model():
    """The bare English model, no sitroom stages; skips where it is not installed."""
    import spacy

    from sitroom.pipeline import DEFAULT_MODEL
    try:
        return spacy.load(DEFAULT_MODEL)
    except OSError:
        pytest.skip("English model not installed")


@pytest.fixture(scope="session")
def blank_en():
    """Blank English with a sentencizer: what sitroom runs on without the model."""
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
