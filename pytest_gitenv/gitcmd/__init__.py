"""In-process, sandboxed git commands with git-faithful output (see runner.run_git)."""

from .context import CommandContext, CommandResult, FixedClock, Identity, TickingClock
from .runner import forget, run_git

__all__ = ["CommandContext", "CommandResult", "FixedClock", "Identity", "TickingClock", "forget", "run_git"]
