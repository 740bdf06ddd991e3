"""Seeded random walks over most of the supported command surface, against real git.

Wider than test_git_random.py: dir<->file swaps, ignored and untracked nested files, symlinks,
executable bits, merges, picks, reverts, stashes, tags, history queries and plumbing. The
generator is deterministic, so a failing id replays exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from tests.gitoracle import SETUPS, Scenario, check

SETUPS["wide"] = (
    ("setup", "remote"),
    ("write", ".gitignore", "*.log\nbuild/\n"),
    ("write", "run.sh", "#!/bin/sh\necho hi\n"),
    ("chmod", "run.sh", "755"),
    ("git", "add ."),
    ("git", "commit -q -m 'ignore and script'"),
    ("git", "tag -a v1 -m 'release one'"),
    ("git", "checkout -q -b feature"),
    ("write", "f.txt", "feature\n"),
    ("write", "a.txt", "alpha\nbeta\ngamma\ndelta\nfeature tail\n"),
    ("git", "add ."),
    ("git", "commit -q -m feature-work"),
    ("git", "tag light"),
    ("git", "checkout -q -b topic main"),
    ("write", "a.txt", "alpha\nBETA from topic\ngamma\ndelta\n"),
    ("git", "commit -q -am topic-change"),
    ("git", "checkout -q -b swap main"),
    ("git", "rm -q b.txt"),
    ("write", "b.txt/inner", "inner\n"),
    ("git", "add b.txt/inner"),
    ("git", "commit -q -m 'b.txt becomes a dir'"),
    ("git", "checkout -q main"),
    ("write", "a.txt", "alpha\nbeta on main\ngamma\ndelta\n"),
    ("git", "commit -q -am main-change"),
)

FILES = ("a.txt", "b.txt", "dir/c.txt", "dir/sub/d.txt", "new.txt", "f.txt", "run.sh", "b.txt/inner",
         "un/nested/u.txt", "x.log", "build/out.o", "dir")
TEXTS = ("alpha\nbeta\ngamma\n", "one\n", "changed\n", "alpha\nbeta on main\ngamma\ndelta\nmore\n", "")
BRANCHES = ("main", "feature", "topic", "swap", "merged", "origin/main", "nope")
# Names new branches get. Not "origin/main": git then warns "refname 'origin/main' is ambiguous."
# on every later lookup, and checkout/switch/reset print that warning a different number of times.
NEW_BRANCHES = ("main", "feature", "topic", "swap", "merged", "nope")
REVS = ("HEAD", "HEAD~1", "HEAD^", "HEAD^2", "HEAD~2", "main", "feature", "topic", "swap", "v1", "light",
        "v1^{}", "origin/main", "@{1}", "ORIG_HEAD", "stash@{0}", "main~1", "HEAD@{2}", "deadbeef")
PATTERNS = ("v*", "l*", "*")
FORMATS = ("%H %s", "%h %an %ae", "%ad %d", "%s%n%b", "%h%d %s", "tformat:%h %ae")


def _paths(rng: random.Random) -> str:
    return " ".join(rng.sample(FILES[:8], rng.randint(1, 2)))


def _range(rng: random.Random) -> str:
    """Revisions for log and diff: A..B, A...B, A, A -- path, B ^A."""
    a, b = rng.choice(REVS[:12]), rng.choice(REVS[:12])
    forms = (f"{a}..{b}", f"{a}...{b}", a, f"{a} -- {rng.choice(FILES[:6])}")
    return rng.choice((*forms, f"{b} ^{a}"))


def _files(rng: random.Random) -> tuple[str, ...]:
    f, t = rng.choice(FILES), rng.choice(TEXTS)
    return rng.choice((
        ("write", f, t), ("write", f, t), ("append", f, "appended\n"), ("rm", f), ("chmod", f, "755"),
        ("chmod", f, "644"), ("symlink", "ln", f), ("rm", "ln"), ("mkdir", "un/empty"),
        ("write", ".gitignore", rng.choice(("*.log\n", "*.log\nbuild/\nun/\n", "new.txt\n"))),
    ))


def _worktree(rng: random.Random) -> str:
    f, n = rng.choice(FILES), rng.randrange(100)
    return rng.choice((
        f"add {f}", "add -A", "add -u", "add .", f"rm -q {f}", f"rm --cached -q {f}", f"mv {f} mv{n}.txt",
        "commit -qm c", f"commit -qam 'msg {n}'", "commit --amend -qm amended", f"commit -q -m only {f}",
        "status", "status -s", "status -sb", "status --porcelain -uall", "status --ignored -s",
        "clean -n", "clean -nd", "clean -f", "clean -fd", "clean -nx", "clean -fdx",
        f"restore {f}", f"restore --staged {f}", f"restore --source HEAD~1 {f}",
        f"restore --source {rng.choice(REVS[:12])} --staged --worktree {f}", f"checkout -- {f}",
        "reset --hard", "reset --hard HEAD~1", "reset --soft HEAD~1", "reset --mixed HEAD~1", f"reset -q {f}",
        "ls-files -s", "ls-files -m", "ls-files -o", "ls-files -o --exclude-standard",
        "ls-files -o -i --exclude-standard", f"reset -q {rng.choice(REVS)} -- {f}",
    ))


def _switching(rng: random.Random) -> str:
    b, r, n, f = rng.choice(BRANCHES), rng.choice(REVS), rng.randrange(100), rng.choice(FILES)
    new = rng.choice(NEW_BRANCHES)
    return rng.choice((
        f"checkout {b}", f"checkout -q {b}", f"switch {b}", f"checkout -b n{n}", f"checkout -b n{n} {r}",
        f"checkout -B {new} {r}", f"switch -c n{n}", f"switch -C {new}", f"switch -c n{n} {r}",
        f"checkout --detach {r}", f"switch --detach {r}", "checkout -", "switch -", f"checkout {r}",
        f"checkout {r} -- {f}", f"checkout {r} -- dir",
    ))


def _history_ops(rng: random.Random) -> str:
    b, r, n = rng.choice(BRANCHES), rng.choice(REVS), rng.randrange(100)
    return rng.choice((
        f"merge {b}", f"merge --no-ff {b}", f"merge --ff-only {b}", f"merge --no-ff -m 'merge {n}' {b}",
        "merge --abort", f"merge --squash {b}", f"cherry-pick {r}", "cherry-pick --abort",
        "cherry-pick --continue", f"cherry-pick -x {r}", f"revert --no-edit {r}", "revert --abort",
        "stash", "stash -u", "stash push -m saved", "stash pop", "stash apply", "stash list", "stash drop",
        "stash show", "stash show -p", "stash apply stash@{1}",
        f"tag t{n}", f"tag -a a{n} -m 'tag {n}'", f"tag t{n} {r}", f"tag -d {rng.choice(('v1', 'light', 't1'))}",
        "tag", f"tag -l '{rng.choice(PATTERNS)}'", "tag -n",
    ))


def _branch_ops(rng: random.Random) -> str:
    b, b2, r, n = rng.choice(BRANCHES), rng.choice(BRANCHES), rng.choice(REVS), rng.randrange(100)
    return rng.choice((
        "branch", "branch -a", "branch -v", "branch -vv", "branch --merged", "branch --no-merged",
        f"branch --merged {b}", f"branch --no-merged {b}", "branch --show-current", f"branch x{n}",
        f"branch x{n} {r}", f"branch -m {b} r{n}", f"branch -m r{n}", f"branch -d {b}", f"branch -D {b}",
        f"branch -f {rng.choice(NEW_BRANCHES)} {r}", f"branch -c {b} c{n}", f"branch -u origin/main {b2}",
        "branch --unset-upstream",
        "branch -r", f"branch -l '{rng.choice(('m*', 't*', '*'))}'", "branch --contains HEAD~1",
    ))


def _queries(rng: random.Random) -> str:
    r, f, n = rng.choice(REVS), rng.choice(FILES[:8]), rng.randint(1, 4)
    fmt = rng.choice(FORMATS)
    return rng.choice((
        "log --oneline", f"log --oneline -n {n}", "log --oneline --all", "log --oneline --graph --all",
        "log --oneline --decorate", f"log --stat -{n}", "log -p -1", f"log --format='{fmt}' -{n}",
        f"log --oneline {_range(rng)}", f"log --format='{fmt}' {_range(rng)}", f"log --oneline -- {f}",
        f"log -{n}", "log --graph --oneline", f"log --oneline --all -- {f}",
        f"show {r}", f"show --stat {r}", f"show --name-only {r}", f"show --name-status {r}", "show v1",
        f"show {r}:{f}", "show -s --format=%s HEAD", f"show --oneline -s {r}",
        "diff", "diff --cached", f"diff {r}", f"diff {_range(rng)}", f"diff --stat {r}",
        f"diff --name-only {r}",
        f"diff --name-status {r}", f"diff --shortstat {r}", f"diff -- {f}", f"diff --cached --stat -- {f}",
        f"rev-parse {r}", f"rev-parse --short {r}", f"rev-parse --abbrev-ref {r}", "rev-parse --show-toplevel",
        f"rev-parse --verify {r}", f"rev-parse --verify -q {r}", "rev-parse --abbrev-ref HEAD",
        "rev-parse @{u}", "rev-parse --abbrev-ref @{u}", "rev-parse HEAD~1^{tree}", f"rev-parse {r}:{f}",
        f"cat-file -t {r}", f"cat-file -s {r}", f"cat-file -p {r}", f"cat-file -p {r}:{f}", "cat-file -t v1",
        "reflog", f"reflog -{n}", f"reflog show {rng.choice(BRANCHES)}", "reflog --oneline -3",
        f"grep -n a {r}", f"blame {f}", f"blame -s {f}", "grep --cached -n a", "grep -i ALPHA", "grep -l a",
        f"grep -n e -- {f}",
        "grep -c a", "describe --tags", "describe --always", "for-each-ref", "show-ref", "ls-tree HEAD",
        f"ls-tree -r {r}", f"merge-base HEAD {rng.choice(BRANCHES)}", f"rev-list --count {r}",
    ))


def _config_ops(rng: random.Random) -> str:
    n = rng.randrange(100)
    return rng.choice((
        "remote", "remote -v", f"remote add r{n} ../upstream.git", f"remote remove r{n}", "remote remove origin",
        "remote get-url origin", f"remote set-url origin ../u{n}.git", "remote show", "remote rename origin up",
        "config user.name", f"config user.name 'User {n}'", "config --get user.email", "config --list",
        "config --unset user.name", "config --local --list", f"config alias.x{n} status", "config --get-all alias.x1",
    ))


GENERATORS: tuple[tuple[Callable[[random.Random], object], int], ...] = (
    (_files, 6), (_worktree, 6), (_switching, 4), (_history_ops, 6), (_branch_ops, 3), (_queries, 7),
    (_config_ops, 1),
)


def _step(rng: random.Random) -> tuple[str, ...]:
    make = rng.choices([g for g, _ in GENERATORS], [w for _, w in GENERATORS])[0]
    step = make(rng)
    return step if isinstance(step, tuple) else ("git", step)


def walk(setup: str, seed: int, steps: int) -> Scenario:
    """The random walk `seed` of `steps` steps from `setup`."""
    rng = random.Random(seed)
    return Scenario(f"wide-{setup}-{seed}", tuple(_step(rng) for _ in range(steps)), setup)


STEPS = 30
# Walks that still differ from git, by a known open item; they run as non-strict xfails so a
# fix shows up as XPASS.
KNOWN_OPEN = {
    ("wide", 3): "revert: git reports a file/directory CONFLICT that the merge here does not detect",
}
CASES = [
    pytest.param(setup, seed, id=f"{setup}-{seed}",
                 marks=[pytest.mark.xfail(reason=KNOWN_OPEN[setup, seed], strict=False)]
                 if (setup, seed) in KNOWN_OPEN else [])
    for setup, seeds in (("wide", range(50)), ("branches", range(15)), ("empty", range(15))) for seed in seeds
]


@pytest.mark.parametrize(("setup", "seed"), CASES)
def test_wide_walk(setup: str, seed: int, tmp_path) -> None:
    check(walk(setup, seed, STEPS), tmp_path)
