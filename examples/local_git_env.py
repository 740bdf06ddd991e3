#!/usr/bin/env python3
"""The seed's quick start on the embedded store: reset, list, clone, status, log, state, close."""

from __future__ import annotations

from pathlib import Path

from pytest_gitenv import GitAction, GitEnv
from pytest_gitenv.samples import make_samples

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    make_samples(ROOT / "examples" / "repos")  # no-op once built
    with GitEnv.from_tasks(ROOT / "tasks.yaml", backend="local") as env:
        result = env.reset()
        print(result.observation.message)

        repos = env.step(GitAction(action_type="list_repos")).observation.repos
        for repo in repos:
            print(f"  {repo['name']:<10} {repo['description']}")

        cloned = env.step(GitAction(action_type="clone_repo", repo_name="demo-lib"))
        print(cloned.observation.message)

        for command in ("status", "log --oneline -5"):
            step = env.step(GitAction(action_type="execute_git_command", command=command, working_dir="demo-lib"))
            print(f"$ git {command}\n{step.observation.output or step.observation.error}")

        result = env.reset(task_id="bug_fix")
        print(result.observation.message)
        print(env.state)


if __name__ == "__main__":
    main()
