"""The Gitea store: repositories live in a real Gitea; their objects are cached on this machine.

`ensure(name)` migrates the tasks' repositories (once per server, see gitea/migrate.py) and
fetches the repository over smart HTTP into `<root>/<name>.git`, a bare repository shared by
every workspace and process on the machine and fetched once per repository version (the
digest of Gitea's refs) under a file lock. Workspaces borrow its objects, so resets cost
what they cost with the embedded store and need no Gitea at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dulwich.errors import GitProtocolError
from dulwich.repo import Repo
from urllib3.exceptions import HTTPError

from pytest_gitenv.cachedir import file_lock
from pytest_gitenv.gitea.client import GiteaClient
from pytest_gitenv.gitea.launcher import START_HINT, GiteaServer, GiteaUnavailable
from pytest_gitenv.gitea.migrate import BASE_OWNER, Migration, Migrator, server_dir, server_id
from pytest_gitenv.gitea.smarthttp import PUBLISHED, RefState, fetch_all, git_client, remote_state
from pytest_gitenv.store import StoredRepo
from pytest_gitenv.store.local import UnknownRepoError
from pytest_gitenv.tasks import RepoSpec

if TYPE_CHECKING:
    from pytest_gitenv.gitea.isolation import EpisodeRemotes

_STAMP = "gitenv-gitea.json"


class GiteaDown(GiteaUnavailable, ConnectionError):
    """Gitea stopped answering during a run; an OSError, so GitEnv reports a failed step."""


@contextmanager
def _answering(url: str) -> Iterator[None]:
    try:
        yield
    except GiteaDown:
        raise
    except GiteaUnavailable as exc:
        raise GiteaDown(str(exc)) from None
    except (HTTPError, GitProtocolError, OSError) as exc:
        raise GiteaDown(f"Gitea at {url.rstrip('/')} is not answering ({type(exc).__name__}): {START_HINT}") from None


class GiteaStore:
    """Repositories of `owner` in the Gitea `server`, with a local object cache under `root`."""

    kind = "gitea"

    def __init__(self, server: GiteaServer, repos: Mapping[str, RepoSpec], root: Path | None = None, *,
                 owner: str = BASE_OWNER, local_import: bool = False, own_server: bool = False,
                 timeout: float = 10.0, progress: Callable[[str], None] | None = None) -> None:
        self.server = server
        self.repos = dict(repos)
        self.owner = owner
        self.root = Path(root) / "gitea-objects" / server_id(server.url) if root else server_dir(server.url)
        self.timeout = timeout
        self.progress = progress
        self.own_server = own_server
        self.client = GiteaClient(server.url, server.token, timeout)
        self.git = git_client(server.url, server.token, timeout)
        self.migrator = Migrator(self.client, self.git, owner=owner, local_import=local_import,
                                 lock_dir=self.root / "locks", progress=progress)
        self.migrations: list[Migration] = []
        self.pending_deletes: set[str] = set()  # episode copies whose deletion failed (Gitea down)
        self.episode_owners: set[str] = set()  # organizations for episode copies known to exist
        self._ready: dict[str, StoredRepo] = {}

    def migrate(self) -> list[Migration]:
        """Bring every task repository into Gitea (no-op when already equal); once per store."""
        if not self.migrations:
            self.migrations = self.migrator.migrate_all(self.repos[n] for n in sorted(self.repos))
        return self.migrations

    def ensure(self, name: str) -> StoredRepo:
        """The repository `name`: migrated, then cached locally at its current version."""
        if name in self._ready:
            return self._ready[name]
        with _answering(self.server.url):
            stored = self._ensure(name)
        self._ready[name] = stored
        return stored

    def _ensure(self, name: str) -> StoredRepo:
        self.migrate()
        info = self.client.get_repo(self.owner, name)
        if info is None:
            raise UnknownRepoError(name, sorted({*self.repos, *(r.name for r in self.list_repos())}))
        path = self.root / f"{name}.git"
        state = remote_state(self.git, self.repo_path(name))
        if _stamp(path) != state.stamp:
            with file_lock(self.root / "locks" / f"cache--{name}.lock",
                           on_wait=lambda: self._say(f"{name}: waiting for another fetch")):
                if _stamp(path) != state.stamp:
                    self._say(f"{name}: fetching into the local object cache")
                    self._fetch(name, path)
        return self._stored(info, path)

    def list_repos(self) -> list[StoredRepo]:
        """Every repository of `owner` in Gitea (all pages), task repositories migrated first."""
        with _answering(self.server.url):
            self.migrate()
            listing = self.client.list_repos(self.owner)
        return [self._stored(info, self.root / f"{info['name']}.git") for info in listing]

    def repo_path(self, name: str, owner: str | None = None) -> str:
        """The repository's path on the server for smart HTTP."""
        return f"{owner or self.owner}/{name}.git"

    def episode_remotes(self, episode_id: str) -> EpisodeRemotes:
        """The RemoteAccess for one episode (GitEnv calls its close() when the episode ends)."""
        from pytest_gitenv.gitea.isolation import EpisodeRemotes

        return EpisodeRemotes(self, episode_id)

    def close(self) -> None:
        """Stop the server when this store started it."""
        if self.own_server:
            self.server.stop()

    def _stored(self, info: Mapping[str, object], path: Path) -> StoredRepo:
        return StoredRepo(str(info["name"]), path, str(info["clone_url"]), str(info.get("description") or ""),
                          str(info.get("default_branch") or "main"))

    def _fetch(self, name: str, path: Path) -> None:
        (path / _STAMP).unlink(missing_ok=True)
        repo = Repo(str(path)) if (path / "objects").is_dir() else Repo.init_bare(str(path), mkdir=True)
        with repo:
            state = fetch_all(self.git, self.repo_path(name), repo)
            _write_refs(repo, state)
        (path / _STAMP).write_text(json.dumps({"url": self.server.url, "stamp": state.stamp}))

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)


def _stamp(path: Path) -> str | None:
    try:
        return json.loads((path / _STAMP).read_text())["stamp"]
    except (OSError, ValueError, KeyError):
        return None


def _write_refs(repo: Repo, state: RefState) -> None:
    """Make the cache's branches, tags and HEAD exactly Gitea's."""
    wanted = state.published
    for ref in list(repo.refs.allkeys()):
        if ref.startswith(PUBLISHED) and ref not in wanted:
            del repo.refs[ref]
    for ref, sha in wanted.items():
        repo.refs[ref] = sha
    if state.head:
        repo.refs.set_symbolic_ref(b"HEAD", state.head)
