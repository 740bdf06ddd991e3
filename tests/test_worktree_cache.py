"""The cached untracked scan (worktree._Snapshot) must notice every change that matters."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from pytest_gitenv.gitcmd import CommandContext, run_git
from tests.gitoracle import template


def test_untracked_cache_sees_changes(tmp_path: Path) -> None:
    shutil.copytree(template("basic"), tmp_path, dirs_exist_ok=True, symlinks=True)
    repo = tmp_path / "repo"
    ctx = CommandContext(tmp_path, repo)

    def porcelain() -> str:
        time.sleep(0.06)  # let timestamps settle so that the scan gets cached
        first = run_git("status --porcelain --ignored", ctx).stdout
        assert run_git("status --porcelain --ignored", ctx).stdout == first
        return first

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    assert porcelain() == ""
    write(repo / "dir" / "new.txt", "x\n")
    assert porcelain() == "?? dir/new.txt\n"
    write(repo / ".gitignore", "*.txt\n")
    assert porcelain() == "?? .gitignore\n!! dir/new.txt\n"
    write(repo / ".gitignore", "*.log\n")  # edited in place: the directory mtime stays
    assert porcelain() == "?? .gitignore\n?? dir/new.txt\n"
    write(repo / ".git" / "info" / "exclude", "dir/new.txt\n")
    assert porcelain() == "?? .gitignore\n!! dir/new.txt\n"
    write(repo / "nd" / "deep" / "f", "1\n")
    assert porcelain() == "?? .gitignore\n?? nd/\n!! dir/new.txt\n"
    (repo / "nd" / "deep" / "f").unlink()
    (repo / "dir" / "new.txt").unlink()
    assert porcelain() == "?? .gitignore\n"
