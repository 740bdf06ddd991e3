"""Evaluate the reference agents: ``pytest --gitenv-task=all examples/evals``."""

from __future__ import annotations

from collections.abc import Callable

from agents import RandomAgent, ScriptedAgent, run_episode

from pytest_gitenv import GitEnv, Task


def test_scripted_agent(git_env: GitEnv, gitenv_task: Task) -> None:
    """The oracle solution solves every task."""
    assert run_episode(git_env, ScriptedAgent(gitenv_task)) == 1.0


def test_random_agent(git_env_factory: Callable[..., GitEnv], gitenv_task: Task) -> None:
    """Three seeded random episodes per task: the floor any real agent must beat."""
    for seed in range(3):
        reward = run_episode(git_env_factory(gitenv_task.name, seed=seed), RandomAgent(gitenv_task, seed))
        assert 0.0 <= reward <= 1.0
