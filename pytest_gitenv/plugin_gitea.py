"""One Gitea server per test run, shared by every xdist worker.

The first process that needs it starts it (under a file lock in the run directory the controller
hands to its workers) and records its URL and token there; the others connect to it as an
``ExternalGitea``. Every process marks itself finished at session end; the starting process then
waits until all ``workercount`` processes are finished before it stops the server, so the server
outlives every worker that may still use it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from pytest_gitenv.cachedir import file_lock
from pytest_gitenv.gitea.launcher import ExternalGitea, GiteaServer, is_healthy
from pytest_gitenv.processes import pid_alive

_STATE = "gitea.json"


@dataclass
class RunDir:
    """The directory shared by this run's processes, this process's name, and how many there are."""

    path: Path
    worker: str
    workers: int

    def create(self) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)

    def finish(self) -> None:
        """Mark this process finished (it will not use the server again)."""
        self.create()
        (self.path / f"finished-{self.worker}").touch()

    def all_finished(self) -> bool:
        return len(list(self.path.glob("finished-*"))) >= self.workers


def start_server(backend: str, url: str | None, image: str | None, binary: str | None) -> GiteaServer:
    """Start (or for ``url`` connect to) the Gitea that backend `backend` names."""
    if backend == "url":
        return ExternalGitea(url).start()
    if backend == "binary":
        from pytest_gitenv.gitea.binary import BinaryGitea

        return BinaryGitea(binary).start()
    from pytest_gitenv.gitea.container import ContainerGitea

    return ContainerGitea(image).start()


class SharedGitea:
    """The run's Gitea: started by the first process to `acquire()` it, stopped by that process last."""

    def __init__(self, run: RunDir, backend: str, url: str | None, image: str | None, binary: str | None) -> None:
        self.run, self.settings = run, (backend, url, image, binary)
        self.server: GiteaServer | None = None
        self.owner = False

    def acquire(self) -> GiteaServer:
        """The shared server: joined when a live one is recorded, else started and recorded."""
        if self.server is not None:
            return self.server
        self.run.create()
        state_file = self.run.path / _STATE
        with file_lock(self.run.path / "gitea.lock"):
            state = json.loads(state_file.read_text()) if state_file.exists() else None
            if state and is_healthy(state["url"]):
                self.server = ExternalGitea(state["url"], token=state["token"], username=state["admin_user"],
                                            env_file=None).start()
            else:
                self.server, self.owner = start_server(*self.settings), True
                state = {"url": self.server.url, "token": self.server.token, "admin_user": self.server.admin_user}
                with os.fdopen(os.open(state_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
                    json.dump(state, out)
        return self.server

    def release(self, poll: float = 0.2, timeout: float = 600.0) -> None:
        """At session end: the starting process waits for every process to finish, then stops the server.

        It stops waiting early if its parent (the xdist controller) is gone, or after `timeout`
        seconds (a worker that crashed for good never finishes).
        """
        if not self.owner or self.server is None:
            return
        parent, deadline = os.getppid(), time.monotonic() + timeout
        while not self.run.all_finished() and pid_alive(parent) and time.monotonic() < deadline:
            time.sleep(poll)
        self.server.stop()
        (self.run.path / _STATE).unlink(missing_ok=True)
        self.server, self.owner = None, False


