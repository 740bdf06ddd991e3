"""Dense combined diff of conflicted files compared with `git diff` on real conflicts."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from pytest_gitenv.gitcmd.combined import combined_hunks

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

WORDS = [f"w{i}\n" for i in range(12)] + ["\n", "def f():\n", "  x\n"]
ENV = {"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
       "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
       "GIT_COMMITTER_EMAIL": "a@b", "LC_ALL": "C"}


def _mutate(rng: random.Random, lines: list[str], edits: int) -> list[str]:
    out = list(lines)
    for _ in range(rng.randint(1, edits)):
        pos, op = rng.randint(0, len(out)), rng.random()
        if op < 0.4:
            out[pos:pos] = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
        elif op < 0.8:
            del out[pos:pos + rng.randint(1, 3)]
        else:
            out[pos:pos + 1] = [rng.choice(WORDS)]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_conflicts_match_git(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for n in range(12):
        repo = tmp_path / f"r{n}"
        repo.mkdir()

        def git(*args: str, cwd: Path = repo) -> bytes:
            return subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True).stdout

        base = [rng.choice(WORDS) for _ in range(rng.randint(5, 40))]
        git("init", "-q", "-b", "main")
        (repo / "f").write_text("".join(base))
        git("add", "f")
        git("commit", "-qm", "base")
        git("checkout", "-qb", "theirs")
        (repo / "f").write_text("".join(_mutate(rng, base, 4)))
        git("commit", "-qam", "theirs")
        git("checkout", "-q", "main")
        (repo / "f").write_text("".join(_mutate(rng, base, 4)))
        git("commit", "-qam", "ours")
        git("merge", "theirs")
        if not git("ls-files", "-u"):
            continue
        if rng.random() < 0.5:  # a partial resolution
            kept = [line for line in (repo / "f").read_text().splitlines(True)
                    if not line.startswith(("<<<<<<<", "=======", ">>>>>>>"))]
            (repo / "f").write_text("".join(_mutate(rng, kept, 2)))
        expected = git("diff")
        start = expected.find(b"\n@@@")
        hunks = combined_hunks([git("show", ":2:f"), git("show", ":3:f")],
                               (repo / "f").read_bytes())
        assert hunks.encode() == (expected[start + 1:] if start >= 0 else b"")
        checked += 1
    assert checked
