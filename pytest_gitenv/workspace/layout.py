"""Lay out a new workspace repository the way `git clone` would, sharing the store's objects."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dulwich.object_store import BaseObjectStore
from dulwich.objects import Tag

from pytest_gitenv.gitcmd.context import Identity
from pytest_gitenv.gitcmd.index import IndexEntry, IndexFile

ZERO = b"0" * 40


@dataclass(frozen=True)
class StartState:
    """Where a workspace starts: `commit` checked out on `branch` (None: detached)."""

    commit: bytes
    branch: str | None
    origin_url: str
    origin_refs: dict[bytes, bytes]  # the store's refs/heads/* and refs/tags/*
    objects_dir: Path


def write_git_dir(git_dir: Path, start: StartState, store: BaseObjectStore, identity: Identity,
                  timestamp: int) -> None:
    """HEAD, config, packed-refs, alternates and clone reflogs of a fresh clone."""
    for sub in ("objects/info", "objects/pack", "refs/heads", "refs/tags", "refs/remotes/origin",
                "logs/refs/heads", "info"):
        (git_dir / sub).mkdir(parents=True, exist_ok=True)
    (git_dir / "objects/info/alternates").write_text(f"{start.objects_dir}\n")
    (git_dir / "info/exclude").write_text("")
    (git_dir / "packed-refs").write_bytes(_packed_refs(start.origin_refs, store))
    upstream = start.branch is not None and b"refs/heads/" + start.branch.encode() in start.origin_refs
    (git_dir / "config").write_text(_config(start.origin_url, start.branch if upstream else None))
    who = f"{identity.name} <{identity.email}> {timestamp} +0000"
    line = f"{ZERO.decode()} {start.commit.decode()} {who}\tclone: from {start.origin_url}\n"
    (git_dir / "logs/HEAD").write_text(line)
    if start.branch is None:
        (git_dir / "HEAD").write_text(f"{start.commit.decode()}\n")
        return
    (git_dir / "HEAD").write_text(f"ref: refs/heads/{start.branch}\n")
    branch_file = git_dir / "refs/heads" / start.branch
    branch_file.parent.mkdir(parents=True, exist_ok=True)
    branch_file.write_text(f"{start.commit.decode()}\n")
    log_file = git_dir / "logs/refs/heads" / start.branch
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text(line)


def _packed_refs(origin_refs: dict[bytes, bytes], store: BaseObjectStore) -> bytes:
    """refs/remotes/origin/* and tags, sorted by name, each tag followed by its peeled commit."""
    records: list[tuple[bytes, bytes]] = []
    for name, sha in origin_refs.items():
        if name.startswith(b"refs/heads/"):
            local = b"refs/remotes/origin/" + name[len(b"refs/heads/"):]
            records.append((local, sha + b" " + local + b"\n"))
        elif name.startswith(b"refs/tags/"):
            text = sha + b" " + name + b"\n"
            obj = store[sha]
            if isinstance(obj, Tag):
                while isinstance(obj, Tag):
                    obj = store[obj.object[1]]
                text += b"^" + obj.id + b"\n"
            records.append((name, text))
    header = b"# pack-refs with: peeled fully-peeled sorted \n"
    return header + b"".join(text for _, text in sorted(records))


def _config(origin_url: str, upstream_branch: str | None) -> str:
    text = ("[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"
            "\tlogallrefupdates = true\n"
            f'[remote "origin"]\n\turl = {origin_url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n')
    if upstream_branch:
        text += f'[branch "{upstream_branch}"]\n\tremote = origin\n\tmerge = refs/heads/{upstream_branch}\n'
    return text


def checkout_tree(store: BaseObjectStore, tree: bytes, worktree: Path) -> IndexFile:
    """Write every file of `tree` into the empty `worktree` and return the matching index.

    Files are created by a few threads: creating thousands of inodes is bound by the file
    system's latency, not by Python, and the system calls release the GIL.
    """
    entries: list[IndexEntry] = []
    files: list[tuple[str, bytes, int, IndexEntry]] = []
    made: set[str] = set()
    for entry in store.iter_tree_contents(tree):
        parts = entry.path.split(b"/")
        if any(part in (b"", b".", b"..", b".git") for part in parts):
            raise ValueError(f"refusing to check out the unsafe path {entry.path!r}")
        target = os.path.join(worktree, entry.path.decode("utf-8", "surrogateescape"))
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        index_entry = IndexEntry(entry.path, bytes.fromhex(entry.sha.decode()), entry.mode)
        entries.append(index_entry)
        if entry.mode == 0o160000:  # submodule: an empty directory, as git leaves it
            os.makedirs(target, exist_ok=True)
        else:
            files.append((target, store[entry.sha].data, entry.mode, index_entry))
    batches = [files[i::_WRITERS] for i in range(_WRITERS)]
    with ThreadPoolExecutor(_WRITERS) as pool:
        list(pool.map(_write_new_files, batches))
    index = IndexFile()
    index.set_entries(entries)
    return index


_WRITERS = 4


def _write_new_files(batch: list[tuple[str, bytes, int, IndexEntry]]) -> None:
    for target, data, mode, index_entry in batch:
        if mode == 0o120000:
            os.symlink(data, target)
        else:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755 if mode & 0o100 else 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        index_entry.refresh_stat(os.lstat(target))
