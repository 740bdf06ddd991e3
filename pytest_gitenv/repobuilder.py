"""Build git repositories object by object with fixed identities and dates (stable SHAs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dulwich.objects import Blob, Commit, Tag, Tree
from dulwich.repo import Repo

DEFAULT_AUTHOR = "Ada Lovelace <ada@example.com>"
EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z


@dataclass
class _Branch:
    tip: bytes | None
    files: dict[str, tuple[int, bytes]]  # path -> (mode, blob id)


class RepoBuilder:
    """Writes commits into a new bare repository; each commit is one hour after the last."""

    def __init__(self, path: Path, default_branch: str = "main") -> None:
        self.repo = Repo.init_bare(str(path), mkdir=True)
        self.repo.refs.set_symbolic_ref(b"HEAD", b"refs/heads/" + default_branch.encode())
        self.branches: dict[str, _Branch] = {default_branch: _Branch(None, {})}
        self.clock = EPOCH
        self._pending: list = []
        self._trees: dict[tuple[tuple[str, int, bytes], ...], bytes] = {}
        self._tag_refs: list[tuple[bytes, bytes]] = []

    def commit(self, branch: str, message: str, files: dict[str, str | bytes | None],
               author: str = DEFAULT_AUTHOR, merge: str | None = None, executable: tuple[str, ...] = ()) -> bytes:
        """Commit `files` (None deletes) on `branch`; `merge` adds that branch's tip as a parent."""
        state = self.branches[branch]
        tree_files = dict(state.files)
        if merge:
            tree_files.update(self.branches[merge].files)
        for path, content in files.items():
            if content is None:
                tree_files.pop(path, None)
                continue
            blob = Blob.from_string(content.encode() if isinstance(content, str) else content)
            self._pending.append(blob)
            tree_files[path] = (0o100755 if path in executable else 0o100644, blob.id)
        commit = Commit()
        commit.tree = self._tree(tree_files)
        commit.parents = [p for p in (state.tip, self.branches[merge].tip if merge else None) if p]
        commit.author = commit.committer = author.encode()
        self.clock += 3600
        commit.author_time = commit.commit_time = self.clock
        commit.author_timezone = commit.commit_timezone = 0
        commit.message = message.encode() + (b"" if message.endswith("\n") else b"\n")
        self._pending.append(commit)
        state.tip, state.files = commit.id, tree_files
        return commit.id

    def branch(self, name: str, start: str) -> None:
        source = self.branches[start]
        self.branches[name] = _Branch(source.tip, dict(source.files))

    def tag(self, name: str, branch: str, message: str | None = None, tagger: str = DEFAULT_AUTHOR) -> None:
        target = self.branches[branch].tip
        assert target is not None, f"branch {branch} has no commits"
        ref = b"refs/tags/" + name.encode()
        if message is None:
            self._tag_refs.append((ref, target))
            return
        tag = Tag()
        tag.name, tag.object, tag.message = name.encode(), (Commit, target), message.encode() + b"\n"
        tag.tagger, tag.tag_time, tag.tag_timezone = tagger.encode(), self.clock, 0
        self._pending.append(tag)
        self._tag_refs.append((ref, tag.id))

    def finish(self) -> Repo:
        """Write all objects as one pack and set the branch refs."""
        self.repo.object_store.add_objects([(obj, None) for obj in self._pending])
        self._pending.clear()
        for name, state in self.branches.items():
            if state.tip:
                self.repo.refs[b"refs/heads/" + name.encode()] = state.tip
        for ref, sha in self._tag_refs:
            self.repo.refs[ref] = sha
        return self.repo

    def _tree(self, files: dict[str, tuple[int, bytes]]) -> bytes:
        """Nested trees for `files`, reusing identical subtrees already built."""
        nested: dict = {}
        for path, entry in files.items():
            *dirs, name = path.split("/")
            node = nested
            for part in dirs:
                node = node.setdefault(part, {})
            node[name] = entry
        return self._build(nested)

    def _build(self, node: dict) -> bytes:
        items = []
        for name, value in node.items():
            if isinstance(value, dict):
                items.append((name, 0o040000, self._build(value)))
            else:
                items.append((name, value[0], value[1]))
        key = tuple(sorted(items))
        cached = self._trees.get(key)
        if cached:
            return cached
        tree = Tree()
        for name, mode, sha in items:
            tree.add(name.encode(), mode, sha)
        self._pending.append(tree)
        self._trees[key] = tree.id
        return tree.id
