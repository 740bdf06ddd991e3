"""Benchmark run_git against the git binary on generated repositories (same run, same data).

    python scripts/bench_commands.py [--reps 30] [--sizes 2000,100]

Each repository is generated with git (fixed dates), copied twice, and every operation
runs `reps` times per side; the table shows p50 milliseconds and ours/git ratios.
Targets: <= 2x git at 2,000 files, faster than git at 100 files.
"""

from __future__ import annotations

import argparse
import os
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


def p50(fn: Callable[[int], None], reps: int) -> float:
    times = []
    for i in range(reps):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench(size: int, reps: int, base: Path) -> list[tuple[str, float, float]]:
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

    victim = "pkg01/mod0/file00001.py"
    for repo in (git_repo, our_repo):
        with open(repo / victim, "a") as handle:
            handle.write("# dirty\n")
    rows = []
    for name, cmd in (("status", "status"), ("diff", "diff"),
                      ("log --oneline -20", "log --oneline -20")):
        real(cmd)
        ours(cmd)
        rows.append((name, p50(lambda _i, c=cmd: real(c), reps),
                     p50(lambda _i, c=cmd: ours(c), reps)))

    def add_commit(run: Callable[[str], None], repo: Path) -> Callable[[int], None]:
        def step(i: int) -> None:
            with open(repo / "pkg02/mod1/file00042.py", "a") as handle:
                handle.write(f"# {i}\n")
            run("add pkg02/mod1/file00042.py")
            run(f"commit -q -m bench-{i}")
        return step

    rows.append(("add+commit 1 file", p50(add_commit(real, git_repo), reps),
                 p50(add_commit(ours, our_repo), reps)))
    rows.append(("checkout -b", p50(lambda i: real(f"checkout -q -b git-b{i}"), reps),
                 p50(lambda i: ours(f"checkout -q -b our-b{i}"), reps)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--sizes", default="2000,100")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gitenv-bench-") as tmp:
        print(f"{'files':>6}  {'operation':<20} {'git ms':>8} {'ours ms':>8} {'ratio':>6}")
        for size in (int(s) for s in args.sizes.split(",")):
            for name, git_ms, our_ms in bench(size, args.reps, Path(tmp)):
                print(f"{size:>6}  {name:<20} {git_ms:>8.2f} {our_ms:>8.2f} "
                      f"{our_ms / git_ms:>5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
