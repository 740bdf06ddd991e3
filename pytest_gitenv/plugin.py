"""pytest plugin (registered through the pytest11 entry point; disable with ``-p no:gitenv``).

Nothing is read until a collected test uses one of the fixtures below: then the tasks file is
loaded, the backend chosen, and any problem with them is reported once as a collection error.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from pytest_gitenv import plugin_fixtures
from pytest_gitenv.plugin_fixtures import (
    git_env,
    git_env_factory,
    gitea,
    gitenv_config,
    gitenv_store,
    gitenv_task,
    gitenv_tasks,
    marker_tasks,
)
from pytest_gitenv.plugin_options import add_options
from pytest_gitenv.plugin_reporter import EpisodeReporter
from pytest_gitenv.plugin_session import (
    ITEM_KEY,
    RUN_DIR_KEY,
    SESSION_KEY,
    STORE_DIR_KEY,
    GitenvSession,
    GitenvUsageError,
    ItemEpisodes,
)
from pytest_gitenv.report import last_steps

FIXTURES = frozenset(f.__name__ for f in (git_env, git_env_factory, gitea, gitenv_config, gitenv_store,
                                          gitenv_task, gitenv_tasks))
_REPORTED = pytest.StashKey[set[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gitenv_task(*names): run this test on these tasks instead of --gitenv-task's")
    config.stash[SESSION_KEY] = GitenvSession(config)
    config.stash[_REPORTED] = set()
    if not _is_worker(config):
        config.pluginmanager.register(EpisodeReporter(config), "gitenv-reporter")


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: workers share its store directory and run directory (for one Gitea)."""
    session = node.config.stash[SESSION_KEY]
    node.workerinput[STORE_DIR_KEY] = str(session.store_dir)
    node.workerinput[RUN_DIR_KEY] = str(session.run.path)


def pytest_sessionfinish(session: pytest.Session) -> None:
    session.config.stash[SESSION_KEY].finish()


def _uses_gitenv(metafunc: pytest.Metafunc) -> bool:
    """True when the test uses one of our fixtures (not a conftest's fixture of the same name)."""
    defs = metafunc._arg2fixturedefs  # pytest has no public view of which fixture definition wins
    return any(defs.get(name) and defs[name][-1].func.__module__ == plugin_fixtures.__name__
               for name in FIXTURES.intersection(metafunc.fixturenames))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Load tasks on first use; parametrize ``gitenv_task`` (and so ``git_env``) by task name."""
    if not _uses_gitenv(metafunc):
        return
    session = metafunc.config.stash[SESSION_KEY]
    try:
        session.prepare(store="gitenv_store" in metafunc.fixturenames)
        if "gitenv_task" in metafunc.fixturenames:
            tasks = session.selected(marker_tasks(metafunc.definition))
            metafunc.parametrize("gitenv_task", tasks, ids=[t.name for t in tasks], indirect=True)
    except GitenvUsageError as exc:
        # One error for the run: xdist merges identical reports from workers; alone we raise once.
        reported = metafunc.config.stash[_REPORTED]
        if _is_worker(metafunc.config) or str(exc) not in reported:
            reported.add(str(exc))
            raise pytest.Collector.CollectError(str(exc)) from None


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    session = config.stash[SESSION_KEY]
    if not session.used or config.stash[_REPORTED]:
        return []
    suite, selected = session.suite(), ", ".join(t.name for t in session.selected())
    lines = [f"gitenv: {len(suite.tasks)} tasks in {suite.path}; selected: {selected}"]
    if session.opened:
        lines.append(f"gitenv: backend {session.opened.name}: {session.opened.reason}")
    return lines


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Failing tests show their episodes' last steps; teardown reports carry the episode records."""
    report: pytest.TestReport = yield
    episodes = item.stash.get(ITEM_KEY, None)
    if episodes is None:
        return report
    if report.failed and report.when == "call":
        for text in _last_steps(episodes):
            report.sections.append(("gitenv episode", text))
    if report.when == "teardown" and episodes.records:
        report.gitenv_episodes = episodes.records  # type: ignore[attr-defined]
        report.gitenv_backend = item.config.stash[SESSION_KEY].backend().describe()  # type: ignore[attr-defined]
    return report


def _last_steps(episodes: ItemEpisodes) -> list[str]:
    live = [env.episode for env in episodes.envs if env.episode is not None]
    if live:
        return [last_steps(e.task_id, e.steps) for e in live]
    return [last_steps(r["task_id"], r["steps"]) for r in episodes.records[-1:]]
