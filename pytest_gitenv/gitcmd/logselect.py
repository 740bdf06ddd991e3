"""Which commits a history command shows: revision ranges and --all, --since/--until,
--grep/--author/--committer, -S/-G pickaxe, --follow, and plain-path pruning."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator

from dulwich.objects import Commit

from .diffing import Blobs, FilePair, PathFilter, tree_pairs
from .errors import fatal
from .graph import merge_bases
from .logformat import approxidate
from .options import Parsed
from .pathspec import Pathspec
from .regex import bre_to_python
from .repo import GitRepo
from .revisions import resolve_commit, resolve_or_die, unknown_revision
from .xdiff import diff_lines, split_lines


def date_limit(text: str | None) -> int | None:
    """--since/--until value as a timestamp (None when not given)."""
    if text is None:
        return None
    value = approxidate(text, int(time.time()))
    if value is None:
        raise fatal(f"unsupported date format '{text}' (use YYYY-MM-DD or <n>.<unit>)")
    return value


def commit_filter(parsed: Parsed) -> Callable[[Commit], bool] | None:
    """--grep/--author/--committer matching (any pattern; all kinds must match)."""
    flags = re.IGNORECASE if parsed["regexp_ignore_case"] else 0

    def compile_all(patterns: list[str]) -> list[re.Pattern[str]]:
        try:
            return [re.compile(re.escape(p) if parsed["fixed_strings"] else bre_to_python(p),
                               flags) for p in patterns]
        except re.error as err:
            raise fatal(f"invalid regular expression: {err}") from None

    until = date_limit(parsed["until"])
    greps = compile_all(parsed["grep"])
    authors = compile_all(parsed["author"])
    committers = compile_all(parsed["committer"])
    if not (greps or authors or committers) and until is None:
        return None
    join = all if parsed["all_match"] else any

    def keep(commit: Commit) -> bool:
        if until is not None and commit.commit_time > until:
            return False
        ok = True
        if greps:
            text = commit.message.decode("utf-8", "replace")
            ok = join(g.search(text) for g in greps) != bool(parsed["invert_grep"])
        if authors:
            ok = ok and any(a.search(commit.author.decode("utf-8", "replace")) for a in authors)
        if committers:
            ok = ok and any(c.search(commit.committer.decode("utf-8", "replace"))
                            for c in committers)
        return ok

    return keep


def pickaxe_filter(repo: GitRepo, parsed: Parsed) -> Callable[[FilePair], bool] | None:
    """-S<string> (occurrence count changes) / -G<regex> (an added or removed line matches)
    for one file pair; commits match through their diff against the first parent."""
    needle, pattern = parsed["pickaxe"], parsed["pickaxe_regex"]
    if needle is None and pattern is None:
        return None
    regex = re.compile(pattern.encode()) if pattern is not None else None
    blobs = Blobs(repo.objects)

    def hit(old: bytes, new: bytes) -> bool:
        if needle is not None:
            return old.count(needle.encode()) != new.count(needle.encode())
        assert regex is not None
        changed = split_changed_lines(old, new)
        return any(regex.search(line) for line in changed)

    return lambda pair: hit(blobs.read(pair.old), blobs.read(pair.new))


class Follow:
    """--follow: one file's history across renames. As in git, the walk is not pruned by
    path (no merge simplification); non-merge commits whose diff touches the file are shown,
    and the followed name switches to the old one where the file was renamed."""

    def __init__(self, repo: GitRepo, path: bytes) -> None:
        self.repo = repo
        self.path = path
        self.path_at: dict[str, bytes] = {}

    def track(self, commits: Iterable[tuple[str, Commit]]) -> Iterator[tuple[str, Commit]]:
        for sha, commit in commits:
            if len(commit.parents) > 1:
                continue
            touched = [p for p in first_parent_pairs(self.repo, commit, None)
                       if p.path == self.path]
            if not touched:
                continue
            self.path_at[sha] = self.path
            yield sha, commit
            if touched[0].old_path is not None:
                self.path = touched[0].old_path

    def pair_filter(self, sha: str) -> Callable[[FilePair], bool]:
        return lambda pair: pair.path == self.path_at[sha]


def literal_paths(spec: Pathspec | None) -> list[bytes] | None:
    """The pathspec's patterns when none uses glob characters or magic (they name paths exactly)."""
    if spec is None or not spec.plain or any(any(c in p for c in b"*?[") for p in spec.patterns):
        return None
    return list(spec.patterns)


def first_parent_pairs(repo: GitRepo, commit: Commit,
                       wanted: PathFilter | None) -> list[FilePair]:
    parent = repo.commit(commit.parents[0].decode()).tree if commit.parents else None
    return tree_pairs(repo.objects, parent, commit.tree, wanted)


def split_changed_lines(old: bytes, new: bytes) -> list[bytes]:
    """Lines a diff of `old` -> `new` removes or adds."""
    a, b = split_lines(old), split_lines(new)
    out: list[bytes] = []
    for change in diff_lines(a, b):
        out += a[change.i1:change.i1 + change.chg1] + b[change.i2:change.i2 + change.chg2]
    return out


def all_ref_commits(repo: GitRepo) -> list[str]:
    """--all: the commits every ref (tags peeled) and HEAD point at, in ref order."""
    shas = [repo.peel(sha) for sha in repo.refs().values()]
    head = repo.head_sha()
    return [obj.id.decode() for obj in shas if isinstance(obj, Commit)] + ([head] if head else [])


def revision_ranges(repo: GitRepo, revs: list[str]) -> tuple[list[str], list[str]]:
    """(include, exclude) commit ids for revision arguments (A, ^A, A..B, A...B)."""
    include: list[str] = []
    exclude: list[str] = []

    def commit_of(spec: str) -> str:
        sha = resolve_commit(repo, spec or "HEAD")
        if sha is None:
            resolve_or_die(repo, spec or "HEAD")
            raise unknown_revision(spec)
        return sha

    for arg in revs:
        if "..." in arg:
            left, right = (commit_of(s) for s in arg.split("...", 1))
            include += [left, right]
            exclude += merge_bases(repo, left, right)
        elif ".." in arg:
            left, right = arg.split("..", 1)
            exclude.append(commit_of(left))
            include.append(commit_of(right))
        elif arg.startswith("^"):
            exclude.append(commit_of(arg[1:]))
        else:
            include.append(commit_of(arg))
    return include, exclude
