"""What a git command runs with: its sandbox root, identity, clock and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .remotes import RemoteAccess

DEFAULT_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: fixed so SHAs are reproducible


@dataclass(frozen=True)
class Identity:
    """Author and committer identity used for commits and tags."""

    name: str = "Agent"
    email: str = "agent@gitenv.invalid"


class Clock(Protocol):
    def now(self) -> tuple[int, int]:
        """Return (unix seconds, timezone offset in seconds east of UTC)."""
        ...


@dataclass
class FixedClock:
    """Always the same instant, like git with GIT_AUTHOR_DATE/GIT_COMMITTER_DATE set."""

    timestamp: int = DEFAULT_EPOCH
    tz_offset: int = 0

    def now(self) -> tuple[int, int]:
        return self.timestamp, self.tz_offset


@dataclass
class TickingClock:
    """Advances by `step` seconds on every reading: deterministic yet ordered."""

    start: int = DEFAULT_EPOCH
    step: int = 1
    tz_offset: int = 0
    _ticks: int = field(default=0, repr=False)

    def now(self) -> tuple[int, int]:
        value = self.start + self._ticks * self.step
        self._ticks += 1
        return value, self.tz_offset


@dataclass
class CommandContext:
    """Everything a command may touch. Nothing outside `workspace` is read or written."""

    workspace: Path
    cwd: Path
    identity: Identity = field(default_factory=Identity)
    clock: Clock = field(default_factory=FixedClock)
    output_limit: int = 1 << 20
    time_limit: float = 30.0
    remotes: RemoteAccess | None = None  # remote repositories reachable by clone/fetch/push


@dataclass(frozen=True)
class CommandResult:
    """Exit status and captured output of one command, as git would print them."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0
