"""The plugin's fixtures: settings, tasks and store per session; tasks and environments per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pytest_gitenv.env import EpisodeRecord, GitEnv
from pytest_gitenv.gitea.launcher import GiteaServer
from pytest_gitenv.plugin_options import GitenvConfig
from pytest_gitenv.plugin_session import ITEM_KEY, SESSION_KEY, GitenvSession, GitenvUsageError, ItemEpisodes
from pytest_gitenv.report import episode_dict
from pytest_gitenv.store import RepoStore
from pytest_gitenv.tasks import Task, TaskSuite

GitEnvFactory = Callable[..., GitEnv]


def _session(config: pytest.Config, store: bool = False) -> GitenvSession:
    session = config.stash[SESSION_KEY]
    try:
        session.prepare(store)
    except GitenvUsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    return session


def marker_tasks(node: pytest.Item | pytest.Function) -> tuple[str, ...]:
    """The task names given by the closest ``@pytest.mark.gitenv_task(...)``, if any."""
    marker = node.get_closest_marker("gitenv_task")
    return tuple(marker.args) if marker else ()


@pytest.fixture(scope="session")
def gitenv_config(pytestconfig: pytest.Config) -> GitenvConfig:
    """The plugin's settings for this run (command line over ini over defaults)."""
    return _session(pytestconfig).settings


@pytest.fixture(scope="session")
def gitenv_tasks(pytestconfig: pytest.Config) -> TaskSuite:
    """Every task of the tasks file, loaded once."""
    return _session(pytestconfig).suite()


@pytest.fixture(scope="session")
def gitenv_store(pytestconfig: pytest.Config) -> RepoStore:
    """The repository store; the selected tasks' repositories are imported once per session."""
    session = _session(pytestconfig, store=True)
    store = session.backend().store
    for repo in dict.fromkeys(task.repo for task in session.selected()):
        store.ensure(repo)
    return store


@pytest.fixture(scope="session")
def gitea(gitenv_store: RepoStore, pytestconfig: pytest.Config) -> GiteaServer:
    """The Gitea server behind the store (Gitea backends only; skipped with the embedded store)."""
    server = getattr(gitenv_store, "server", None)
    if server is None:
        choice = _session(pytestconfig).backend()
        pytest.skip(f"no Gitea server: backend {choice.name!r} ({choice.reason}); "
                    "use --gitenv-backend=docker, binary or url")
    return server


@pytest.fixture
def gitenv_task(request: pytest.FixtureRequest) -> Task:
    """This test's task: its parameter (one per selected task), else the first selected one."""
    if hasattr(request, "param"):
        return request.param
    return _session(request.config).selected(marker_tasks(request.node))[0]


@pytest.fixture
def git_env_factory(request: pytest.FixtureRequest, tmp_path: Path, gitenv_tasks: TaskSuite,
                    gitenv_store: RepoStore) -> Iterator[GitEnvFactory]:
    """``make(task=None, *, seed=None)``: a new GitEnv reset to `task` (default: this test's task, if any).

    Every episode is recorded for the report; environments are closed (an unsubmitted episode
    is scored) and their workspaces removed at teardown unless --gitenv-keep-workspaces.
    """
    session = _session(request.config)
    episodes = request.node.stash.setdefault(ITEM_KEY, ItemEpisodes())
    keep = session.settings.keep_workspaces
    made: list[tuple[GitEnv, Path]] = []

    def make(task: str | None = None, *, seed: int | None = None) -> GitEnv:
        if task is None and "gitenv_task" in request.fixturenames:
            task = request.getfixturevalue("gitenv_task").name
        workspace = tmp_path / f"gitenv-{session.worker}-{len(made)}"
        env = GitEnv(gitenv_tasks, gitenv_store, workspace, gitea_ready=gitenv_store.kind == "gitea")

        def record(episode: EpisodeRecord) -> None:
            episodes.records.append(episode_dict(episode, test=request.node.nodeid, worker=session.worker,
                                                 fingerprint=env.fingerprint(),
                                                 workspace=str(workspace) if keep else None))

        env.on_episode_end.append(record)
        made.append((env, workspace))
        episodes.envs.append(env)
        if task is not None:
            env.reset(task, seed=seed)
        return env

    yield make
    for env, workspace in made:
        env.close()
        if not keep:
            shutil.rmtree(workspace, ignore_errors=True)


@pytest.fixture
def git_env(git_env_factory: GitEnvFactory, gitenv_task: Task) -> GitEnv:
    """A GitEnv in ``tmp_path``, already reset to this test's task; closed (and scored) at teardown."""
    return git_env_factory(gitenv_task.name)
