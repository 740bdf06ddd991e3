"""Two reference agents: one replays the oracle solutions, one acts at random (the floor)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from pytest_gitenv import GitAction, GitEnv, Task

ORACLES = Path(__file__).resolve().parent.parent / "oracles.yaml"

_RANDOM_COMMANDS = (
    "status", "log --oneline -5", "branch", "branch -a", "diff", "add -A", "commit -m wip",
    "checkout main", "checkout -b scratch", "tag wip", "stash", "show --stat HEAD",
)


class ScriptedAgent:
    """Plays the task's oracle solution from examples/oracles.yaml, one action per step."""

    def __init__(self, task: Task) -> None:
        self.actions = [GitAction.from_dict(a) for a in yaml.safe_load(ORACLES.read_text())[task.name]]

    def act(self, step: int) -> GitAction:
        return self.actions[step] if step < len(self.actions) else GitAction("submit")


class RandomAgent:
    """Runs seeded random git commands in the task's repository, then submits."""

    def __init__(self, task: Task, seed: int, steps: int = 6) -> None:
        self.repo, self.rng, self.steps = task.repo, random.Random(seed), steps

    def act(self, step: int) -> GitAction:
        if step >= self.steps:
            return GitAction("submit")
        return GitAction("execute_git_command", command=self.rng.choice(_RANDOM_COMMANDS), working_dir=self.repo)


def run_episode(env: GitEnv, agent: ScriptedAgent | RandomAgent) -> float:
    """Step `agent` until the episode is done; returns the reward."""
    step = 0
    while True:
        result = env.step(agent.act(step))
        step += 1
        if result.done:
            return float(result.reward or 0.0)
