"""clone/fetch/pull/push/ls-remote against a real Gitea, compared with the real git binary.

Our side runs `run_git` with an episode's RemoteAccess (pushes land in the episode's copy);
real git works on its own copy of the same repository (`gitenv-oracle/<repo>`) with the token
sent as a header, so URLs in both outputs are credential-free and differ only in the owner.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_gitenv.gitcmd import CommandContext, FixedClock, run_git
from pytest_gitenv.gitea import BinaryGitea, GiteaClient
from pytest_gitenv.gitea.isolation import EpisodeRemotes
from pytest_gitenv.store.gitea import GiteaStore
from pytest_gitenv.tasks import load_tasks
from tests.gitoracle import EPOCH, IDENTITY, git_env

pytest_plugins = ["tests.gitea_fixtures"]
pytestmark = pytest.mark.gitea
ORACLE = "gitenv-oracle"


@pytest.fixture(scope="module")
def store(binary_gitea: BinaryGitea, sample_tasks: Path, tmp_path_factory: pytest.TempPathFactory) -> GiteaStore:
    suite = load_tasks(sample_tasks)
    return GiteaStore(binary_gitea, suite.repos, tmp_path_factory.mktemp("gcache"), local_import=True)


@pytest.fixture
def remotes(store: GiteaStore) -> Iterator[EpisodeRemotes]:
    access = store.episode_remotes(uuid.uuid4().hex)
    yield access
    access.close()


@pytest.fixture
def oracle_url(store: GiteaStore, sample_tasks: Path) -> Iterator[str]:
    """A fresh public copy of demo-lib for the real git to push to."""
    client: GiteaClient = store.client
    client.ensure_org(ORACLE)
    name = f"demo-lib-{uuid.uuid4().hex[:8]}"
    client.migrate_repo(str(sample_tasks.parent / "examples/repos/demo-lib.git"), ORACLE, name)
    yield f"{store.server.url}{ORACLE}/{name}.git"
    client.delete_repo(ORACLE, name)


class Pair:
    """The same steps in two workspaces: ours (run_git) and the real git's."""

    def __init__(self, root: Path, store: GiteaStore, remotes: EpisodeRemotes, oracle_url: str) -> None:
        self.ours, self.theirs = root / "ours", root / "theirs"
        self.ours.mkdir()
        self.theirs.mkdir()
        self.remotes, self.store = remotes, store
        self.base_url = store.ensure("demo-lib").clone_url
        self.oracle_url = oracle_url
        home = root / "home"
        home.mkdir()
        self.env = git_env(home) | {
            "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
            "GIT_CONFIG_VALUE_0": f"Authorization: token {store.server.token}",
        }

    def _normalize(self, text: str) -> str:
        text = text.replace(self.oracle_url.removesuffix(".git"), self.base_url.removesuffix(".git"))
        text = re.sub(r"^remote: .*\n", "", text, flags=re.M)  # Gitea's own messages
        return text.replace(str(self.theirs), "<ws>").replace(str(self.ours), "<ws>")

    def state(self, where: str) -> tuple[str, str]:
        """Refs, local config, FETCH_HEAD and reflogs of one clone on both sides, read by real git."""
        def read(root: Path) -> str:
            repo = root / where
            out = []
            for argv in (["for-each-ref", "--format=%(refname) %(objectname) %(symref)"],
                         ["config", "--local", "--list"], ["reflog", "show", "--all", "--format=%gD %H %gs"]):
                out.append(subprocess.run(["git", *argv], cwd=repo, env=self.env, capture_output=True,
                                          text=True).stdout)
            fetch_head = repo / ".git" / "FETCH_HEAD"
            out.append(fetch_head.read_text() if fetch_head.exists() else "")
            text = self._normalize("\n".join(out))  # a pull's merge names its URL: its SHA differs
            return re.sub(r"^.* Merge made by .*\n", "", text, flags=re.M)
        return read(self.ours), read(self.theirs)

    def run(self, command: str, where: str = "demo-lib") -> tuple[tuple[int, str, str], tuple[int, str, str]]:
        ours_cwd = self.ours / where if where else self.ours
        ctx = CommandContext(self.ours, ours_cwd, IDENTITY, FixedClock(EPOCH), remotes=self.remotes)
        mine = run_git(command.replace("{url}", self.base_url), ctx)
        real = subprocess.run(["git", *shlex.split(command.replace("{url}", self.oracle_url))],
                              cwd=self.theirs / where if where else self.theirs, env=self.env,
                              capture_output=True, text=True)
        return ((mine.exit_code, mine.stdout, self._normalize(mine.stderr)),
                (real.returncode, self._normalize(real.stdout), self._normalize(real.stderr)))


def replay(pair: Pair, steps: list[tuple[str, str]]) -> None:
    """Run `steps` on both sides comparing outputs, then compare both clones' states."""
    for number, (command, where) in enumerate(steps, 1):
        mine, real = pair.run(command, where)
        assert mine == real, f"step {number}: git {command} (in {where or 'workspace'})"
    for where in ("demo-lib", "two"):
        ours, theirs = pair.state(where)
        assert ours == theirs, f"repository state of {where}:\n" + "".join(
            difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True), "git", "ours"))


