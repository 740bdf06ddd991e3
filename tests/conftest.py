"""Shared test helpers: skip-or-fail for real services, sample repositories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_gitenv import GitAction, GitEnv, GitObservation
from pytest_gitenv.samples import make_samples


def require(service: str, reason: str) -> None:
    """Skip when `service` is missing; fail instead when GITENV_REQUIRE names it (CI).

    GITENV_REQUIRE is a comma list such as ``gitea,docker``.
    """
    demanded = {s.strip() for s in os.environ.get("GITENV_REQUIRE", "").split(",") if s.strip()}
    if service in demanded:
        pytest.fail(f"{service} is required here (GITENV_REQUIRE) but unavailable: {reason}")
    pytest.skip(f"{service} unavailable: {reason}")


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_tasks() -> Path:
    """The project's tasks.yaml, with the sample repositories it names built."""
    make_samples(ROOT / "examples" / "repos")
    return ROOT / "tasks.yaml"


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedded store for the test session (kept out of the user's cache)."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture
def env(sample_tasks: Path, store_dir: Path, tmp_path: Path) -> Iterator[GitEnv]:
    with GitEnv.from_tasks(sample_tasks, workspace_dir=tmp_path / "ws", store_dir=store_dir) as environment:
        yield environment


def git_step(env: GitEnv, command: str, working_dir: str = "demo-lib") -> GitObservation:
    """Run one git command through the environment and return its observation."""
    return env.step(GitAction("execute_git_command", command=command, working_dir=working_dir)).observation
