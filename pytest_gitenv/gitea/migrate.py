"""Put the tasks' repositories into a Gitea: once per server, idempotent, safe in parallel.

A repository is up to date when Gitea's HEAD branch, branches and tags equal the source's
(the same digest on both sides, so nothing needs recording and a changed source is noticed
on any machine). Missing repositories are created with Gitea's migrate API (a local path
when the server can read ours, a URL Gitea fetches itself) or by pushing; changed ones are
updated by a mirror push. A file lock per server and repository serializes processes on
this machine; "already exists" from another machine is tolerated.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dulwich.client import HttpGitClient, LocalGitClient
from dulwich.repo import BaseRepo, Repo

from pytest_gitenv import sources
from pytest_gitenv.cachedir import cache_dir, file_lock
from pytest_gitenv.gitea.client import GiteaClient
from pytest_gitenv.gitea.launcher import GiteaError, GiteaUnavailable
from pytest_gitenv.gitea.smarthttp import RefState, git_client, mirror_push, remote_state, repo_state
from pytest_gitenv.tasks import RepoSpec

BASE_OWNER = "gitenv"


def server_id(url: str) -> str:
    """A short stable name for the server at `url` (cache and lock folder)."""
    return hashlib.sha1(url.rstrip("/").encode()).hexdigest()[:12]


def server_dir(url: str) -> Path:
    """`<cache>/gitea-objects/<server-id>`: object caches and locks for one server."""
    return cache_dir() / "gitea-objects" / server_id(url)


class MigrationError(RuntimeError):
    """A repository could not be put into Gitea; names it and gives the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"migrating repository {name!r} into Gitea failed: {reason}")
        self.name, self.reason = name, reason


@dataclass(frozen=True)
class Migration:
    """What one migration did: 'created', 'updated' or 'unchanged', and how long it took."""

    name: str
    action: str
    seconds: float

    def line(self) -> str:
        return f"{self.name}: {self.action} ({self.seconds:.2f}s)"


def source_state(source: str) -> RefState:
    """HEAD branch and refs of a source (a URL is asked over the network)."""
    kind = sources.describe(source)
    if kind == "repository":
        with Repo(source) as repo:
            return repo_state(repo)
    if kind == "url":
        if source.lower().startswith("file://"):
            result = LocalGitClient().get_refs(source.removeprefix("file://").encode())
        else:
            result = git_client(source).get_refs(urlsplit(source).path.encode())
        return RefState(result.symrefs.get(b"HEAD"), {k: v for k, v in result.refs.items() if v})
    with _staged(source) as repo:  # a bundle: HEAD is chosen the way the embedded store does
        return repo_state(repo)


@contextmanager
def _staged(source: str) -> Iterator[BaseRepo]:
    """The source as a local repository: itself, or a temporary bare copy of a bundle or URL."""
    if sources.describe(source) == "repository":
        with Repo(source) as repo:
            yield repo
        return
    with tempfile.TemporaryDirectory(prefix="gitenv-stage-") as tmp, Repo.init_bare(tmp) as repo:
        sources.fetch_into(source, repo)
        yield repo


class Migrator:
    """Creates or updates repositories under `owner` in the Gitea `client` talks to."""

    def __init__(self, client: GiteaClient, git: HttpGitClient, *, owner: str = BASE_OWNER,
                 local_import: bool = False, lock_dir: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.client, self.git, self.owner = client, git, owner
        self.local_import = local_import  # the server reads paths on this machine (binary backend)
        self.progress = progress
        self.lock_dir = Path(lock_dir) if lock_dir else server_dir(client.url) / "locks"
        self._owner_ready = False

    def migrate_all(self, specs: Iterable[RepoSpec]) -> list[Migration]:
        return [self.migrate(spec) for spec in specs]

    def migrate(self, spec: RepoSpec) -> Migration:
        """Make Gitea's `owner/<spec.name>` equal to the source; raises MigrationError."""
        started = time.monotonic()
        try:
            wanted = source_state(spec.source)
            with file_lock(self.lock_dir / f"{self.owner}--{spec.name}.lock",
                           on_wait=lambda: self._say(f"{spec.name}: waiting for another migration")):
                action = self._sync(spec, wanted)
        except GiteaUnavailable:
            raise
        except GiteaError as exc:
            raise MigrationError(spec.name, f"Gitea says: {exc.message} ({exc.method} {exc.endpoint}, "
                                            f"HTTP {exc.status})") from None
        except Exception as exc:  # source, transport or push failures: name the repository
            raise MigrationError(spec.name, f"{type(exc).__name__}: {exc}") from None
        done = Migration(spec.name, action, time.monotonic() - started)
        self._say(done.line())
        return done

    def _path(self, name: str) -> str:
        return f"{self.owner}/{name}.git"

    def _sync(self, spec: RepoSpec, wanted: RefState) -> str:
        info = self.client.get_repo(self.owner, spec.name)
        if info is not None and spec.description and info.get("description") != spec.description:
            self._edit(spec.name, description=spec.description)
        if info is None:
            if not self._owner_ready:
                if self.owner != self.client.whoami()["login"]:
                    self.client.ensure_org(self.owner, description="pytest-gitenv base repositories")
                self._owner_ready = True
            try:
                self._create(spec)
            except GiteaError as exc:
                if exc.status != 409:  # 409: created meanwhile elsewhere; check it below
                    raise
            action = "created"
        else:
            action = "updated"
        current = remote_state(self.git, self._path(spec.name))
        if current.stamp == wanted.stamp:
            return "unchanged" if action == "updated" else action
        with _staged(spec.source) as repo:
            mirror_push(self.git, self._path(spec.name), repo, wanted.published)
        if wanted.head and wanted.head != current.head:
            self._edit(spec.name, default_branch=wanted.head.decode().removeprefix("refs/heads/"))
        return action

    def _edit(self, name: str, **fields: str) -> None:
        self.client._request("PATCH", f"/api/v1/repos/{self.owner}/{name}", json=fields)  # no public edit yet

    def _create(self, spec: RepoSpec) -> None:
        kind = sources.describe(spec.source)
        remote_url = kind == "url" and not spec.source.lower().startswith("file://")
        if remote_url or self.local_import:
            with _address(spec.source) as where:
                try:
                    self.client.migrate_repo(where, self.owner, spec.name, spec.description)
                    return
                except GiteaError as exc:
                    if exc.status not in (403, 422):  # refused this kind of address: push instead
                        raise
                    self._say(f"{spec.name}: Gitea refused the import ({exc.message}); pushing instead")
        self.client.create_repo(spec.name, owner=self.owner, description=spec.description)

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)


@contextmanager
def _address(source: str) -> Iterator[str]:
    """What Gitea's migrate API is given: the URL, the local path, or a bundle unpacked to a path."""
    if sources.describe(source) == "bundle":
        with _staged(source) as repo:
            yield repo.path
        return
    yield source.removeprefix("file://")
