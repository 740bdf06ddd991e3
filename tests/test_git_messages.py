"""Commit message fidelity: leading spaces, multi-line first paragraphs and blank lines in -m, as
%s/%b/%f, --oneline, the commit summary line, shortlog, branch -v and reset print them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario

SPACED = "'  two\nlines  \n\n  body here'"

SCENARIOS = [
    scenario("msg-leading-spaces", ("git", "commit --allow-empty -m '  leading spaces'"),
             ("git", "log -1 --format=%s|%b|"), ("git", "log -1"), ("git", "log --oneline -1"),
             ("git", "show -s"), ("git", "reflog -1")),
    scenario("msg-multiline-subject", ("git", "commit --allow-empty -m 'line1\nline2\n\nbody'"),
             ("git", "log -1 --format=%s|%b|%f|"), ("git", "log -1 --format=short"),
             ("git", "log --oneline -1"), ("git", "reflog -1")),
    scenario("msg-leading-blank-lines", ("git", "commit --allow-empty -m '\n\n  x  \n\n\n  y\t\n'"),
             ("git", "log -1 --format=%s|%b|%B|"), ("git", "log -1"), ("git", "log --oneline -1")),
    scenario("msg-summary-branch-reset", ("git", f"commit --allow-empty -m {SPACED}"),
             ("git", "branch -v"), ("git", "checkout HEAD~1"), ("git", "checkout main"),
             ("git", "reset --hard HEAD"), ("git", "for-each-ref --format=%(subject)| refs/heads"),
             ("git", "log -1 --format=%f")),
    scenario("msg-empty", ("git", "commit -q --allow-empty --allow-empty-message -m ''"),
             ("git", "log -2"), ("git", "log -2 --format=short"), ("git", "log -1 --format=raw"),
             ("git", "log -2 --format=fuller"), ("git", "log -1 --format=%s|%b|%f")),
    scenario("msg-tabs-and-trailing-blanks",
             ("git", "commit -q --allow-empty -m 'a\tb  \n\n\tbody\tx\n  \n\n more'"),
             ("git", "log -1"), ("git", "log -1 --format=short"), ("git", "log -1 --format=raw"),
             ("git", "log -1 --format=full"), ("git", "log -1 --format=%s|%b|%f")),
    scenario("msg-sanitized-subject",
             ("git", "commit -q --allow-empty -m '..Fix: the  bug... (really) \u00e9 ok..\nsecond'"),
             ("git", "log -1 --format=%f"), ("git", "commit -q --allow-empty -m '--x_y.-.z--'"),
             ("git", "log -1 --format=%f")),
    scenario("msg-shortlog-subjects", ("git", f"commit -q --allow-empty -m {SPACED}"),
             ("git", "commit -q --allow-empty -m '[PATCH 1/2]   fix  it'"),
             ("git", "commit -q --allow-empty -m '  [PATCH] b'"), ("git", "shortlog HEAD"),
             ("git", "shortlog -n -e HEAD~2..")),
    scenario("msg-shortlog-groups-and-formats",
             ("git", "commit -q --allow-empty --allow-empty-message -m ''"),
             ("git", "commit -q --allow-empty -m '[PATCH]'"),
             ("git", "commit -q --allow-empty -m '[PATCH] x' --author='B <b@x>'"),
             ("git", "commit -q --allow-empty -m '  [PATCH 2]  two\nlines'"), ("git", "shortlog HEAD"),
             ("git", "shortlog -c HEAD"), ("git", "shortlog -c -e -s HEAD"), ("git", "shortlog --format='%h %s' HEAD"),
             ("git", "shortlog --format='  [PATCH] %an' HEAD"), ("git", "shortlog --format= HEAD"),
             ("git", "shortlog --group=committer -s HEAD"), ("git", "shortlog --group=bogus HEAD"),
             ("git", "shortlog --group=author -n HEAD")),
    scenario("msg-amend-spaces", ("git", "commit --amend -m '  amended\nx'"), ("git", "reflog -1"),
             ("git", "log -1 --format=%s")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_messages(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
