"""Reset exactness, proven by fingerprint over random episodes, and its cost model."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from pytest_gitenv import GitAction, GitEnv
from pytest_gitenv.fingerprint import fingerprint_tree

TASKS = ["bug_fix", "recover_lost_commit", "clean_worktree", "branch_cleanup", "cherry_pick_fix", "tag_release"]

GIT_COMMANDS = [
    "add -A", "add .", "commit -m 'episode work'", "commit -am 'all of it'", "checkout -b scratch",
    "switch -c other", "branch -D scratch", "branch side", "tag episode-tag", "tag -a v9 -m annotated",
    "reset --hard HEAD~1", "reset --soft HEAD~2", "checkout HEAD~1", "stash", "stash pop",
    "config user.name Mallory", "merge origin/feature/conflict", "rm -r --cached src", "clean -fdx",
    "checkout -- .", "restore --staged .", "mv README.md README.txt", "cherry-pick origin/feature/conflict",
]


def _fresh_fingerprint(sample_tasks: Path, store_dir: Path, where: Path, task: str) -> str:
    with GitEnv.from_tasks(sample_tasks, workspace_dir=where, store_dir=store_dir) as env:
        env.reset(task_id=task)
        return env.fingerprint()


def _random_action(env: GitEnv, rng: random.Random, repo: Path) -> None:
    """One random action: through the environment, or straight on the file system."""
    files = [p for p in repo.rglob("*") if ".git" not in p.relative_to(repo).parts and p.is_file()]
    dirs = [p for p in repo.rglob("*") if ".git" not in p.relative_to(repo).parts and p.is_dir()]
    target = rng.choice(files) if files else repo / "x"
    choice = rng.randrange(14)
    name = repo.name
    if choice <= 3:
        command = rng.choice(GIT_COMMANDS)
        env.step(GitAction("execute_git_command", command=command, working_dir=name))
    elif choice == 4:
        rel = f"{name}/{rng.choice(['', 'src/', 'new/deep/', 'build/'])}f{rng.randrange(99)}.txt"
        env.step(GitAction("write_file", path=rel, content=f"text {rng.random()}\n"))
    elif choice == 5:
        target.write_text(f"overwritten {rng.random()}")  # same size or not, in place
    elif choice == 6:
        target.unlink()
    elif choice == 7 and dirs:
        shutil.rmtree(rng.choice(dirs))
    elif choice == 8:
        os.chmod(target, 0o755)
    elif choice == 9 and dirs:
        victim = rng.choice(dirs)
        victim.rename(victim.with_name(victim.name + "-moved"))
    elif choice == 10:
        link = repo / f"link{rng.randrange(9)}"
        if not link.exists() and not link.is_symlink():
            link.symlink_to(rng.choice(["/etc/passwd", "src", "missing"]))
    elif choice == 11:
        hooks = repo / ".git" / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "pre-commit").write_text("#!/bin/sh\nexit 1\n")
        with open(repo / ".git" / "config", "a") as handle:
            handle.write("[alias]\n\tx = !touch /tmp/pwned\n")
    elif choice == 12 and files:
        target.unlink()
        target.mkdir()  # a file replaced by a folder
        (target / "inner").write_text("inner")
    else:
        (repo / ".git" / "MERGE_HEAD").write_text("0" * 40 + "\n")
        (repo / ".git" / "refs" / "heads" / "stray").write_text("0" * 40 + "\n")


@pytest.mark.parametrize("tracking", ["inotify", "scan"])
def test_reset_is_exact_after_random_episodes(sample_tasks: Path, store_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, tracking: str) -> None:
    if tracking == "scan":
        monkeypatch.setenv("GITENV_NO_INOTIFY", "1")
    expected = {task: _fresh_fingerprint(sample_tasks, store_dir, tmp_path / f"fresh-{task}", task)
                for task in TASKS}
    rng = random.Random(2024)
    with GitEnv.from_tasks(sample_tasks, workspace_dir=tmp_path / "ws", store_dir=store_dir) as env:
        for episode in range(24):
            task = rng.choice(TASKS)
            env.reset(task_id=task)
            assert env.fingerprint() == expected[task], f"episode {episode}: reset into {task} was not exact"
            repo = tmp_path / "ws" / env.suite.task(task).repo
            for _ in range(rng.randrange(3, 15)):
                _random_action(env, rng, repo)
            if rng.random() < 0.3:
                env.step(GitAction("clone_repo", repo_name="docs-site", target_dir="extra-clone"))
        env.reset(task_id="bug_fix")
        assert env.fingerprint() == expected["bug_fix"]


def test_fingerprint_sees_every_kind_of_state(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    repo = env.workspace_dir / "demo-lib"
    base = env.fingerprint()
    changes = [
        lambda: (repo / "untracked.txt").write_text("u"),
        lambda: (repo / "build").mkdir() or (repo / "build" / "ignored.o").write_text("i"),
        lambda: (repo / ".git" / "refs" / "stash").write_text("0" * 40 + "\n"),
        lambda: (repo / ".git" / "logs" / "HEAD").write_text(""),
        lambda: (repo / ".git" / "hooks").mkdir(),
        lambda: (repo / ".git" / "config").write_text("[core]\n"),
        lambda: os.chmod(repo / "README.md", 0o755),
        lambda: (repo / "empty-dir").mkdir(),
    ]
    for change in changes:
        change()
        assert env.fingerprint() != base
        env.reset(task_id="bug_fix")
        assert env.fingerprint() == base


def test_objects_are_shared_not_copied(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    git_dir = env.workspace_dir / "demo-lib" / ".git"
    alternates = (git_dir / "objects" / "info" / "alternates").read_text().strip()
    assert Path(alternates).is_dir() and str(env.store.ensure("demo-lib").path) in alternates
    assert not list((git_dir / "objects" / "pack").iterdir())
    index = (git_dir / "index").stat().st_size
    rest = sum(p.stat().st_size for p in git_dir.rglob("*") if p.is_file()) - index
    assert rest < 1 << 20


def test_reset_cost_follows_the_change(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    workspace = env._workspaces["demo-lib"]
    for name in ("README.md", "CHANGELOG.md", "src/demolib/calc.py"):
        env.step(GitAction("write_file", path=f"demo-lib/{name}", content="changed\n"))
    env.reset(task_id="bug_fix")
    if workspace.last_restore["full_scan"]:
        pytest.skip("inotify is unavailable here: resets scan the worktree")
    assert workspace.last_restore["written"] == 3
    assert workspace.last_restore["removed"] == 0


def test_switching_tasks_on_one_repository_is_exact(sample_tasks: Path, store_dir: Path, tmp_path: Path,
                                                    env: GitEnv) -> None:
    order = ["bug_fix", "cherry_pick_fix", "clean_worktree", "bug_fix", "recover_lost_commit", "cherry_pick_fix"]
    for task in order:
        env.reset(task_id=task)
        assert env.fingerprint() == _fresh_fingerprint(sample_tasks, store_dir, tmp_path / f"f-{task}", task)



def test_switching_tasks_after_git_files_settled_is_exact(sample_tasks: Path, store_dir: Path, tmp_path: Path,
                                                          env: GitEnv) -> None:
    """`.git/config` verified for one task and untouched since must still be rewritten for another."""
    env.reset(task_id="cherry_pick_fix")
    env.reset(task_id="bug_fix")
    env.reset(task_id="bug_fix")  # reads and verifies every .git file
    time.sleep(0.1)  # past the racy window, so an unchanged stat is trusted
    env.reset(task_id="bug_fix")
    env.reset(task_id="cherry_pick_fix")  # its [branch "release/1.0"] section differs
    expected = _fresh_fingerprint(sample_tasks, store_dir, tmp_path / "fresh", "cherry_pick_fix")
    assert env.fingerprint() == expected

def test_workspace_root_is_emptied_of_other_things(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    env.step(GitAction("clone_repo", repo_name="docs-site"))
    env.step(GitAction("write_file", path="notes.md", content="agent notes"))
    env.reset(task_id="bug_fix")
    assert sorted(p.name for p in env.workspace_dir.iterdir()) == ["demo-lib"]


def test_reset_without_task_gives_an_empty_workspace(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    env.reset()
    assert list(env.workspace_dir.iterdir()) == []


def test_fingerprint_ignores_timestamps(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    before = fingerprint_tree(env.workspace_dir)
    os.utime(env.workspace_dir / "demo-lib" / "README.md", (1, 1))
    assert fingerprint_tree(env.workspace_dir) == before


@pytest.mark.parametrize("tracking", ["inotify", "scan"])
def test_reset_never_writes_through_links(env: GitEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          tracking: str) -> None:
    if tracking == "scan":
        monkeypatch.setenv("GITENV_NO_INOTIFY", "1")
    env.reset(task_id="bug_fix")
    expected = env.fingerprint()
    repo = env.workspace_dir / "demo-lib"
    outside = tmp_path / "outside"
    (outside / "demolib").mkdir(parents=True)
    (outside / "demolib" / "calc.py").write_text("OUTSIDE\n")
    shutil.rmtree(repo / "src")
    (repo / "src").symlink_to(outside)  # a folder replaced by a link that leads out
    os.link(repo / "README.md", outside / "hardlink")
    (repo / "README.md").write_text("agent edit through a hard link\n")
    env.reset(task_id="bug_fix")
    assert (outside / "demolib" / "calc.py").read_text() == "OUTSIDE\n"
    assert (outside / "hardlink").read_text() == "agent edit through a hard link\n"
    assert sorted(p.name for p in outside.iterdir()) == ["demolib", "hardlink"]
    assert env.fingerprint() == expected
