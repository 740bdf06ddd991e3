"""diffing/xdiff renderings compared byte for byte with real git on the same repository."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from dulwich.repo import Repo

from pytest_gitenv.gitcmd.diffing import (
    Blobs,
    file_stats,
    format_name_only,
    format_name_status,
    format_patch,
    format_stat,
    format_summary,
    index_pairs,
    tree_pairs,
    worktree_pairs,
)
from pytest_gitenv.gitcmd.index import IndexFile
from pytest_gitenv.gitcmd.repo import GitRepo
from pytest_gitenv.gitcmd.xdiff import unified_hunks

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

ENV = {"HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "TZ": "UTC",
       "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "A",
       "GIT_COMMITTER_EMAIL": "a@x", "GIT_AUTHOR_DATE": "1700000000 +0000",
       "GIT_COMMITTER_DATE": "1700000000 +0000", "PATH": os.environ.get("PATH", "")}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, check=True,
                          capture_output=True).stdout.decode("utf-8", "surrogateescape")


def write(repo: Path, name: str, data: bytes | str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


BASE = {
    "a.txt": "".join(f"line {i}\n" for i in range(40)),
    "src/main.c": "int main(void)\n{\n\tint x = 1;\n\treturn x;\n}\n\nstatic int helper(int y)\n"
                  "{\n\tint z = y * 2;\n\tz += 1;\n\tz += 2;\n\tz += 3;\n\treturn z;\n}\n",
    "noeol.txt": "one\ntwo",
    "bin.dat": b"\x00\x01\x02binary",
    "script.sh": "#!/bin/sh\necho hi\n",
    "keep.txt": "unchanged\n",
    "dir/old name.txt": "moved content\n",
}


def edits(repo: Path) -> None:
    write(repo, "a.txt", "".join(f"line {i}\n" for i in range(40) if i not in (3, 20))
          .replace("line 30", "LINE 30") + "tail\n")
    write(repo, "src/main.c", BASE["src/main.c"].replace("z += 2;", "z += 22;"))
    write(repo, "noeol.txt", "one\ntwo\nthree")
    write(repo, "bin.dat", b"\x00\x01\x03binary!")
    os.chmod(repo / "script.sh", 0o755)
    (repo / "keep.txt").unlink()
    write(repo, "new file.txt", "fresh\n")
    write(repo, "caf\u00e9.txt", "accent\n")
    write(repo, "empty.txt", "")
    os.rename(repo / "dir/old name.txt", repo / "dir/new name.txt")
    write(repo, "very/long/directory/name/that/goes/on/and/on/for/a/while/file.txt", "x\n" * 70)


def flat(dul: Repo, tree: bytes) -> dict[bytes, tuple[int, bytes]]:
    return {e.path: (e.mode, bytes.fromhex(e.sha.decode()))
            for e in dul.object_store.iter_tree_contents(tree)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    for name, data in BASE.items():
        write(tmp_path, name, data)
    os.chmod(tmp_path / "script.sh", 0o644)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_worktree_against_git(repo: Path) -> None:
    edits(repo)
    git(repo, "add", "-N", "new file.txt")  # intent-to-add is not covered; undo it
    git(repo, "reset", "-q")
    git_repo = GitRepo(repo, repo / ".git", repo.parent)
    blobs = Blobs(git_repo.objects)
    pairs, _ = worktree_pairs(git_repo, git_repo.index(), blobs)
    assert format_patch(pairs, blobs) == git(repo, "diff")
    assert format_name_status(pairs) == git(repo, "diff", "--name-status")
    assert format_name_only(pairs) == git(repo, "diff", "--name-only")
    stats = file_stats(pairs, blobs)
    assert format_stat(stats) == git(repo, "diff", "--stat")
    assert format_summary(stats) == git(repo, "diff", "--shortstat")


def test_cached_and_trees_against_git(repo: Path) -> None:
    edits(repo)
    git(repo, "add", "-A")
    dul = Repo(str(repo))
    blobs = Blobs(dul.object_store)
    head_tree = dul[dul.head()].tree
    pairs = index_pairs(flat(dul, head_tree), IndexFile.read(repo / ".git" / "index"))
    assert format_patch(pairs, blobs) == git(repo, "diff", "--cached")
    assert format_name_status(pairs) == git(repo, "diff", "--cached", "--name-status")
    assert format_stat(file_stats(pairs, blobs)) == git(repo, "diff", "--cached", "--stat")
    git(repo, "commit", "-qm", "second")
    dul = Repo(str(repo))
    new_tree = dul[dul.head()].tree
    pairs = tree_pairs(dul.object_store, head_tree, new_tree)
    assert format_patch(pairs, blobs) == git(repo, "diff", "HEAD~", "HEAD")
    assert format_stat(file_stats(pairs, blobs)) == git(repo, "diff", "--stat", "HEAD~", "HEAD")


@pytest.mark.parametrize("changes", [1, 5, 60, 300])
def test_stat_scaling(repo: Path, changes: int) -> None:
    write(repo, "a.txt", "".join(f"new {i}\n" for i in range(changes)))
    write(repo, "b" * 70 + ".txt", "x\n")
    git(repo, "add", "-A")
    dul = Repo(str(repo))
    blobs = Blobs(dul.object_store)
    pairs = index_pairs(flat(dul, dul[dul.head()].tree), IndexFile.read(repo / ".git" / "index"))
    assert format_stat(file_stats(pairs, blobs)) == git(repo, "diff", "--cached", "--stat")


def test_random_hunks_against_git(tmp_path: Path) -> None:
    rng = random.Random(7)
    words = ["a\n", "b\n", "\n", "  x\n", "\tif y:\n", "def f():\n", "}\n", "    return 1\n"]
    for _ in range(40):
        a = [rng.choice(words) for _ in range(rng.randint(0, 50))]
        b = list(a)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randint(0, len(b))
            if rng.random() < 0.5:
                b[pos:pos] = [rng.choice(words) for _ in range(rng.randint(1, 4))]
            else:
                del b[pos:pos + rng.randint(1, 4)]
        (tmp_path / "a").write_text("".join(a))
        (tmp_path / "b").write_text("".join(b).rstrip("\n") if rng.random() < 0.3 else "".join(b))
        out = subprocess.run(["git", "diff", "--no-index", "a", "b"], cwd=tmp_path, env=ENV,
                             capture_output=True).stdout
        start = out.find(b"\n@@")
        expected = out[start + 1:] if start >= 0 else b""
        got = unified_hunks((tmp_path / "a").read_bytes(), (tmp_path / "b").read_bytes())[0]
        assert got == expected
