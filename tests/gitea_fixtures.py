"""Session fixtures for a real Gitea: the binary (built once) and one BinaryGitea server.

Load them in a test module with ``pytest_plugins = ["tests.gitea_fixtures"]`` (one server per session).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pytest_gitenv.gitea import BinaryGitea, GiteaClient, GiteaUnavailable, ensure_gitea
from tests.conftest import require

__all__ = ["binary_gitea", "gitea_api", "gitea_binary", "make_git_repo"]


@pytest.fixture(scope="session")
def gitea_binary() -> Path:
    """The pinned Gitea binary (a Go build of several minutes on the first run)."""
    try:
        return ensure_gitea(progress=lambda line: None)
    except GiteaUnavailable as exc:
        require("gitea", str(exc))
        raise


@pytest.fixture(scope="session")
def binary_gitea(gitea_binary: Path) -> Iterator[BinaryGitea]:
    """One ``gitea web`` child for the whole session, stopped at the end."""
    server = BinaryGitea(gitea_binary)
    try:
        server.start()
    except GiteaUnavailable as exc:
        require("gitea", str(exc))
    yield server
    server.stop()


@pytest.fixture
def gitea_api(binary_gitea: BinaryGitea) -> GiteaClient:
    """A REST client for the session server, authenticated as its admin."""
    return GiteaClient(binary_gitea.url, binary_gitea.token)


@pytest.fixture
def make_git_repo() -> Callable[[Path, dict[str, str]], Path]:
    """``make_git_repo(path, files)``: a one-commit repository on ``main`` made with git."""
    return _make_git_repo


def _make_git_repo(path: Path, files: dict[str, str]) -> Path:
    env = {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
    }
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=path, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "initial"], cwd=path, check=True, env=env)
    return path
