#!/usr/bin/env python3
"""The Gitea backend measured against the embedded store, on the sample tasks, in one run.

Starts a private BinaryGitea (temporary data), then prints: migration time of the sample
repositories (migrate API and push, first run and the no-op rerun), the first fetch into the
local object cache, reset latency p50/p95 with each backend after one-file episodes, and the
cost of an episode's first push (its Gitea copy) next to a later push.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pytest_gitenv import GitAction, GitEnv
from pytest_gitenv.gitea import BinaryGitea
from pytest_gitenv.samples import make_samples
from pytest_gitenv.store.gitea import GiteaStore
from pytest_gitenv.store.local import LocalStore
from pytest_gitenv.tasks import load_tasks

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def reset_latency(env: GitEnv, rounds: int) -> list[float]:
    env.reset("bug_fix")
    samples = []
    for n in range(rounds):
        env.step(GitAction("write_file", path="demo-lib/README.md", content=f"episode {n}\n"))
        samples.append(timed(lambda: env.reset("bug_fix")))
    return samples


def pushes(env: GitEnv) -> None:
    """An episode's first push (it creates the episode's Gitea copy), a later push, a fetch."""

    def git(command: str) -> float:
        return timed(lambda: env.step(GitAction("execute_git_command", command=command, working_dir="demo-lib")))

    git("commit --allow-empty -m one")
    first = git("push")
    git("commit --allow-empty -m two")
    later, fetch = git("push"), git("fetch")
    print(f"push: first (creates the episode copy) {first * 1000:.0f} ms, later {later * 1000:.0f} ms; "
          f"fetch {fetch * 1000:.0f} ms")
    print(f"episode end with a copy to delete: {timed(env.close) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    make_samples(ROOT / "examples" / "repos")
    suite = load_tasks(ROOT / "tasks.yaml")
    with tempfile.TemporaryDirectory(prefix="gitenv-bench-") as tmp, BinaryGitea() as server:
        work = Path(tmp)
        print(f"Gitea {server.url} started in {server.startup_seconds:.2f}s")
        for mode, local_import in (("migrate API", True), ("push", False)):
            store = GiteaStore(server, suite.repos, work / mode, owner=f"bench-{local_import:d}",
                               local_import=local_import)
            first = store.migrate()
            store.migrations = []
            again = store.migrate()
            print(f"migration ({mode}): " + ", ".join(f"{m.name} {m.action} {m.seconds * 1000:.0f} ms" for m in first)
                  + " | rerun: " + ", ".join(f"{m.name} {m.action} {m.seconds * 1000:.0f} ms" for m in again))
        gitea = GiteaStore(server, suite.repos, work / "cache", local_import=True)
        gitea.migrate()
        fetched = timed(lambda: gitea.ensure("demo-lib"))
        print(f"first ensure (fetch into the object cache): demo-lib {fetched * 1000:.0f} ms")
        results = {}
        for name, store in (("embedded", LocalStore(suite.repos, work / "local")), ("gitea", gitea)):
            with GitEnv(suite, store, work / f"ws-{name}") as env:
                first_reset = timed(lambda: env.reset("bug_fix"))
                samples = reset_latency(env, args.rounds)
                results[name] = statistics.median(samples)
                print(f"reset ({name}): first {first_reset * 1000:.1f} ms, after 1-file episodes "
                      f"p50 {pct(samples, 0.5) * 1000:.2f} ms p95 {pct(samples, 0.95) * 1000:.2f} ms")
                if name == "gitea":
                    pushes(env)
        print(f"reset p50 ratio gitea/embedded: {results['gitea'] / results['embedded']:.2f}")


if __name__ == "__main__":
    main()
