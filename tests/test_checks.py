"""Every check kind passes and fails where it should; states are made with the real git binary."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from pytest_gitenv import GitEnv
from pytest_gitenv.checks import KINDS, CheckContext, CheckResult, evaluate, parse_check, reward

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(env: GitEnv) -> Path:
    env.reset(task_id="bug_fix")
    return env.workspace_dir / "demo-lib"


def run_check(env: GitEnv, repo: Path, raw: dict) -> CheckResult:
    ctx = CheckContext(repo, env._command_context(repo), Path(__file__).parent)
    [result] = evaluate((parse_check(raw),), ctx)
    return result


def passes(env: GitEnv, repo: Path, raw: dict) -> bool:
    return run_check(env, repo, raw).passed


def test_file_contains_and_equals(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"file_contains": {"path": "README.md", "text": "demo-lib"}})
    assert not passes(env, repo, {"file_contains": {"path": "README.md", "text": "absent"}})
    assert passes(env, repo, {"file_contains": {"path": "src/demolib/calc.py", "pattern": r"^def mean", "ref": "HEAD"}})
    assert not passes(env, repo, {"file_contains": {"path": "nope.txt", "text": "x"}})
    (repo / "README.md").write_text("changed\n")
    assert passes(env, repo, {"file_equals": {"path": "README.md", "content": "changed\n"}})
    assert not passes(env, repo, {"file_equals": {"path": "README.md", "same_as": "HEAD:README.md"}})
    assert passes(env, repo, {"file_equals": {"path": "README.md", "ref": "HEAD", "same_as": "origin/main:README.md"}})


def test_branch_checks(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"branch_exists": "main"})
    assert not passes(env, repo, {"branch_exists": "feature/x"})
    assert passes(env, repo, {"branch_absent": "feature/x"})
    git(repo, "branch", "feature/x", "HEAD~2")
    assert passes(env, repo, {"branch_exists": {"name": "feature/x", "at": "main~2"}})
    assert not passes(env, repo, {"branch_exists": {"name": "feature/x", "at": "main"}})
    assert not passes(env, repo, {"branch_absent": "feature/x"})
    assert passes(env, repo, {"head_on_branch": "main"})
    git(repo, "checkout", "-q", "feature/x")
    assert not passes(env, repo, {"head_on_branch": "main"})
    git(repo, "checkout", "-q", "--detach")
    assert run_check(env, repo, {"head_on_branch": "main"}).detail == "HEAD is on (detached HEAD)"


def test_commit_checks(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"commit_count": {"equals": 11}})
    assert passes(env, repo, {"commit_count": {"ref": "release", "min": 1}}) is False  # unknown ref fails
    assert passes(env, repo, {"commit_count": {"ref": "origin/release/1.0", "min": 3, "max": 4}})
    assert not passes(env, repo, {"commit_count": {"max": 10}})
    assert passes(env, repo, {"last_commit_message_matches": "^Update README"})
    assert not passes(env, repo, {"last_commit_message_matches": {"pattern": "^Update", "ref": "HEAD~1"}})
    assert passes(env, repo, {"merged_into": {"branch": "origin/feature/old-docs", "into": "main"}})
    assert not passes(env, repo, {"merged_into": {"branch": "origin/feature/conflict", "into": "main"}})
    assert passes(env, repo, {"merged_into": {"commit": "v1.0.0", "into": "HEAD"}})


def test_worktree_checks(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"clean_worktree": True})
    (repo / "untracked.txt").write_text("x")
    assert not passes(env, repo, {"clean_worktree": True})
    assert passes(env, repo, {"no_conflict_markers": True})
    (repo / "README.md").write_text("<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n")
    assert not passes(env, repo, {"no_conflict_markers": True})
    assert passes(env, repo, {"no_conflict_markers": {"paths": ["CHANGELOG.md"]}})


def test_tag_and_tree_checks(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"tag_exists": {"name": "v1.0.0", "annotated": True}})
    assert not passes(env, repo, {"tag_exists": "v2"})
    assert passes(env, repo, {"tag_exists": {"name": "v1.0.0", "message": "^Release 1.0.0$"}})
    assert not passes(env, repo, {"tag_exists": {"name": "v1.0.0", "message": "^Release 2"}})
    git(repo, "tag", "light", "HEAD~1")
    assert not passes(env, repo, {"tag_exists": {"name": "light", "annotated": True}})
    assert passes(env, repo, {"tag_exists": {"name": "light", "points_to": "main~1"}})
    assert not passes(env, repo, {"tag_exists": {"name": "light", "points_to": "main"}})
    assert passes(env, repo, {"tree_equals": {"expected": "origin/main"}})
    assert not passes(env, repo, {"tree_equals": {"ref": "HEAD~1", "expected": "origin/main"}})


def test_python_escape_hatch(env: GitEnv, repo: Path) -> None:
    assert passes(env, repo, {"python": "check_helpers:readme_mentions_demo"})
    assert not passes(env, repo, {"python": "check_helpers:always_false"})
    broken = run_check(env, repo, {"python": "check_helpers:raises"})
    assert not broken.passed and "ZeroDivisionError" in broken.detail
    missing = run_check(env, repo, {"python": "no_such_module_xyz:f"})
    assert not missing.passed and "ModuleNotFoundError" in missing.detail


def test_reward_is_the_fraction_passed() -> None:
    results = [CheckResult("a", True, ""), CheckResult("b", False, ""), CheckResult("c", True, ""),
               CheckResult("d", True, "")]
    assert reward(results, all_or_nothing=False) == 0.75
    assert reward(results, all_or_nothing=True) == 0.0
    assert reward(results[:1], all_or_nothing=True) == 1.0
    assert reward([], all_or_nothing=False) == 1.0


def test_every_kind_has_a_test() -> None:
    source = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    assert [k for k in KINDS if not re.search(rf"\b{k}\b", source)] == []
