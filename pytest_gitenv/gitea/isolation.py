"""Per-episode isolation on Gitea: base repositories stay read-only; pushes go to a private copy.

`EpisodeRemotes` is the `RemoteAccess` of one episode. URLs of the store's base repositories
(`<server>/<owner>/<repo>.git`) are the only reachable ones. The first push to one copies it
to `gitenv-ep/<repo>-<episode>` (Gitea imports the local object cache when it can read our
paths, else an empty repository is filled by one push), and
from then on every fetch, pull, ls-remote and push of that URL in the episode uses the copy,
so parallel episodes never see each other's pushes. `close()` deletes the copies; a deletion
that fails while Gitea is down is retried by the next episode's `close()`.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urlsplit

from dulwich.repo import Repo

from pytest_gitenv.gitcmd.remotes import Endpoint, RemoteRefused
from pytest_gitenv.gitea.launcher import GiteaError, GiteaUnavailable
from pytest_gitenv.gitea.smarthttp import mirror_push, remote_state
from pytest_gitenv.store.gitea import GiteaStore

EPISODE_OWNER = "gitenv-ep"


class EpisodeRemotes:
    """Maps the base repositories' URLs to Gitea for one episode; see the module docstring."""

    def __init__(self, store: GiteaStore, episode_id: str, owner: str = EPISODE_OWNER) -> None:
        self.store = store
        self.episode_id = episode_id
        self.owner = owner
        self.copies: dict[str, str] = {}  # base repository name -> its copy's name
        server = urlsplit(store.server.url)
        self._origin = (server.scheme, server.netloc)

    def resolve(self, url: str, *, push: bool = False) -> Endpoint:
        name = self._base_name(url)
        if name in self.copies:
            path = self.store.repo_path(self.copies[name], self.owner)
        elif push:
            path = self.store.repo_path(self._copy(name), self.owner)
        else:
            self.store.ensure(name)  # the local object cache clones borrow
            path = self.store.repo_path(name)
        cache = self.store.root / f"{name}.git" / "objects"
        return Endpoint(url, self.store.git, path, cache if cache.is_dir() else None)

    def redact(self, text: str) -> str:
        if self.store.server.token:
            text = text.replace(self.store.server.token, "***")
        for name, copy in self.copies.items():
            text = text.replace(f"{self.owner}/{copy}", f"{self.store.owner}/{name}")
        return text

    def close(self) -> None:
        """Delete this episode's copies (and any left over from earlier failures)."""
        pending = self.store.pending_deletes
        pending.update(self.copies.values())
        self.copies.clear()
        for copy in sorted(pending):
            try:
                self.store.client.delete_repo(self.owner, copy)
            except (GiteaUnavailable, GiteaError):
                continue
            pending.discard(copy)

    def _base_name(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.username or parts.password:
            raise RemoteRefused("credentials in URLs are not accepted; access is already granted")
        segments = parts.path.strip("/").removesuffix(".git").split("/")
        if (parts.scheme, parts.netloc) != self._origin or len(segments) != 2 or segments[0] != self.store.owner:
            raise RemoteRefused(f"only repositories under {self.store.server.url.rstrip('/')}/"
                                f"{self.store.owner}/ can be reached from this environment")
        return segments[1]

    def _copy(self, name: str) -> str:
        """Create this episode's copy of `name` with the base repository's refs (from the local cache)."""
        stored = self.store.ensure(name)
        copy = f"{name}-{self.episode_id[:12]}"
        client = self.store.client
        if self.owner not in self.store.episode_owners:
            client.ensure_org(self.owner, description="pytest-gitenv per-episode copies")
            self.store.episode_owners.add(self.owner)
        self.store.pending_deletes.add(copy)  # until it is complete: a failure leaves nothing behind
        if client.get_repo(self.owner, copy) is not None:  # half-made by an earlier failed first push
            client.delete_repo(self.owner, copy)
        about = f"episode copy of {name}"
        if self.store.migrator.local_import:  # Gitea clones the local object cache itself (fastest)
            client.migrate_repo(str(stored.path), self.owner, copy, about, private=True)
        else:
            client.create_repo(copy, owner=self.owner, private=True, description=about)
            base = remote_state(self.store.git, self.store.repo_path(name))
            with Repo(str(stored.path)) as repo:
                mirror_push(self.store.git, self.store.repo_path(copy, self.owner), repo, base.published)
            if base.head and base.head != b"refs/heads/main":
                client._request("PATCH", f"/api/v1/repos/{self.owner}/{copy}",
                                json={"default_branch": base.head.decode().removeprefix("refs/heads/")})
        self.store.pending_deletes.discard(copy)
        self.copies[name] = copy
        return copy


def prune_copies(store: GiteaStore, older_than: float, owner: str = EPISODE_OWNER) -> list[str]:
    """Delete episode copies created more than `older_than` seconds ago (left by killed runs)."""
    try:
        repos = store.client.list_repos(owner)
    except GiteaError as exc:
        if exc.status == 404:  # no episode ever pushed here
            return []
        raise
    cutoff = time.time() - older_than
    stale = [r["name"] for r in repos if datetime.fromisoformat(r["created_at"]).timestamp() < cutoff]
    for name in stale:
        store.client.delete_repo(owner, name)
    return stale