SCENARIO = [
    ("clone {url} demo-lib", ""),
    ("clone {url} two", ""),
    ("ls-remote", "demo-lib"),
    ("ls-remote --heads origin", "demo-lib"),
    ("ls-remote --tags --refs origin", "demo-lib"),
    ("ls-remote --symref origin HEAD", "demo-lib"),
    ("commit --allow-empty -m one", "demo-lib"),
    ("push", "demo-lib"),
    ("push", "demo-lib"),
    ("checkout -b feat", "demo-lib"),
    ("commit --allow-empty -m two", "demo-lib"),
    ("push", "demo-lib"),
    ("push -u origin feat", "demo-lib"),
    ("tag v2", "demo-lib"),
    ("push --tags", "demo-lib"),
    ("push origin main:refs/heads/other", "demo-lib"),
    ("push --delete origin other", "demo-lib"),
    ("push origin --delete nothere", "demo-lib"),
    ("push origin nosuch", "demo-lib"),
    ("fetch", "two"),
    ("fetch", "two"),
    ("pull", "two"),
    ("commit --allow-empty -m three", "two"),
    ("push", "two"),
    ("checkout main", "demo-lib"),
    ("commit --allow-empty -m four", "demo-lib"),
    ("push", "demo-lib"),
    ("fetch origin main", "demo-lib"),
    ("pull", "demo-lib"),
    ("pull --no-rebase", "demo-lib"),
    ("log -1 --format=%s", "demo-lib"),  # the merge names the URL, so its SHA differs; not pushed
    ("reset --hard origin/main", "demo-lib"),
    ("push", "demo-lib"),
    ("reset --hard HEAD~2", "demo-lib"),
    ("push origin main", "demo-lib"),
    ("push -f origin main", "demo-lib"),
    ("tag -f v2 HEAD~1", "demo-lib"),
    ("push origin v2", "demo-lib"),
    ("push --delete origin feat", "demo-lib"),
    ("fetch --prune", "two"),
    ("ls-remote --exit-code origin refs/heads/feat", "two"),
    ("log --oneline -3", "demo-lib"),
    ("log --oneline -3", "two"),
    ("status", "two"),
]
MORE = [
    ("clone {url} demo-lib", ""),
    ("clone {url} two", ""),
    ("clone {url} two", ""),
    ("clone -b release/1.0 {url} rel", ""),
    ("status", "rel"),
    ("clone -q {url} quiet", ""),
    ("clone -b nope {url} nope", ""),
    ("checkout -b topic", "demo-lib"),
    ("commit --allow-empty -m t1", "demo-lib"),
    ("push origin topic", "demo-lib"),
    ("push origin HEAD:refs/heads/topic2 topic:topic3", "demo-lib"),
    ("push origin topic:nowhere", "demo-lib"),
    ("push origin HEAD", "demo-lib"),
    ("fetch origin topic", "two"),
    ("fetch origin topic:refs/heads/local-topic", "two"),
    ("fetch origin topic:main", "two"),
    ("fetch origin 'refs/heads/topic*:refs/remotes/t/topic*'", "two"),
    ("pull origin topic", "two"),
    ("log --oneline -2", "two"),
    ("pull --ff-only", "two"),
    ("fetch nowhere", "two"),
    ("fetch origin nosuchbranch", "two"),
    ("ls-remote origin 'refs/heads/topic*'", "two"),
    ("ls-remote -q --exit-code origin nothing", "two"),
    ("ls-remote --get-url", "two"),
    ("push -q origin topic:topic4", "demo-lib"),
    ("push --dry-run origin topic:topic5", "demo-lib"),
]


def test_remote_commands_match_real_git(tmp_path: Path, store: GiteaStore, remotes: EpisodeRemotes,
                                        oracle_url: str) -> None:
    pair = Pair(tmp_path, store, remotes, oracle_url)
    replay(pair, SCENARIO)


TAGS = [
    ("clone {url} demo-lib", ""),
    ("clone {url} two", ""),
    ("tag -a t1 -m 'tag one'", "demo-lib"),
    ("tag t2 HEAD~1", "demo-lib"),
    ("push origin t1 t2", "demo-lib"),
    ("push --tags", "demo-lib"),
    ("fetch", "two"),
    ("tag -f t2 HEAD", "demo-lib"),
    ("push origin t2", "demo-lib"),
    ("push --force origin t2", "demo-lib"),
    ("fetch --tags", "two"),
    ("fetch --tags --force", "two"),
    ("ls-remote --tags origin", "two"),
    ("checkout -b side origin/feature/conflict", "demo-lib"),
    ("reset --hard HEAD~1", "demo-lib"),
    ("push origin side:feature/conflict", "demo-lib"),
    ("checkout main", "demo-lib"),
    ("push origin side:feature/conflict", "demo-lib"),
    ("push origin :t1 --delete", "demo-lib"),
    ("push origin :t1", "demo-lib"),
    ("fetch -p -q", "two"),
    ("push -d origin t2 feature/old-docs", "demo-lib"),
    ("fetch --prune", "two"),
]


