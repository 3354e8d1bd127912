"""sitroom's exceptions.

The library raises, it never prints or exits; batch runners catch `InputError`
per document and carry on (one broken page never stops a batch).

    SitroomError
      ConfigError
      InputError            a document that cannot be read or processed
        UnsupportedInput    not text at all (binary, directory, ...)
        ExtractionFailed    readable, but yields no article text
      DataFileError         a packaged or user data file is missing or corrupt
      PipelineError
      StoreError
        SchemaVersionError
      MissingExtra          an optional dependency is not installed
"""
from __future__ import annotations


class SitroomError(Exception):
    """Base of every error sitroom raises on purpose."""


class ConfigError(SitroomError):
    pass


class InputError(SitroomError):
    """A document that cannot be processed; `source` names it."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UnsupportedInput(InputError):
    pass


class ExtractionFailed(InputError):
    pass


class DataFileError(SitroomError):
    """A packaged or user data file that is missing or malformed; names the file and line."""

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}{f':{line}' if line else ''}: {problem}")


class PipelineError(SitroomError):
    pass


class StoreError(SitroomError):
    pass


class SchemaVersionError(StoreError):
    pass


class MissingExtra(SitroomError):
    def __init__(self, extra: str, module: str):
        super().__init__(
            f"the optional dependency {module!r} is not installed: "
            f'pip install "sitroom[{extra}]"'
        )
