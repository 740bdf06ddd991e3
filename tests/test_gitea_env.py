"""GitEnv on the Gitea backend: resets, per-episode isolation, remote checks, Gitea dying mid-run."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_gitenv import GitAction, GitEnv, GitObservation
from pytest_gitenv.gitea import BinaryGitea
from pytest_gitenv.gitea.isolation import EPISODE_OWNER
from pytest_gitenv.store.gitea import GiteaStore
from pytest_gitenv.tasks import load_tasks

pytest_plugins = ["tests.gitea_fixtures"]
pytestmark = pytest.mark.gitea


def _tasks(tmp: Path, sample_tasks: Path) -> Path:
    """A tasks file whose task is scored by the remote check kinds."""
    source = sample_tasks.parent / "examples/repos/demo-lib.git"
    path = tmp / "tasks.yaml"
    path.write_text(f"""version: 1
repos:
  demo-lib: {{source: {source}}}
tasks:
  publish:
    repo: demo-lib
    ref: main
    prompt: Push a branch "shipped" and publish main.
    checks:
      - remote_branch_exists: shipped
      - remote_ref_equals: {{ref: main, equals: HEAD}}
""")
    return path


@pytest.fixture
def store(binary_gitea: BinaryGitea, sample_tasks: Path, tmp_path: Path) -> GiteaStore:

    suite = load_tasks(_tasks(tmp_path, sample_tasks))
    return GiteaStore(binary_gitea, suite.repos, tmp_path / "cache", local_import=True)


@pytest.fixture
def make_env(store: GiteaStore, tmp_path: Path) -> Iterator:
    envs: list[GitEnv] = []

    def make(name: str = "ws") -> GitEnv:
        env = GitEnv(load_tasks(tmp_path / "tasks.yaml"), store, tmp_path / name, gitea_ready=True)
        envs.append(env)
        return env

    yield make
    for env in envs:
        env.close()


def git(env: GitEnv, command: str) -> GitObservation:
    return env.step(GitAction("execute_git_command", command=command, working_dir="demo-lib")).observation


def test_reset_restores_exact_state_after_pushes(make_env) -> None:
    env = make_env()
    env.reset("publish")
    start = env.fingerprint()
    assert env.state.backend == "gitea" and env.state.gitea_ready
    assert git(env, "commit --allow-empty -m one").success
    pushed = git(env, "push origin main:shipped")
    assert pushed.success, pushed.error
    assert "shipped" in git(env, "ls-remote --heads").output
    url = git(env, "ls-remote --get-url").output.strip()
    cloned = env.step(GitAction("execute_git_command", command=f"clone {url} two")).observation
    assert cloned.success, cloned.error
    env.step(GitAction("write_file", path="two/new.txt", content="new\n"))
    for command in ("add new.txt", "commit -m new", "push"):
        step = env.step(GitAction("execute_git_command", command=command, working_dir="two")).observation
        assert step.success, step.error
    fetched = git(env, "fetch")
    assert fetched.success and "main       -> origin/main" in fetched.error
    assert git(env, "reset --hard origin/main").success and (env.workspace_dir / "demo-lib/new.txt").exists()
    env.reset("publish")
    assert env.fingerprint() == start
    assert "refs/heads/shipped" not in git(env, "ls-remote --heads").output


def test_parallel_episodes_never_see_each_others_pushes(make_env, store: GiteaStore) -> None:
    first, second = make_env("a"), make_env("b")
    first.reset("publish")
    second.reset("publish")
    base = git(first, "ls-remote").output
    assert git(first, "checkout -b shipped").success and git(first, "commit --allow-empty -m a").success
    assert git(first, "push -u origin shipped").success
    assert git(second, "commit --allow-empty -m b").success
    assert git(second, "push").success
    assert "refs/heads/shipped" in git(first, "ls-remote").output
    assert "refs/heads/shipped" not in git(second, "ls-remote").output
    assert git(second, "fetch").error == ""
    assert git(first, "rev-parse origin/main").output != git(second, "rev-parse origin/main").output
    copies = {r["name"] for r in store.client.list_repos(EPISODE_OWNER)}
    assert {first.state.episode_id[:12], second.state.episode_id[:12]} <= {c[-12:] for c in copies}
    first.close()
    second.close()
    left = {r["name"] for r in store.client.list_repos(EPISODE_OWNER)}
    assert not (left & copies), "episode copies must be deleted when episodes end"
    fresh = make_env("d")
    fresh.reset("publish")
    assert git(fresh, "ls-remote").output == base


def test_remote_checks_score_the_episodes_pushes(make_env) -> None:
    env = make_env()
    env.reset("publish")
    result = env.step(GitAction("submit"))
    assert result.reward == 0.5 and "does not exist on origin" in result.observation.message
    env.reset("publish")
    git(env, "commit --allow-empty -m work")
    assert git(env, "push origin main main:shipped").success
    result = env.step(GitAction("submit"))
    assert result.reward == 1.0, result.observation.message


def test_gitea_dying_mid_run_fails_steps_quickly_and_reset_reconnects(
        gitea_binary: Path, sample_tasks: Path, tmp_path: Path) -> None:

    server = BinaryGitea(gitea_binary, data_dir=tmp_path / "gitea").start()
    try:
        suite = load_tasks(_tasks(tmp_path, sample_tasks))
        store = GiteaStore(server, suite.repos, tmp_path / "cache", local_import=True, timeout=3.0)
        with GitEnv(suite, store, tmp_path / "ws") as env:
            env.reset("publish")
            assert git(env, "commit --allow-empty -m one").success
            os.killpg(server.pid, signal.SIGKILL)
            started = time.monotonic()
            failed = git(env, "push")
            assert not failed.success and "unable to access" in failed.error
            assert store.server.token not in failed.error
            assert git(env, "status").success  # local work goes on
            listing = env.step(GitAction("list_repos")).observation
            assert not listing.success and "not answering" in listing.error
            assert time.monotonic() - started < 10
            started = time.monotonic()
            env.reset("publish")  # cached objects: no Gitea needed
            assert time.monotonic() - started < 10
            server.restart()
            env.reset("publish")
            assert git(env, "commit --allow-empty -m two").success
            pushed = git(env, "push")
            assert pushed.success, pushed.error
            os.killpg(server.pid, signal.SIGSTOP)  # hung, not dead: the timeout bounds the step
            started = time.monotonic()
            hung = git(env, "ls-remote")
            assert not hung.success and time.monotonic() - started < 30
            os.killpg(server.pid, signal.SIGCONT)
    finally:
        server.stop()


def test_prune_removes_copies_left_by_killed_runs(store: GiteaStore) -> None:
    from pytest_gitenv.gitea.isolation import EpisodeRemotes, prune_copies

    owner = f"ep-{uuid.uuid4().hex[:8]}"  # its own owner: pruning never touches other tests' copies
    remotes = EpisodeRemotes(store, "f" * 32, owner=owner)
    remotes.resolve(store.ensure("demo-lib").clone_url, push=True)  # a first push made the copy ...
    copy = remotes.copies["demo-lib"]  # ... and the run died before close()
    assert prune_copies(store, older_than=3600, owner=owner) == []
    assert prune_copies(store, older_than=-60, owner=owner) == [copy]
    assert store.client.get_repo(owner, copy) is None


def test_docker_backend_end_to_end(sample_tasks: Path, tmp_path: Path) -> None:
    """backend="docker": a private container Gitea that cannot read our paths (migrations push)."""
    from pytest_gitenv.gitea.container import default_image, docker_available
    from pytest_gitenv.gitea.launcher import GiteaUnavailable
    from pytest_gitenv.store.factory import open_store
    from tests.conftest import require

    if not docker_available():
        require("docker", "no Docker engine answers; run `sudo scripts/start_dockerd.sh`")
    suite = load_tasks(sample_tasks)
    try:
        store = open_store("docker", suite, store_dir=tmp_path, gitea_image=default_image())
    except GiteaUnavailable as exc:
        require("docker", str(exc))
    try:
        assert isinstance(store, GiteaStore) and not store.migrator.local_import
        with GitEnv(suite, store, tmp_path / "ws") as env:
            env.reset("bug_fix")
            assert [r["name"] for r in env.step(GitAction("list_repos")).observation.repos] == ["demo-lib", "docs-site"]
            assert git(env, "commit --allow-empty -m x").success
            pushed = git(env, "push")
            assert pushed.success and "main -> main" in pushed.error
        assert [m.action for m in store.migrations] == ["created", "created"]
    finally:
        store.close()
    assert not store.server.healthy()
