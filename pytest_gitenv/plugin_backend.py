"""Choosing where the tasks' repositories live: the backend name, why, and its opened store."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

from pytest_gitenv.gitea.launcher import GiteaError, GiteaUnavailable
from pytest_gitenv.plugin_options import GitenvConfig
from pytest_gitenv.store import RepoStore

Opener = Callable[[str], RepoStore]  # backend name -> its store (raises when it cannot be opened)
_CANNOT_OPEN = (ValueError, GiteaUnavailable, GiteaError)


class BackendError(Exception):
    """The requested backend cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class BackendChoice:
    """The backend in use, a one-line reason, and the store opened for it."""

    name: str
    reason: str
    store: RepoStore

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "reason": self.reason}


def _docker_reachable() -> bool:
    from pytest_gitenv.gitea.container import docker_available

    return docker_available()


def _candidates(cfg: GitenvConfig) -> list[tuple[str, str | None, str]]:
    """auto's candidates in order: (name, why it applies or None, why it does not)."""
    binary = cfg.binary or shutil.which("gitea")
    return [
        ("url", f"--gitenv-url {cfg.url} given" if cfg.url else None, "no --gitenv-url"),
        ("docker", "a Docker engine answers" if _docker_reachable() else None, "no Docker engine"),
        ("binary", f"gitea binary at {binary}" if binary else None, "no gitea binary on PATH"),
        ("local", "the embedded on-disk store", ""),
    ]


def choose_backend(cfg: GitenvConfig, opener: Opener) -> BackendChoice:
    """The backend asked for, or for ``auto`` the first of url, docker, binary, local that opens."""
    if cfg.backend != "auto":
        try:
            return BackendChoice(cfg.backend, f"--gitenv-backend={cfg.backend}", opener(cfg.backend))
        except _CANNOT_OPEN as exc:
            raise BackendError(f"--gitenv-backend={cfg.backend} cannot be used: {exc} "
                               "(hint: --gitenv-backend=local uses the embedded store)") from None
    passed: list[str] = []
    for name, why, why_not in _candidates(cfg):
        if why is None:
            passed.append(why_not)
            continue
        try:
            store = opener(name)
        except _CANNOT_OPEN as exc:
            passed.append(f"{why}, but: {exc}")
            continue
        skipped = f" ({'; '.join(passed)})" if passed else ""
        return BackendChoice(name, f"auto: {why}{skipped}", store)
    raise BackendError("auto: no backend could be opened: " + "; ".join(passed))
