"""Repository sources named in tasks.yaml: a local repository, a bundle file or a URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from dulwich.bundle import read_bundle
from dulwich.client import HttpGitClient, LocalGitClient
from dulwich.errors import NotGitRepository
from dulwich.objects import Commit, Tag
from dulwich.repo import BaseRepo, Repo

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HEX = re.compile(r"^[0-9a-f]{4,40}$")
_SUFFIXES = re.compile(r"^(.*?)((?:[~^]\d*)*)$")
ALLOWED_SCHEMES = ("http://", "https://", "file://")


class SourceError(ValueError):
    """A source that cannot be used; `hint` says what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def resolve(source: str, base: Path) -> str:
    """A URL as is; a path made absolute relative to `base` (the tasks file's folder)."""
    if is_url(source):
        return source
    return str((base / Path(source).expanduser()).resolve())


def describe(source: str) -> str:
    """'url', 'bundle' or 'repository'; raises SourceError when unusable."""
    if is_url(source):
        if not source.lower().startswith(ALLOWED_SCHEMES):
            raise SourceError(f"unsupported URL scheme in {source!r}", "use http(s)://, file:// or a local path")
        return "url"
    path = Path(source)
    if path.is_file():
        with path.open("rb") as handle:
            if not handle.read(16).startswith(b"# v2 git bundle") and not _is_v3_bundle(path):
                raise SourceError(f"{source} is a file but not a git bundle", "create one with 'git bundle create'")
        return "bundle"
    if not path.exists():
        raise SourceError(f"source path {source} does not exist",
                          "build the sample repositories with 'python scripts/make_sample_repos.py'")
    try:
        Repo(str(path)).close()
    except NotGitRepository:
        hint = "point 'source' at a repository, a bundle or a URL"
        raise SourceError(f"{source} is not a git repository", hint) from None
    return "repository"


def _is_v3_bundle(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16).startswith(b"# v3 git bundle")


def list_refs(source: str) -> dict[bytes, bytes] | None:
    """Refs of a local source (None for a URL: known only after fetching)."""
    kind = describe(source)
    if kind == "url":
        return None
    if kind == "bundle":
        with open(source, "rb") as handle:
            bundle = read_bundle(handle)
            refs = dict(bundle.references)
            bundle.close()
            return refs
    with Repo(source) as repo:
        return dict(repo.get_refs())


def ref_exists(refs: dict[bytes, bytes], ref: str) -> bool:
    """Whether `ref` names a ref in `refs`, or could be a commit SHA (checked again on import)."""
    name = ref.encode()
    return any(c in refs for c in _ref_candidates(name)) or bool(_HEX.match(ref))


def _ref_candidates(name: bytes) -> tuple[bytes, ...]:
    """The full ref names a short name may mean, in git's lookup order."""
    return name, b"refs/heads/" + name, b"refs/tags/" + name, b"refs/remotes/" + name


def resolve_commit(repo: BaseRepo, ref: str) -> bytes | None:
    """The commit `ref` names in `repo` (branch, tag, full ref or SHA, then any `~n` / `^n`), or None."""
    match = _SUFFIXES.match(ref)
    base, suffixes = (match.group(1), match.group(2)) if match else (ref, "")
    sha = _resolve_name(repo, base or "HEAD")
    for op, count in re.findall(r"([~^])(\d*)", suffixes):
        steps = int(count) if count else 1
        if sha is None:
            return None
        parents = repo.object_store[sha].parents
        if op == "^":
            sha = (parents[steps - 1] if steps <= len(parents) else None) if steps else sha
        else:
            for _ in range(steps):
                parents = repo.object_store[sha].parents
                sha = parents[0] if parents else None
                if sha is None:
                    return None
    return sha


def _resolve_name(repo: BaseRepo, ref: str) -> bytes | None:
    name = ref.encode()
    refs = repo.refs
    for candidate in _ref_candidates(name):
        if candidate in refs:
            return _peel_to_commit(repo, refs[candidate])
    if _HEX.match(ref):
        if len(ref) == 40:
            return _peel_to_commit(repo, name) if name in repo.object_store else None
        commits = {_peel_to_commit(repo, sha) for sha in repo.object_store.iter_prefix(name)} - {None}
        if len(commits) == 1:
            return commits.pop()
    return None


def _peel_to_commit(repo: BaseRepo, sha: bytes) -> bytes | None:
    obj = repo.object_store[sha]
    while isinstance(obj, Tag):
        obj = repo.object_store[obj.object[1]]
    return obj.id if isinstance(obj, Commit) else None


def fetch_into(source: str, target: Repo, progress: Callable[[str], None] | None = None) -> dict[bytes, bytes]:
    """Copy every object and ref of `source` into the bare repository `target`; returns its refs."""
    kind = describe(source)
    head_branch = None
    if kind == "bundle":
        with open(source, "rb") as handle:
            bundle = read_bundle(handle)
            bundle.store_objects(target.object_store)
            refs = dict(bundle.references)
            bundle.close()
    else:
        if kind == "url" and not source.lower().startswith("file://"):
            url = urlparse(source)
            client, path = HttpGitClient.from_parsedurl(url), url.path
        else:
            client, path = LocalGitClient(), source.removeprefix("file://")
        result = client.fetch(path, target, determine_wants=lambda refs, depth=None: _wanted(refs, target))
        refs = {k: v for k, v in result.refs.items() if v is not None}
        head_branch = result.symrefs.get(b"HEAD")
    _write_refs(target, refs, head_branch)
    if progress:
        progress(f"imported {source}: {sum(1 for r in refs if r.startswith(b'refs/'))} refs")
    return refs


def _wanted(refs: dict[bytes, bytes], target: Repo) -> list[bytes]:
    return [sha for name, sha in refs.items()
            if sha and not name.endswith(b"^{}") and sha not in target.object_store]


def _write_refs(target: Repo, refs: dict[bytes, bytes], head_branch: bytes | None) -> None:
    """Make the target's branches and tags exactly the source's."""
    wanted = {name: sha for name, sha in refs.items()
              if name.startswith((b"refs/heads/", b"refs/tags/")) and not name.endswith(b"^{}")}
    for name in list(target.refs.allkeys()):
        if name.startswith(b"refs/") and name not in wanted:
            del target.refs[name]
    for name, sha in wanted.items():
        target.refs[name] = sha
    head = refs.get(b"HEAD")
    branches = [n for n, s in sorted(wanted.items()) if s == head and n.startswith(b"refs/heads/")]
    branch = head_branch if head_branch in wanted else next(iter(branches), None)
    if branch is None:  # no usable HEAD: prefer main, then the first branch
        branch = b"refs/heads/main" if b"refs/heads/main" in wanted else next(
            (n for n in sorted(wanted) if n.startswith(b"refs/heads/")), None)
    if branch:
        target.refs.set_symbolic_ref(b"HEAD", branch)
