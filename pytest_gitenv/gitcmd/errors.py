"""The exception commands raise to end with git's message and exit status."""

from __future__ import annotations


class GitError(Exception):
    """Stop the command: print `stderr` (and any `stdout` so far) and exit with `exit_code`."""

    def __init__(self, stderr: str, exit_code: int = 128, stdout: str = "") -> None:
        super().__init__(stderr)
        self.stderr = stderr
        self.exit_code = exit_code
        self.stdout = stdout


def fatal(message: str) -> GitError:
    """git's `die()`: "fatal: <message>", exit 128."""
    return GitError(f"fatal: {message}\n", 128)
