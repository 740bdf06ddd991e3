#!/usr/bin/env python3
"""Reset latency on a 2,000-file, 1,000-commit repository, against the seed's git-binary recipe.

Measures, in one run: the first reset into a new workspace; reset p50/p95 after episodes
that touched 1, 10 and 100 files; and the seed's reset (`git fetch --all; git checkout;
git reset --hard; git clean -fdx`) after the same episodes. Prints ratios and the disk
a workspace adds beyond its worktree and index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pytest_gitenv import GitAction, GitEnv
from pytest_gitenv.samples import build_large

TASKS = """version: 1
repos:
  large: {{source: {source}}}
tasks:
  big: {{repo: large, ref: main, max_steps: 100000}}
"""
GIT = ["git", "-c", "advice.detachedHead=false", "-c", "gc.auto=0"]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def touched_paths(repo: Path, count: int, episode: int) -> list[Path]:
    files = sorted(p for p in repo.rglob("*.txt") if ".git" not in p.parts)
    return [files[(episode * 131 + i * 17) % len(files)] for i in range(count)]


def bench_ours(env: GitEnv, count: int, rounds: int) -> list[float]:
    samples = []
    env.reset(task_id="big")
    repo = env.workspace_dir / "large"
    for episode in range(rounds):
        for path in touched_paths(repo, count, episode):
            env.step(GitAction("write_file", path=str(path.relative_to(env.workspace_dir)), content="edited\n"))
        samples.append(timed(lambda: env.reset(task_id="big")))
    return samples


def bench_seed(clone: Path, count: int, rounds: int) -> list[float]:
    def run(*args: str) -> None:
        subprocess.run([*GIT, *args], cwd=clone, check=True, capture_output=True)

    def seed_reset() -> None:
        run("fetch", "--all")
        run("checkout", "main")
        run("reset", "--hard", "origin/main")
        run("clean", "-fdx")

    samples = []
    for episode in range(rounds):
        for path in touched_paths(clone, count, episode):
            path.write_text("edited\n")
        samples.append(timed(seed_reset))
    return samples


def disk_usage(repo: Path) -> tuple[int, int, int]:
    """(worktree bytes, index bytes, everything else in .git)."""
    git_dir = repo / ".git"
    worktree = sum(p.lstat().st_size for p in repo.rglob("*") if p.is_file() and git_dir not in p.parents)
    index = (git_dir / "index").stat().st_size
    rest = sum(p.lstat().st_size for p in git_dir.rglob("*") if p.is_file()) - index
    return worktree, index, rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30, help="episodes per size (default 30)")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gitenv-bench-"))
    try:
        print(f"building a {args.files}-file, {args.commits}-commit repository ...", flush=True)
        source = root / "large.git"
        build_large(source, args.files, args.commits)
        (root / "tasks.yaml").write_text(TASKS.format(source=source))
        env = GitEnv.from_tasks(root / "tasks.yaml", workspace_dir=root / "ws", store_dir=root / "store")
        print(f"store import: {timed(lambda: env.store.ensure('large')) * 1000:.0f} ms")
        first = []
        for i in range(5):
            fresh = GitEnv(env.suite, env.store, root / f"first-{i}")
            first.append(timed(lambda fresh=fresh: fresh.reset(task_id="big")))
            fresh.close()
        subprocess.run([*GIT, "clone", "-q", str(source), str(root / "seed")], check=True)
        clone = timed(lambda: subprocess.run([*GIT, "clone", "-q", str(source), str(root / "c2")], check=True))
        print(f"\nfirst reset into a new workspace: p50 {statistics.median(first) * 1000:.1f} ms "
              f"(target < 300 ms; a local `git clone` with checkout: {clone * 1000:.0f} ms)")
        print(f"\n{'files touched':>13} | {'ours p50':>9} {'p95':>9} | {'seed p50':>9} {'p95':>9} | {'p50 ratio':>9}")
        print("-" * 70)
        for count in (1, 10, 100):
            ours = bench_ours(env, count, args.rounds)
            seed = bench_seed(root / "seed", count, max(5, args.rounds // 3))
            ratio = statistics.median(seed) / statistics.median(ours)
            ours_ms = (statistics.median(ours) * 1000, percentile(ours, 0.95) * 1000)
            seed_ms = (statistics.median(seed) * 1000, percentile(seed, 0.95) * 1000)
            print(f"{count:>13} | {ours_ms[0]:>6.2f} ms {ours_ms[1]:>6.2f} ms | "
                  f"{seed_ms[0]:>6.1f} ms {seed_ms[1]:>6.1f} ms | {ratio:>8.1f}x")
        tracking = "inotify" if not env._workspaces["large"].last_restore.get("full_scan") else "stat scan"
        worktree, index, rest = disk_usage(root / "ws" / "large")
        print(f"\nchange tracking: {tracking}")
        print(f"disk: worktree {worktree / 1024:.0f} KiB, index {index / 1024:.0f} KiB, "
              f"rest of .git {rest / 1024:.1f} KiB (target <= 1024 KiB); objects come from the store")
        env.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        os.sync()


if __name__ == "__main__":
    main()