PULLS = [
    ("clone {url} demo-lib", ""),
    ("clone {url} two", ""),
    ("rm -q README.md", "demo-lib"),
    ("commit -qm 'drop readme'", "demo-lib"),
    ("push -q", "demo-lib"),
    ("pull", "two"),
    ("status -sb", "two"),
    ("checkout -b loose", "two"),
    ("pull", "two"),
    ("pull origin release/1.0", "two"),
    ("checkout -q --detach HEAD", "two"),
    ("pull", "two"),
    ("checkout -q main", "two"),
    ("pull --ff-only origin feature/old-docs", "two"),
]


def test_pull_matches_real_git(tmp_path: Path, store: GiteaStore, remotes: EpisodeRemotes, oracle_url: str) -> None:
    pair = Pair(tmp_path, store, remotes, oracle_url)
    replay(pair, PULLS)
    refused = pair.run("pull --rebase", "two")[0]
    assert refused[0] == 128 and "not supported" in refused[2]


def test_tag_and_rejection_commands_match_real_git(tmp_path: Path, store: GiteaStore, remotes: EpisodeRemotes,
                                                   oracle_url: str) -> None:
    pair = Pair(tmp_path, store, remotes, oracle_url)
    replay(pair, TAGS)


def test_more_remote_commands_match_real_git(tmp_path: Path, store: GiteaStore, remotes: EpisodeRemotes,
                                             oracle_url: str) -> None:
    pair = Pair(tmp_path, store, remotes, oracle_url)
    replay(pair, MORE)


def test_no_credentials_anywhere(tmp_path: Path, store: GiteaStore, remotes: EpisodeRemotes,
                                 oracle_url: str) -> None:
    pair = Pair(tmp_path, store, remotes, oracle_url)
    outputs = [pair.run(command, where)[0] for command, where in SCENARIO[:16]]
    token = store.server.token
    assert token
    assert all(token not in out and token not in err for _, out, err in outputs)
    for root, _dirs, files in os.walk(pair.ours):
        for name in files:
            assert token.encode() not in (Path(root) / name).read_bytes()
    copy = next(iter(remotes.copies.values()))
    assert all(copy not in out + err for _, out, err in outputs), "the episode copy's name leaked"


def test_unreachable_urls_are_refused(tmp_path: Path, remotes: EpisodeRemotes) -> None:
    (tmp_path / "ws").mkdir()
    ctx = CommandContext(tmp_path / "ws", tmp_path / "ws", IDENTITY, FixedClock(EPOCH), remotes=remotes)
    for url in ("http://example.com/x.git", "http://127.0.0.1:1/gitenv/demo-lib.git",
                remotes.store.server.url + "gitenv-ep/demo-lib-x.git",
                remotes.store.server.url.replace("http://", "http://u:p@") + "gitenv/demo-lib.git"):
        result = run_git(["ls-remote", url], ctx)
        assert result.exit_code == 128 and "unable to access" in result.stderr
        assert ":p@" not in result.stderr
    result = run_git("clone http://example.com/x.git", CommandContext(tmp_path / "ws", tmp_path / "ws"))
    assert result.exit_code == 128 and "Gitea backend" in result.stderr


@pytest.mark.parametrize("command", [
    "ls-remote --upload-pack=touch /tmp/pwned {url}",
    "fetch --upload-pack=touch origin",
    "push --receive-pack=touch origin main",
    "clone --upload-pack=touch {url} x",
    "clone -c core.fsmonitor=touch {url} x",
    "clone --template=/tmp {url} x",
    "clone {url} /tmp/gitenv-outside",
    "clone {url} ../outside",
    "clone {url} .",
    "push file:///etc main",
    "fetch ../../etc",
])
def test_hostile_remote_invocations_do_nothing(command: str, tmp_path: Path, store: GiteaStore,
                                               remotes: EpisodeRemotes) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    ctx = CommandContext(ws, ws, IDENTITY, FixedClock(EPOCH), remotes=remotes)
    url = store.ensure("demo-lib").clone_url
    assert run_git(f"clone -q {url} origin-repo", ctx).ok
    inner = CommandContext(ws, ws / "origin-repo", IDENTITY, FixedClock(EPOCH), remotes=remotes)
    result = run_git(command.replace("{url}", url), inner if not command.startswith(("clone", "ls-remote")) else ctx)
    assert result.exit_code != 0
    assert not Path("/tmp/pwned").exists() and not Path("/tmp/gitenv-outside").exists()
    assert not (tmp_path / "outside").exists() and sorted(p.name for p in ws.iterdir()) == ["origin-repo"]
    assert remotes.copies == {}, "a refused push must not create the episode's copy"
