"""Open the repository store a backend name asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_gitenv.store import RepoStore
from pytest_gitenv.tasks import TaskSuite

BACKENDS = ("local",)


def open_store(backend: str, suite: TaskSuite, *, store_dir: Path | None = None, **options: Any) -> RepoStore:
    """A store holding `suite`'s repositories; `backend` is one of BACKENDS."""
    if backend == "local":
        from pytest_gitenv.store.local import LocalStore

        return LocalStore(suite.repos, store_dir, **options)
    raise ValueError(f"unknown backend {backend!r}; available: {', '.join(BACKENDS)}")
