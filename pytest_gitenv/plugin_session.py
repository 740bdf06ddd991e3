"""Per-process plugin state, loaded lazily: settings, the task suite, the backend, the task selection."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_gitenv.cachedir import cache_dir
from pytest_gitenv.env import GitEnv
from pytest_gitenv.plugin_backend import BackendChoice, BackendError, choose_backend
from pytest_gitenv.plugin_gitea import RunDir, SharedGitea
from pytest_gitenv.plugin_options import GitenvConfig
from pytest_gitenv.store import RepoStore
from pytest_gitenv.store.factory import open_store
from pytest_gitenv.tasks import Task, TasksFileError, TaskSuite, UnknownTaskError, load_tasks

STORE_DIR_KEY = "gitenv_store_dir"  # workerinput key: the controller's store directory
RUN_DIR_KEY = "gitenv_run_dir"  # workerinput key: the directory this run's processes share
USAGE_PREFIX = "gitenv: "  # every GitenvUsageError message starts with it


def default_store_dir() -> Path:
    """The embedded store shared by every run and xdist worker (imports are file-locked)."""
    return cache_dir() / "store"


def new_run_dir() -> Path:
    """A fresh path (not yet created) for one run's shared files."""
    return Path(tempfile.gettempdir()) / f"gitenv-run-{secrets.token_hex(6)}"


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
        self.gitea: SharedGitea | None = None
        workerinput = getattr(config, "workerinput", {})
        self.run = RunDir(Path(workerinput.get(RUN_DIR_KEY) or new_run_dir()), self.worker,
                          int(workerinput.get("workercount", 1)))
        self.store_dir = Path(workerinput.get(STORE_DIR_KEY) or default_store_dir())

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

    def prepare(self, store: bool = False) -> None:
        """Load settings and tasks (and with `store`, open the backend) once; a failure is raised again each call."""
        self.used = True
        if self._error is not None:
            raise self._error
        try:
            self.suite()
            self.selected()
            if store and not self.config.option.collectonly:
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

    @property
    def opened(self) -> BackendChoice | None:
        """The backend, if it has been opened."""
        return self._backend

    def backend(self) -> BackendChoice:
        if self._backend is None:
            try:
                self._backend = choose_backend(self.settings, self._open)
            except BackendError as exc:
                raise GitenvUsageError(f"{USAGE_PREFIX}{exc}") from None
        return self._backend

    def _open(self, name: str) -> RepoStore:
        """The store for backend `name`; Gitea backends share one server per run."""
        if name == "local":
            return open_store("local", self.suite(), store_dir=self.store_dir)
        cfg = self.settings
        self.gitea = SharedGitea(self.run, name, cfg.url, cfg.image, cfg.binary)
        return open_store("gitea", self.suite(), server=self.gitea.acquire(), store_dir=self.store_dir)

    def finish(self) -> None:
        """Session end: mark this process finished; the server's starter stops it once all are."""
        worker = hasattr(self.config, "workerinput")
        if worker or self.gitea is not None:
            self.run.finish()
        if self.gitea is not None:
            self.gitea.release()
        if not worker:  # the only process, or the xdist controller once every worker is done
            shutil.rmtree(self.run.path, ignore_errors=True)


@dataclass
class ItemEpisodes:
    """One test's environments and the records of its finished episodes."""

    envs: list[GitEnv] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


SESSION_KEY = pytest.StashKey[GitenvSession]()
ITEM_KEY = pytest.StashKey[ItemEpisodes]()
