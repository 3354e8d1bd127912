"""Hand-built layer records for stage tests: the keys a test names, every other required key blank.

Stages read required keys without guards, so a Doc built by hand must carry whole records.
"""
from __future__ import annotations

import typing


def blank(tp):
    """The emptiest value of an annotated type: None where allowed, else "", 0, False, [] or the first literal."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union and type(None) in args:
        return None
    if origin is typing.Literal:
        return args[0]
    if origin is list:
        return []
    return {str: "", int: 0, float: 0.0, bool: False}[tp]


def record(td, **given):
    """A record of the TypedDict `td`: `given`, then a blank value for every required key not given."""
    hints = typing.get_type_hints(td)
    return {**{k: blank(t) for k, t in hints.items() if k in td.__required_keys__ and k not in given}, **given}
