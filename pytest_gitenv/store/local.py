"""The embedded store: bare repositories in a cache directory, imported once per source state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from dulwich.repo import Repo

from pytest_gitenv import sources
from pytest_gitenv.cachedir import cache_dir, file_lock
from pytest_gitenv.store import StoredRepo
from pytest_gitenv.tasks import RepoSpec

_STAMP = "gitenv-source.json"


class UnknownRepoError(KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.message = f"unknown repository {name!r}; known: {', '.join(known) or '(none)'}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def source_stamp(source: str) -> str | None:
    """A digest that changes when the source's content changes (None: cannot tell, refetch)."""
    kind = sources.describe(source)
    if kind == "url":
        return None
    if kind == "bundle":
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    with Repo(source) as repo:
        head = repo.refs.get_symrefs().get(b"HEAD", b"")
        refs = sorted((k, v) for k, v in repo.get_refs().items() if k.startswith(b"refs/"))
    return hashlib.sha256(repr((head, refs)).encode()).hexdigest()


class LocalStore:
    """Bare repositories under `<root>/<name>-<hash of source>.git`, safe to share between processes."""

    kind = "local"

    def __init__(self, repos: Mapping[str, RepoSpec], root: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.repos = dict(repos)
        self.root = Path(root) if root else cache_dir() / "store"
        self.progress = progress
        self._ready: dict[str, StoredRepo] = {}

    def path_for(self, spec: RepoSpec) -> Path:
        digest = hashlib.sha1(spec.source.encode()).hexdigest()[:12]
        return self.root / f"{spec.name}-{digest}.git"

    def ensure(self, name: str) -> StoredRepo:
        """Import `name` if its source changed since the last import (under a file lock)."""
        if name in self._ready:
            return self._ready[name]
        spec = self.repos.get(name)
        if spec is None:
            raise UnknownRepoError(name, sorted(self.repos))
        path = self.path_for(spec)
        stamp = source_stamp(spec.source)
        if stamp is None or self._stamp(path) != stamp:
            with file_lock(path.with_suffix(".lock"), on_wait=lambda: self._say(f"waiting for {name}")):
                if stamp is None or self._stamp(path) != stamp:
                    self._import(spec, path, stamp)
        with Repo(str(path)) as repo:
            head = repo.refs.get_symrefs().get(b"HEAD", b"refs/heads/main")
        stored = StoredRepo(name, path, str(path), spec.description,
                            head.decode().removeprefix("refs/heads/"))
        self._ready[name] = stored
        return stored

    def list_repos(self) -> list[StoredRepo]:
        return [self.ensure(name) for name in sorted(self.repos)]

    def _stamp(self, path: Path) -> str | None:
        try:
            return json.loads((path / _STAMP).read_text())["stamp"]
        except (OSError, ValueError, KeyError):
            return None

    def _import(self, spec: RepoSpec, path: Path, stamp: str | None) -> None:
        self._say(f"importing {spec.name} from {spec.source}")
        (path / _STAMP).unlink(missing_ok=True)
        repo = Repo(str(path)) if (path / "objects").is_dir() else Repo.init_bare(str(path), mkdir=True)
        with repo:
            sources.fetch_into(spec.source, repo)
        (path / _STAMP).write_text(json.dumps({"source": spec.source, "stamp": stamp}))

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)
