"""logformat's dates and message handling compared with real git's output."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from pytest_gitenv.gitcmd.logformat import format_date, relative_date, split_message

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

# (seconds before now, timezone): offsets sit well inside one of git's relative-date buckets
AGES = [45, 300, 7_000, 100_000, 500_000, 3_000_000, 20_000_000, 40_000_000, 100_000_000,
        400_000_000]
ZONES = ["+0000", "+0530", "-0800", "+1300"]


def _git_log(repo: Path, fmt: str, date: str | None = None) -> list[str]:
    args = ["git", "log", f"--format={fmt}"] + ([f"--date={date}"] if date else [])
    out = subprocess.run(args, cwd=repo, capture_output=True, text=True, check=True,
                         env={"PATH": os.environ.get("PATH", ""), "HOME": str(repo),
                              "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC", "LC_ALL": "C"})
    return out.stdout.splitlines()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int]]]:
    repo = tmp_path_factory.mktemp("dates")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@x"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
    now = int(time.time())
    stamps = []
    for n, age in enumerate(AGES):
        zone = ZONES[n % len(ZONES)]
        ts = now - age
        date = f"{ts} {zone}"
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m",
                        f"subject {n}\n  \ncontinued\n\nbody {n}\n"], cwd=repo, check=True,
                       env={**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        sign = -1 if zone[0] == "-" else 1
        stamps.append((ts, sign * (int(zone[1:3]) * 3600 + int(zone[3:]) * 60)))
    stamps.reverse()  # git log prints newest first
    return repo, stamps


@pytest.mark.parametrize("mode", ["default", "iso", "iso-strict", "rfc", "short", "raw", "unix"])
def test_date_modes(history: tuple[Path, list[tuple[int, int]]], mode: str) -> None:
    repo, stamps = history
    expected = _git_log(repo, "%ad", mode)
    assert [format_date(ts, tz, mode) for ts, tz in stamps] == expected


def test_relative_dates(history: tuple[Path, list[tuple[int, int]]]) -> None:
    repo, stamps = history
    now = int(time.time())
    assert [relative_date(ts, now) for ts, _ in stamps] == _git_log(repo, "%ar")


def test_subject_and_body(history: tuple[Path, list[tuple[int, int]]]) -> None:
    repo, _ = history
    raw = subprocess.run(["git", "log", "-1", "--format=%s%x00%b%x00%B"], cwd=repo,
                         capture_output=True, check=True).stdout
    subject, body, full = raw.split(b"\0")
    assert split_message(full.rstrip(b"\n") + b"\n") == (subject.decode(), body.decode())
