"""GitEnv: reset / step / state / close over a repository store and fast workspaces."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dulwich.object_store import BaseObjectStore
from dulwich.repo import Repo

from pytest_gitenv import fileactions
from pytest_gitenv.checks import CheckContext, CheckResult, evaluate, reward
from pytest_gitenv.fingerprint import fingerprint_tree
from pytest_gitenv.gitcmd import CommandContext, Identity, TickingClock, forget, run_git
from pytest_gitenv.gitcmd.context import DEFAULT_EPOCH
from pytest_gitenv.gitcmd.remotes import RemoteAccess
from pytest_gitenv.models import ACTION_TYPES, GitAction, GitObservation, GitState, StepResult
from pytest_gitenv.sources import resolve_commit
from pytest_gitenv.store import RepoStore, StoredRepo
from pytest_gitenv.store.factory import open_store
from pytest_gitenv.tasks import SetupStep, Task, TaskSuite, load_tasks, suite_from_task_repos
from pytest_gitenv.workspace.layout import StartState
from pytest_gitenv.workspace.pristine import Pristine
from pytest_gitenv.workspace.workspace import Workspace

STORE_OPTIONS = ("gitea_url", "gitea_token", "gitea_image", "gitea_binary", "server", "progress")  # -> open_store
SETUP_CLOCK_START = DEFAULT_EPOCH - 86_400  # setup commits happen "the day before" the episode


class GitEnvError(RuntimeError):
    """Misuse of the environment (stepping before reset or after the episode ended)."""


class SetupError(RuntimeError):
    """A task's setup step did not do what the task file says."""


@dataclass
class EpisodeRecord:
    """What happened in one episode (the pytest plugin reports these)."""

    task_id: str | None
    seed: int | None
    episode_id: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    reward: float | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    duration: float = 0.0


