"""Per-process plugin state, loaded lazily: settings, the task suite, the backend, the task selection."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_gitenv.cachedir import cache_dir
from pytest_gitenv.env import GitEnv
from pytest_gitenv.plugin_backend import BackendChoice, BackendError, choose_backend
from pytest_gitenv.plugin_options import GitenvConfig
from pytest_gitenv.tasks import Task, TasksFileError, TaskSuite, UnknownTaskError, load_tasks

STORE_DIR_KEY = "gitenv_store_dir"  # workerinput key: the controller's store directory
USAGE_PREFIX = "gitenv: "  # every GitenvUsageError message starts with it


def default_store_dir() -> Path:
    """The embedded store shared by every run and xdist worker (imports are file-locked)."""
    return cache_dir() / "store"


class GitenvUsageError(Exception):
    """A problem with the plugin's settings or tasks file, reported once for the whole run."""


class GitenvSession:
    """What the plugin knows in this process; nothing is read until a gitenv fixture needs it."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.used = False
        self._settings: GitenvConfig | None = None
        self._suite: TaskSuite | None = None
        self._backend: BackendChoice | None = None
        self._error: GitenvUsageError | None = None

    @property
    def worker(self) -> str:
        """The xdist worker id (``gw0``...), or ``main`` without xdist."""
        return str(getattr(self.config, "workerinput", {}).get("workerid", "main"))

    @property
    def settings(self) -> GitenvConfig:
        if self._settings is None:
            try:
                self._settings = GitenvConfig.from_pytest(self.config)
            except pytest.UsageError as exc:
                raise GitenvUsageError(f"{USAGE_PREFIX}{exc}") from None
        return self._settings

    def prepare(self) -> None:
        """Load settings, tasks and backend once; a failure is remembered and raised again each call."""
        self.used = True
        if self._error is not None:
            raise self._error
        try:
            self.suite()
            self.selected()
            self.backend()
        except GitenvUsageError as exc:
            self._error = exc
            raise

    def suite(self) -> TaskSuite:
        if self._suite is None:
            try:
                self._suite = load_tasks(self.settings.tasks_path)
            except TasksFileError as exc:
                raise GitenvUsageError(f"{USAGE_PREFIX}invalid tasks file {exc}") from None
        return self._suite

    def selected(self, names: tuple[str, ...] = ()) -> list[Task]:
        """The tasks `names` (a marker's), else --gitenv-task's; unknown names list the known ones."""
        suite = self.suite()
        if not names:
            wanted = self.settings.task or "all"
            names = tuple(suite.tasks) if wanted == "all" else tuple(n.strip() for n in wanted.split(",") if n.strip())
        try:
            return [suite.task(name) for name in names]
        except UnknownTaskError as exc:
            raise GitenvUsageError(f"{USAGE_PREFIX}{exc}") from None

    def backend(self) -> BackendChoice:
        if self._backend is None:
            given = getattr(self.config, "workerinput", {}).get(STORE_DIR_KEY)
            store_dir = Path(given) if given else default_store_dir()
            try:
                self._backend = choose_backend(self.settings, store_dir)
            except BackendError as exc:
                raise GitenvUsageError(f"{USAGE_PREFIX}{exc}") from None
        return self._backend


@dataclass
class ItemEpisodes:
    """One test's environments and the records of its finished episodes."""

    envs: list[GitEnv] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


SESSION_KEY = pytest.StashKey[GitenvSession]()
ITEM_KEY = pytest.StashKey[ItemEpisodes]()
