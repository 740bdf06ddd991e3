"""Git over smart HTTP against Gitea with dulwich: authenticated clients, refs, fetch, mirror push.

Credentials travel only inside the client (basic auth header); URLs and messages never hold them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from dulwich.client import HttpGitClient
from dulwich.config import ConfigDict
from dulwich.repo import BaseRepo
from urllib3.util.retry import Retry

ZERO_SHA = b"0" * 40
PUBLISHED = (b"refs/heads/", b"refs/tags/")


def git_client(url: str, token: str = "", timeout: float = 10.0) -> HttpGitClient:
    """A smart-HTTP client for the Gitea at `url` sending the API token as a header (user config,
    proxies and netrc ignored)."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}/"
    client = HttpGitClient(base, config=ConfigDict(), timeout=timeout, quiet=True)
    client.pool_manager.connection_pool_kw["retries"] = Retry(total=1, read=0, backoff_factor=0)  # bounded waits
    if token:  # dulwich 1.2 stores but never sends `extra_headers`: set it on the pool itself
        client.pool_manager.headers["Authorization"] = f"token {token}"
    return client


@dataclass(frozen=True)
class RefState:
    """A repository's published refs (branches, tags) and the branch its HEAD names."""

    head: bytes | None
    refs: dict[bytes, bytes]

    @property
    def stamp(self) -> str:
        """A digest equal for two repositories with the same HEAD branch, branches and tags."""
        wanted = sorted((k, v) for k, v in self.refs.items() if k.startswith(PUBLISHED) and not k.endswith(b"^{}"))
        return hashlib.sha256(repr((self.head, wanted)).encode()).hexdigest()

    @property
    def published(self) -> dict[bytes, bytes]:
        return {k: v for k, v in self.refs.items() if k.startswith(PUBLISHED) and not k.endswith(b"^{}")}


def remote_state(client: HttpGitClient, path: str) -> RefState:
    """HEAD's branch and refs of the repository at `path` (one request)."""
    result = client.get_refs(path.encode())
    return RefState(result.symrefs.get(b"HEAD"), {k: v for k, v in result.refs.items() if v is not None})


def repo_state(repo: BaseRepo) -> RefState:
    """HEAD's branch and refs of a local repository."""
    head = repo.refs.get_symrefs().get(b"HEAD")
    return RefState(head, {k: v for k, v in repo.get_refs().items() if k.startswith(b"refs/")})


def fetch_all(client: HttpGitClient, path: str, target: BaseRepo) -> RefState:
    """Fetch every missing object of the remote's refs into `target` (refs untouched)."""

    def wants(refs: dict[bytes, bytes], depth: int | None = None) -> list[bytes]:
        return sorted({sha for name, sha in refs.items()
                       if sha and not name.endswith(b"^{}") and sha not in target.object_store})

    result = client.fetch(path, target, determine_wants=wants)
    return RefState(result.symrefs.get(b"HEAD"), {k: v for k, v in result.refs.items() if v is not None})


def mirror_push(client: HttpGitClient, path: str, source: BaseRepo, wanted: dict[bytes, bytes]) -> None:
    """Make the remote's branches and tags exactly `wanted` (forced updates and deletions)."""

    def update_refs(remote: dict[bytes, bytes]) -> dict[bytes, bytes]:
        updates = {k: v for k, v in wanted.items() if remote.get(k) != v}
        stale = [k for k in remote if k.startswith(PUBLISHED) and not k.endswith(b"^{}") and k not in wanted]
        return updates | dict.fromkeys(stale, ZERO_SHA)

    result = client.send_pack(path.encode(), update_refs, source.generate_pack_data)
    failed = {k.decode(): v for k, v in (result.ref_status or {}).items() if v}
    if failed:
        raise RuntimeError("push refused: " + ", ".join(f"{k} ({v})" for k, v in sorted(failed.items())))