class GitEnv:
    """A Git environment for agents. See DESIGN.md for the public contract."""

    def __init__(self, suite: TaskSuite, store: RepoStore, workspace_dir: str | os.PathLike[str] | None = None,
                 *, identity: Identity | None = None, clock_start: int = DEFAULT_EPOCH,
                 gitea_ready: bool = False) -> None:
        self.suite = suite
        self.store = store
        self._owns_dir = workspace_dir is None
        self._owns_store = False  # from_tasks opened it: close() closes it (stops a private Gitea)
        self.workspace_dir = Path(workspace_dir or tempfile.mkdtemp(prefix="gitenv-")).resolve()
        self.workspace_dir.mkdir(parents=True, exist_ok=True)
        self.identity = identity or Identity()
        self.clock_start = clock_start
        self._gitea_ready = gitea_ready
        self._workspaces: dict[str, Workspace] = {}  # repo dir name -> workspace
        self._stores: dict[str, Repo] = {}  # store repositories, opened once
        self._pristine: dict[tuple[str, str], Pristine] = {}  # (repo dir, task) -> state
        self._task: Task | None = None
        self._state = GitState(workspace_path=str(self.workspace_dir), backend=store.kind,
                               gitea_ready=gitea_ready)
        self._clock = TickingClock(start=clock_start)
        self.episode: EpisodeRecord | None = None
        self._remotes: RemoteAccess | None = None  # Gitea stores: this episode's remote access
        self.on_episode_end: list[Callable[[EpisodeRecord], None]] = []

    @classmethod
    def from_tasks(cls, path: str | os.PathLike[str] | None = "tasks.yaml",
                   workspace_dir: str | os.PathLike[str] | None = None, backend: str = "local",
                   *, store_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> GitEnv:
        """Load tasks (or the seed's TASK_REPOS variable when `path` is None) and open a store."""
        if path is None:
            suite = suite_from_task_repos(os.environ.get("TASK_REPOS", "{}"),
                                          Path(os.environ.get("GITENV_REPOS_DIR", ".")).resolve())
        else:
            suite = load_tasks(path)
        store_options = {k: kwargs.pop(k) for k in STORE_OPTIONS if k in kwargs}
        store = open_store(backend, suite, store_dir=Path(store_dir) if store_dir else None, **store_options)
        kwargs.setdefault("gitea_ready", store.kind == "gitea")
        env = cls(suite, store, workspace_dir, **kwargs)
        env._owns_store = True
        return env

    # --- public API -----------------------------------------------------------------------

    @property
    def state(self) -> GitState:
        return self._state

    def reset(self, task_id: str | None = None, *, seed: int | None = None,
              episode_id: str | None = None) -> StepResult:
        """Start an episode: the workspace holds exactly the task's start state."""
        self._finish_episode()
        task = self.suite.task(task_id) if task_id is not None else None
        self._clock = TickingClock(start=self.clock_start)
        keep = self._prepare_task(task) if task else None
        self._clear_workspace(keep)
        self._task = task
        episode_id = episode_id or uuid.uuid4().hex
        open_remotes = getattr(self.store, "episode_remotes", None)
        self._remotes = open_remotes(episode_id) if open_remotes else None
        self._state = GitState(episode_id=episode_id, step_count=0, gitea_ready=self._gitea_ready,
                               workspace_path=str(self.workspace_dir), task_id=task_id, seed=seed,
                               backend=self.store.kind, max_steps=task.max_steps if task else None)
        self.episode = EpisodeRecord(task_id, seed, episode_id)
        message = f"Workspace ready at {self.workspace_dir}."
        if task:
            message = f"Task {task.name}: repository {task.repo!r} is ready in ./{task.repo}.\n{task.prompt}"
        return StepResult(GitObservation(success=True, message=message.strip()), reward=0.0, done=False)

    def step(self, action: GitAction | dict[str, Any]) -> StepResult:
        """Apply one action; after `submit` or `max_steps` the episode is done and scored."""
        if isinstance(action, dict):
            action = GitAction.from_dict(action)
        if self._state.done:
            raise GitEnvError("the episode is over (submitted or out of steps); call reset() to start a new one")
        if self.episode is None:
            raise GitEnvError("call reset() before step()")
        self._state.step_count += 1
        observation = self._act(action)
        done = observation.done
        if not done and self._state.max_steps and self._state.step_count >= self._state.max_steps:
            scored = self._score(f"Out of steps ({self._state.max_steps}).")
            observation.message = "\n".join(m for m in (observation.message, scored.message) if m)
            observation.checks, observation.reward, observation.done = scored.checks, scored.reward, True
            done = True
        self._state.done = done
        value = observation.reward if done and observation.reward is not None else 0.0
        self.episode.steps.append({"action": action.to_dict(), "observation": observation.to_dict()})
        if done:
            self._finish_episode()
        return StepResult(observation, reward=value, done=done)

    def fingerprint(self) -> str:
        """A digest of everything in the workspace: refs, index, worktree, stash, config, hooks..."""
        return fingerprint_tree(self.workspace_dir)

    def close(self) -> None:
        self._finish_episode()
        for workspace in self._workspaces.values():
            forget(workspace.path)
            workspace.close()
        self._workspaces.clear()
        for repo in self._stores.values():
            repo.close()
        self._stores.clear()
        if self._owns_dir:
            shutil.rmtree(self.workspace_dir, ignore_errors=True)
        close_store = getattr(self.store, "close", None)
        if self._owns_store and close_store:
            close_store()

    def __enter__(self) -> GitEnv:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- actions --------------------------------------------------------------------------

    def _act(self, action: GitAction) -> GitObservation:
        handler = getattr(self, f"_do_{action.action_type}", None)
        if action.action_type not in ACTION_TYPES or handler is None:
            return GitObservation(False, error=f"unknown action_type {action.action_type!r}; "
                                               f"valid: {', '.join(ACTION_TYPES)}")
        try:
            return handler(action)
        except (fileactions.PathRefused, OSError, ValueError, KeyError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            return GitObservation(False, error=str(text))

    def _do_list_repos(self, action: GitAction) -> GitObservation:
        repos = [repo.to_listing() for repo in self.store.list_repos()]
        return GitObservation(True, message=f"{len(repos)} repositories", repos=repos)

    def _do_clone_repo(self, action: GitAction) -> GitObservation:
        if not action.repo_name:
            return GitObservation(False, error="clone_repo needs repo_name")
        target_name = action.target_dir or action.repo_name
        target = fileactions.confine(self.workspace_dir, target_name)
        if target.exists() and any(target.iterdir()) if target.is_dir() else target.exists():
            return GitObservation(False, error=f"fatal: destination path '{target_name}' already exists "
                                               "and is not an empty directory.", exit_code=128)
        stored = self.store.ensure(action.repo_name)
        start = self._start_state(stored, stored.default_branch, stored.default_branch)
        workspace = Workspace(target, self._object_store(stored))
        forget(target)
        workspace.create(start, self.identity, self._clock.now()[0])
        self._workspaces[str(target.relative_to(self.workspace_dir))] = workspace
        return GitObservation(True, message=f"Cloned {action.repo_name} into {target_name}",
                              output=f"Cloning into '{target_name}'...\n")

    def _do_execute_git_command(self, action: GitAction) -> GitObservation:
        if not action.command or not action.command.strip():
            return GitObservation(False, error="execute_git_command needs a command")
        cwd = fileactions.confine(self.workspace_dir, action.working_dir) if action.working_dir else self.workspace_dir
        result = run_git(action.command, self._command_context(cwd))
        return GitObservation(result.ok, output=result.stdout, error=result.stderr, exit_code=result.exit_code)

    def _do_read_file(self, action: GitAction) -> GitObservation:
        text = fileactions.read_file(self.workspace_dir, self._action_path(action))
        return GitObservation(True, output=text)

    def _do_write_file(self, action: GitAction) -> GitObservation:
        if action.content is None:
            return GitObservation(False, error="write_file needs content")
        size = fileactions.write_file(self.workspace_dir, self._action_path(action), action.content)
        return GitObservation(True, message=f"wrote {size} bytes to {self._action_path(action)}")

    def _do_list_files(self, action: GitAction) -> GitObservation:
        files = fileactions.list_files(self.workspace_dir, self._action_path(action, default="."))
        return GitObservation(True, output="\n".join(files), files=files)

    def _do_submit(self, action: GitAction) -> GitObservation:
        return self._score("Submitted.")

    def _action_path(self, action: GitAction, default: str | None = None) -> str:
        path = action.path or default
        if path is None:
            raise ValueError(f"{action.action_type} needs path")
        return os.path.join(action.working_dir, path) if action.working_dir else path

    # --- scoring --------------------------------------------------------------------------

    def _score(self, prefix: str) -> GitObservation:
        task = self._task
        results: list[CheckResult] = []
        if task is not None:
            repo_dir = self.workspace_dir / task.repo
            base = self.suite.path.parent if self.suite.path else None
            ctx = CheckContext(repo_dir, self._command_context(repo_dir), base)
            results = evaluate(task.checks, ctx)
        value = reward(results, task.all_or_nothing if task else False)
        passed = sum(r.passed for r in results)
        lines = [f"{prefix} Reward {value:.2f}: {passed}/{len(results)} checks passed."]
        lines += [f"  [{'PASS' if r.passed else 'FAIL'}] {r.check}: {r.detail}" for r in results]
        checks = [r.to_dict() for r in results]
        if self.episode:
            self.episode.reward, self.episode.checks = value, checks
        return GitObservation(True, message="\n".join(lines), checks=checks, reward=value, done=True)

    def _finish_episode(self) -> None:
        episode = self.episode
        if episode is None:
            return
        if episode.reward is None and self._task is not None:
            self._score("Episode ended without submit.")
        episode.duration = time.monotonic() - episode.started
        self.episode = None
        for callback in self.on_episode_end:
            callback(episode)
        if self._remotes is not None:  # deletes the episode's pushed copies
            self._remotes.close()
            self._remotes = None

    # --- workspaces -----------------------------------------------------------------------

    def _command_context(self, cwd: Path) -> CommandContext:
        return CommandContext(workspace=self.workspace_dir, cwd=cwd, identity=self.identity, clock=self._clock,
                              remotes=self._remotes)

    def _store_repo(self, stored: StoredRepo) -> Repo:
        repo = self._stores.get(stored.name)
        if repo is None or repo.path != str(stored.path):
            repo = self._stores[stored.name] = Repo(str(stored.path))
        return repo

    def _object_store(self, stored: StoredRepo) -> BaseObjectStore:
        return self._store_repo(stored).object_store

    def _start_state(self, stored: StoredRepo, ref: str, branch: str | None) -> StartState:
        repo = self._store_repo(stored)
        commit = resolve_commit(repo, ref)
        if commit is None:
            raise ValueError(f"ref {ref!r} not found in repository {stored.name!r}")
        refs = {k: v for k, v in repo.get_refs().items() if k.startswith((b"refs/heads/", b"refs/tags/"))}
        if branch is None and b"refs/heads/" + ref.encode() in refs:
            branch = ref
        return StartState(commit, branch, stored.clone_url, refs, stored.path / "objects")

    def _prepare_task(self, task: Task) -> str:
        """Bring `<workspace>/<repo>` to the task's start state; returns the repo dir name."""
        stored = self.store.ensure(task.repo)
        workspace = self._workspaces.get(task.repo)
        if workspace is None:
            workspace = self._workspaces[task.repo] = Workspace(self.workspace_dir / task.repo,
                                                                self._object_store(stored))
        key = (task.repo, task.name)
        pristine = self._pristine.get(key)
        forget(workspace.path)
        if pristine is not None and workspace.pristine is not None and workspace.path.is_dir():
            workspace.restore(pristine)
        else:
            start = self._start_state(stored, task.ref, task.branch)
            self._pristine[key] = workspace.create(
                start, self.identity, SETUP_CLOCK_START, setup=lambda path: self._run_setup(task, path))
        return task.repo

    def _run_setup(self, task: Task, repo_dir: Path) -> None:
        ctx = CommandContext(workspace=self.workspace_dir, cwd=repo_dir, identity=self.identity,
                             clock=TickingClock(start=SETUP_CLOCK_START + 60))
        for number, step in enumerate(task.setup, 1):
            _apply_setup_step(step, repo_dir, ctx, f"task {task.name!r} setup step {number}")

    def _clear_workspace(self, keep: str | None) -> None:
        """Remove everything at the top of the workspace except the task's repository."""
        for name in list(self._workspaces):
            if name != keep:
                self._workspaces.pop(name).close()
                self._pristine = {k: v for k, v in self._pristine.items() if k[0] != name}
        with os.scandir(self.workspace_dir) as entries:
            for entry in entries:
                if entry.name == keep:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    forget(Path(entry.path))
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)


def _apply_setup_step(step: SetupStep, repo_dir: Path, ctx: CommandContext, where: str) -> None:
    if step.kind == "git":
        result = run_git(step.command, ctx)
        output = result.stdout + result.stderr
        if result.exit_code != step.expect_exit:
            raise SetupError(f"{where}: 'git {step.command}' exited {result.exit_code} "
                             f"(expected {step.expect_exit}): {output.strip()}")
        if not re.search(step.expect_output, output, re.MULTILINE):
            raise SetupError(f"{where}: the output of 'git {step.command}' does not match "
                             f"{step.expect_output!r}: {output.strip()}")
        return
    path = fileactions.confine(repo_dir, step.path)
    if step.kind == "remove":
        if not path.exists():
            raise SetupError(f"{where}: cannot remove {step.path}: no such file")
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(step.content)
    path.chmod(0o755 if step.executable else 0o644)
