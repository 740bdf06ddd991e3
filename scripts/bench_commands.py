"""Benchmark run_git against the git binary on generated repositories (same run, same data).

    python scripts/bench_commands.py [--reps 30] [--sizes 2000,100] [--rounds 3] [--cpu]

Each repository is generated with git (fixed dates), copied twice, and every operation
runs `reps` times per side (alternating, so both sides see the same machine load); the
table shows p50 milliseconds and ours/git ratios. Reads run on a clean worktree first, then
with one modified file.
Targets: <= 2x git at 2,000 files, faster than git at 100 files.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pytest_gitenv.gitcmd import CommandContext, FixedClock, Identity, run_git

EPOCH = 1_704_067_200
IDENTITY = Identity("Bench", "bench@gitenv.invalid")


def git_env(home: Path) -> dict[str, str]:
    date = f"@{EPOCH} +0000"
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "TZ": "UTC", "GIT_PAGER": "cat",
            "GIT_AUTHOR_NAME": IDENTITY.name, "GIT_AUTHOR_EMAIL": IDENTITY.email,
            "GIT_COMMITTER_NAME": IDENTITY.name, "GIT_COMMITTER_EMAIL": IDENTITY.email,
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_EDITOR": "true"}


def generate(root: Path, files: int, commits: int = 25) -> Path:
    """A repository with `files` files in nested directories and `commits` commits."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    env = git_env(root)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    for i in range(files):
        path = repo / f"pkg{i % 40:02d}" / f"mod{i // 40 % 5}" / f"file{i:05d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"def f{i}_{j}():\n    return {j}\n\n" for j in range(8)))
    git("add", ".")
    git("commit", "-q", "-m", "initial")
    for c in range(1, commits):
        target = repo / f"pkg{c % 40:02d}" / "mod0" / f"file{c % 40:05d}.py"
        with open(target, "a") as handle:
            handle.write(f"# change {c}\n")
        git("commit", "-q", "-am", f"change {c}")
    return repo


def child_cpu() -> float:
    """CPU seconds used by finished child processes (the git binary), all threads."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def p50s(git_step: Callable[[int], None], our_step: Callable[[int], None],
         reps: int) -> tuple[float, float]:
    """Median milliseconds of each side; the sides alternate so both see the same load.
    With CPU clocks, git's side counts its own CPU time only (not the cost of spawning it)."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(reps):
        for side, step, clock in zip(times, (git_step, our_step), CLOCKS, strict=True):
            start = clock()
            step(i)
            side.append(clock() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


CLOCKS: list[Callable[[], float]] = [time.perf_counter, time.perf_counter]  # git side, ours


Row = tuple[str, float, float]
READS = {  # name -> command; run on a clean worktree, then with one modified file
    "clean": ("status", "diff"),
    "dirty": ("status", "status -s", "diff", "diff --stat", "diff HEAD", "log --oneline -20",
              "log -p -3"),
}


def bench(size: int, reps: int, base: Path) -> list[Row]:
    template = generate(base / f"gen-{size}", size)
    git_root, our_root = base / f"git-{size}", base / f"ours-{size}"
    shutil.copytree(template.parent, git_root, symlinks=True)
    shutil.copytree(template.parent, our_root, symlinks=True)
    git_repo, our_repo = git_root / "repo", our_root / "repo"
    env = git_env(git_root)
    ctx = CommandContext(workspace=our_root, cwd=our_repo, identity=IDENTITY,
                         clock=FixedClock(EPOCH))

    def real(cmd: str) -> None:
        subprocess.run(["git", *shlex.split(cmd)], cwd=git_repo, env=env, check=True,
                       capture_output=True)

    def ours(cmd: str) -> None:
        result = run_git(cmd, ctx)
        if result.exit_code != 0:
            raise RuntimeError(f"{cmd}: {result.stderr}")

    def reads(state: str) -> list[Row]:
        rows = []
        for cmd in READS[state]:
            real(cmd)
            ours(cmd)
            label = f"{cmd} ({state})" if state == "clean" else cmd
            rows.append((label, *p50s(lambda _i, c=cmd: real(c), lambda _i, c=cmd: ours(c), reps)))
        return rows

    rows = reads("clean")
    for repo in (git_repo, our_repo):
        with open(repo / "pkg01/mod0/file00001.py", "a") as handle:
            handle.write("# dirty\n")
    rows += reads("dirty")

    def add_commit(run: Callable[[str], None], repo: Path, add: str) -> Callable[[int], None]:
        def step(i: int) -> None:
            with open(repo / "pkg02/mod1/file00042.py", "a") as handle:
                handle.write(f"# {add} {i}\n")
            run(add)
            run(f"commit -q -m bench-{i}")
        return step

    for name, add in (("add+commit 1 file", "add pkg02/mod1/file00042.py"),
                      ("add -A + commit", "add -A")):
        rows.append((name, *p50s(add_commit(real, git_repo, add), add_commit(ours, our_repo, add),
                                 reps)))
    rows.append(("checkout -b", *p50s(lambda i: real(f"checkout -q -b git-b{i}"),
                                      lambda i: ours(f"checkout -q -b our-b{i}"), reps)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--sizes", default="2000,100")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat on fresh repositories; show the median of each column")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time instead of wall time (steadier on a busy machine)")
    args = parser.parse_args()
    if args.cpu:
        CLOCKS[:] = [child_cpu, time.process_time]
    with tempfile.TemporaryDirectory(prefix="gitenv-bench-") as tmp:
        unit = "cpu ms" if args.cpu else "ms"
        print(f"{'files':>6}  {'operation':<20} {'git ' + unit:>10} {'ours ' + unit:>11} {'ratio':>6}",
              flush=True)
        for size in (int(s) for s in args.sizes.split(",")):
            rounds = [bench(size, args.reps, Path(tmp) / f"round{n}") for n in range(args.rounds)]
            for same_row in zip(*rounds, strict=True):
                git_ms = statistics.median(row[1] for row in same_row)
                our_ms = statistics.median(row[2] for row in same_row)
                ratio = statistics.median(row[2] / row[1] for row in same_row)
                print(f"{size:>6}  {same_row[0][0]:<20} {git_ms:>10.2f} {our_ms:>11.2f} "
                      f"{ratio:>5.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
