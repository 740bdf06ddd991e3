"""Cooperative time limit for one command: long loops call `check()`."""

from __future__ import annotations

import time
from contextvars import ContextVar

from .errors import GitError

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("gitcmd_deadline", default=None)


def start(seconds: float) -> object:
    """Arm the deadline `seconds` from now; returns a token for `stop`."""
    return _DEADLINE.set((time.monotonic() + seconds, seconds))


def stop(token: object) -> None:
    _DEADLINE.reset(token)  # type: ignore[arg-type]


def check() -> None:
    """Raise git-style fatal error when the running command is past its deadline."""
    armed = _DEADLINE.get()
    if armed is not None and time.monotonic() > armed[0]:
        raise GitError(f"fatal: command timed out after {armed[1]:g} s\n", 128)
