"""The sample tasks: every oracle solution scores 1.0, doing nothing scores less; the examples run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pytest_gitenv import GitAction, GitEnv
from pytest_gitenv.samples import make_samples
from tests.conftest import ROOT

ORACLES = yaml.safe_load((ROOT / "examples" / "oracles.yaml").read_text())
TASK_NAMES = sorted(yaml.safe_load((ROOT / "tasks.yaml").read_text())["tasks"])


def test_every_task_has_an_oracle() -> None:
    assert sorted(ORACLES) == TASK_NAMES
    assert len(TASK_NAMES) >= 8


@pytest.mark.parametrize("task", TASK_NAMES)
def test_oracle_scores_one(env: GitEnv, task: str) -> None:
    env.reset(task_id=task)
    for number, raw in enumerate(ORACLES[task], 1):
        result = env.step(GitAction.from_dict(raw))
        assert result.observation.success, f"oracle step {number} ({raw}) failed: {result.observation.error}"
    assert result.done
    assert result.reward == 1.0, result.observation.message


@pytest.mark.parametrize("task", TASK_NAMES)
def test_doing_nothing_scores_less(env: GitEnv, task: str) -> None:
    env.reset(task_id=task)
    result = env.step(GitAction("submit"))
    assert result.reward < 1.0, result.observation.message


def test_sample_repositories_are_deterministic(tmp_path: Path) -> None:
    first, second = make_samples(tmp_path / "a"), make_samples(tmp_path / "b")
    for name in first:
        refs = [subprocess.run(["git", "for-each-ref"], cwd=repos[name], capture_output=True, text=True,
                               check=True).stdout for repos in (first, second)]
        assert refs[0] == refs[1] and refs[0]


def test_seed_quick_start_example_runs(sample_tasks: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "local_git_env.py")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "On branch main" in done.stdout and "Update README" in done.stdout
    assert "Task bug_fix" in done.stdout and "Traceback" not in done.stderr
