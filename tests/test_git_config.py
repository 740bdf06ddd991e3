"""git clean, git config and git remote against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

UNTRACKED = (("write", "u1", "1\n"), ("write", "dir/u2", "2\n"), ("write", "ud/sub/x", "3\n"),
             ("mkdir", "emptydir"), ("write", ".gitignore", "*.log\n"), ("write", "i.log", "4\n"))

SCENARIOS = [
    scenario("clean-refuses", *UNTRACKED, ("git", "clean")),
    scenario("clean-dry-run", *UNTRACKED, ("git", "clean -n"), ("git", "clean -nd"),
             ("git", "clean -ndx"), ("git", "clean -nX")),
    scenario("clean-force", *UNTRACKED, ("git", "clean -f"), ("git", "status -s")),
    scenario("clean-force-dirs", *UNTRACKED, ("git", "clean -fd"), ("git", "status -s --ignored")),
    scenario("clean-force-ignored", *UNTRACKED, ("git", "clean -fdx")),
    scenario("clean-only-ignored", *UNTRACKED, ("git", "clean -fX")),
    scenario("clean-subdir", *UNTRACKED, ("git", "clean -n", "dir"), ("git", "clean -nd ..", "dir")),
    scenario("clean-pathspec", *UNTRACKED, ("git", "clean -fd ud u1")),
    scenario("clean-quiet", *UNTRACKED, ("git", "clean -fq")),
    scenario("config-get", ("git", "config core.bare"), ("git", "config user.name")),
    scenario("config-set-get", ("git", "config user.name 'Some One'"), ("git", "config user.name"),
             ("git", "config --get user.name")),
    scenario("config-set-existing", ("git", "config core.bare"), ("git", "config pull.rebase true"),
             ("git", "config pull.rebase false")),
    scenario("config-list", ("git", "config user.email a@b.c"), ("git", "config --list"),
             ("git", "config -l"), setup="remote"),
    scenario("config-no-section", ("git", "config nokey"), ("git", "config nokey value")),
    scenario("config-unset", ("git", "config user.name X"), ("git", "config --unset user.name"),
             ("git", "config --unset user.name")),
    scenario("config-branch-keys", ("git", "config branch.main.remote origin"),
             ("git", "config branch.main.merge refs/heads/main"), ("git", "status -sb"),
             setup="remote"),
    scenario("config-alias", ("git", "config alias.st status"), ("git", "st -s"),
             ("write", "a.txt", "x\n"), ("git", "st -s")),
    scenario("config-alias-args", ("git", "config alias.co 'checkout -q'"),
             ("git", "co -b topic"), ("git", "branch")),
    scenario("config-case", ("git", "config User.Name X"), ("git", "config user.name")),
    scenario("config-subsection", ("git", "config remote.up.url ../x"),
             ("git", "config remote.up.url")),
    scenario("config-quoting-multivalue", ("git", "config user.name 'A #hash; semi'"),
             ("git", "config user.name"), ("git", "config user.email ' lead@x '"),
             ("git", "config --add remote.origin.fetch +refs/tags/*:refs/tags/*"),
             ("git", "config --get-all remote.origin.fetch"),
             ("git", "config remote.origin.fetch"), ("git", "config --unset remote.origin.fetch"),
             ("git", "config --unset-all remote.origin.fetch"),
             ("git", "config branch.feat/x.remote origin"),
             ("git", "config user.name 'back\\slash \"q\"'"), ("git", "config --list"),
             setup="remote"),
    scenario("remote-list", ("git", "remote"), ("git", "remote -v"), setup="remote"),
    scenario("remote-list-empty", ("git", "remote"), ("git", "remote -v")),
    scenario("remote-add", ("git", "remote add up ../upstream.git"), ("git", "remote -v"),
             setup="remote"),
    scenario("remote-add-exists", ("git", "remote add origin ../x"), setup="remote"),
    scenario("remote-add-https", ("git", "remote add gh https://example.com/a/b.git"),
             ("git", "remote get-url gh")),
    scenario("remote-add-track", ("git", "remote add -t main up https://example.com/r.git")),
    scenario("remote-remove", ("git", "remote remove origin"), ("git", "branch -vv"),
             ("git", "remote"), setup="remote"),
    scenario("remote-remove-missing", ("git", "remote remove nope"), ("git", "remote rm nope")),
    scenario("remote-get-url", ("git", "remote get-url origin"), ("git", "remote get-url nope"),
             setup="remote"),
    scenario("remote-set-url", ("git", "remote set-url origin https://example.com/x.git"),
             ("git", "remote -v"), ("git", "remote set-url nope https://example.com/x.git"),
             setup="remote"),
    scenario("remote-add-usage", ("git", "remote add")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_clean_config_remote(sc, tmp_path):
    check(sc, tmp_path)
