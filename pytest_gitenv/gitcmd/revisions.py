"""Revision names as git understands them (gitrevisions(7)), with git's error texts.

Supported: full/short ids, ref names (git's lookup order), HEAD/@, ~n, ^n, ^{}, ^{type},
@{n}, @{-n}, @{upstream}/@{u}, REV:path, :path, :n:path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from dulwich.objects import Blob, Commit, Tag, Tree

from .errors import GitError, fatal
from .repo import ZERO_SHA, GitRepo

_HEX = re.compile(r"^[0-9a-fA-F]{4,40}$")
_SUFFIX = re.compile(r"(\^\{[a-z]*\}|\^[0-9]*|~[0-9]*)")
_TYPES = {"commit": Commit, "tree": Tree, "blob": Blob, "tag": Tag}
_TYPE_NAMES = {Commit: "commit", Tree: "tree", Blob: "blob", Tag: "tag"}
_SPECIAL_REFS = ("HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD",
                 "FETCH_HEAD")


def unknown_revision(spec: str, repo: GitRepo | None = None) -> GitError:
    """git's error for an argument that is neither a revision nor a path (with `repo`, a
    REV:path that names nothing gets git's more specific diagnosis)."""
    diagnosis = tree_path_error(repo, spec) if repo is not None else None
    if diagnosis is not None:
        return diagnosis
    return GitError(
        f"fatal: ambiguous argument '{spec}': unknown revision or path not in the working tree.\n"
        "Use '--' to separate paths from revisions, like this:\n"
        "'git <command> [<revision>...] -- [<file>...]'\n", 128)


def dwim_ref(repo: GitRepo, name: str) -> str | None:
    """The full ref a short name means, in git's lookup order (refs/tags before heads)."""
    for ref in _candidates(name):
        try:
            if repo.resolve_ref(ref) is not None:
                return ref
        except GitError:
            continue
    return None


# git's ref_rev_parse_rules: how a short name maps to a full ref, in lookup order
_REF_RULES = ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")


def _candidates(name: str) -> list[str]:
    """The full ref names a short `name` may mean, in git's lookup order."""
    if not name or name.startswith(("/", "-")) or ".." in name:
        return []
    candidates = [name] if name in _SPECIAL_REFS else []
    if name.startswith("refs/"):
        candidates.append(name)
    return [*candidates, *(rule.format(name) for rule in _REF_RULES[1:])]


def shorten_ref(repo: GitRepo, ref: str, strict: bool = False) -> str:
    """git's shorten_unambiguous_ref: the shortest name for `ref` that no earlier lookup rule
    (`strict`: no other rule) resolves to another existing ref (refs/remotes/o/m is
    "remotes/o/m" while refs/heads/o/m exists)."""
    for i in range(len(_REF_RULES) - 1, 0, -1):
        head, _, tail = _REF_RULES[i].partition("{}")
        if not (ref.startswith(head) and ref.endswith(tail) and len(ref) > len(head) + len(tail)):
            continue
        short = ref[len(head) : len(ref) - len(tail)]
        others = [rule for j, rule in enumerate(_REF_RULES) if j != i and (strict or j < i)]
        if not any(repo.read_raw_ref(rule.format(short)) is not None for rule in others):
            return short
    return ref


def dwim_log(repo: GitRepo, name: str) -> str | None:
    """The first ref `name` may mean (git's lookup order) that exists and has a reflog."""
    for ref in _candidates(name):
        if (repo.git_dir / "logs" / ref).is_file() and repo.resolve_ref(ref) is not None:
            return ref
    return None


@dataclass(frozen=True)
class ReflogEntry:
    """One step of a reflog walk (log -g, git reflog): the commit and its selector."""

    sha: str
    selector: str  # "HEAD@{2}"
    ident: str  # "Name <email>"
    message: str


def reflog_walk(repo: GitRepo, spec: str) -> list[ReflogEntry] | None:
    """The entries `log -g <spec>` walks, newest first (from n for ref@{n}; none that deleted
    the ref, as a rename logs); None when `spec`
    has no reflog. The log read and the name shown are git's read_complete_reflog's: the name as
    given when it, its symref target, refs/<name> or refs/heads/<name> has a log, else the full
    name of the ref it means."""
    name, at, selector = spec.partition("@{")
    numbered = bool(at) and selector.endswith("}") and selector[:-1].isdigit()
    name = name if numbered else spec
    target = repo.head_target() if name == "HEAD" else None
    found = next(((log, name) for ref in (name, target, f"refs/{name}", f"refs/heads/{name}")
                  if ref and (log := repo.read_reflog(ref))), None)
    full = dwim_log(repo, name) if found is None else None
    if found is None and full is None:
        return None
    log, label = found or (repo.read_reflog(full), full)
    entries = []
    for n, (_old, new, tail) in enumerate(reversed(log)):
        ident, _, message = tail.partition("\t")
        entries.append(ReflogEntry(new, f"{label}@{{{n}}}", ident.rsplit(" ", 2)[0], message))
    return [e for e in entries[int(selector[:-1]) if numbered else 0 :] if e.sha != ZERO_SHA]


def is_ambiguous(repo: GitRepo, name: str) -> bool:
    """True when more than one ref is named `name` (refs/heads/x beside refs/tags/x, ...)."""
    return sum(repo.read_raw_ref(ref) is not None for ref in _candidates(name)) > 1


def repeat_ambiguity_warning(repo: GitRepo, name: str) -> None:
    """One more "refname is ambiguous" warning, for a second lookup git makes of the same name
    (the first lookup's warning is printed once per command)."""
    if is_ambiguous(repo, name):
        repo.warnings.append(f"warning: refname '{name}' is ambiguous.\n")


def _warn_if_ambiguous(repo: GitRepo, name: str) -> None:
    """git's warning (once per command here) when more than one ref is named `name`."""
    warning = f"warning: refname '{name}' is ambiguous.\n"
    if warning not in repo.warnings and is_ambiguous(repo, name):
        repo.warnings.append(warning)


def _short_id(repo: GitRepo, text: str) -> str | None:
    text = text.lower()
    if len(text) == 40:
        return text if repo.has(text) else None
    matches = set()
    for sha in repo.objects.iter_prefix(text.encode()):
        matches.add(sha.decode())
        if len(matches) > 1:
            raise GitError(f"error: short object ID {text} is ambiguous\n"
                           + unknown_revision(text).stderr, 128)
    return matches.pop() if matches else None


def previous_branch(repo: GitRepo, n: int) -> str | None:
    """The branch (or id) checked out before the current one, `n` switches back (@{-n})."""
    seen = 0
    for _old, _new, tail in reversed(repo.read_reflog("HEAD")):
        message = tail.partition("\t")[2]
        if message.startswith("checkout: moving from "):
            seen += 1
            if seen == n:
                return message[len("checkout: moving from "):].rsplit(" to ", 1)[0]
    return None


def upstream_ref(repo: GitRepo, branch: str) -> str | None:
    """refs/remotes/<remote>/<b> (or refs/heads/<b> for remote ".") configured for `branch`."""
    remote = repo.config_get(("branch", branch), "remote")
    merge = repo.config_get(("branch", branch), "merge")
    if not remote or not merge:
        return None
    if remote == ".":
        return merge
    return f"refs/remotes/{remote}/{merge.removeprefix('refs/heads/')}"


def _reflog_at(repo: GitRepo, base: str, selector: str) -> str:
    if selector.startswith("-") and not base:
        raise GitError("", 128)  # handled by caller
    if selector in ("u", "upstream", "push"):
        branch = base or repo.current_branch()
        if branch in (None, "HEAD"):
            raise fatal("HEAD does not point to a branch")
        ref = dwim_ref(repo, branch)
        if ref is None or not ref.startswith("refs/heads/"):
            raise fatal(f"no such branch: '{branch}'")
        short = ref[len("refs/heads/"):]
        up = upstream_ref(repo, short)
        if up is None:
            raise fatal(f"no upstream configured for branch '{short}'")
        sha = repo.resolve_ref(up)
        if sha is None:
            raise fatal(f"upstream branch '{up}' not stored as a remote-tracking branch")
        return sha
    if not selector.isdigit():
        raise GitError("", 128)
    n = int(selector)
    ref = (repo.head_target() or "HEAD") if base in ("", "@") else dwim_log(repo, base)
    if ref is None or not (repo.git_dir / "logs" / ref).is_file():
        raise GitError("", 128)  # like git: no ref with a reflog by that name is no revision
    entries = repo.read_reflog(ref)
    if not entries:
        raise fatal(f"log for '{base or ref.removeprefix('refs/heads/')}' is empty")
    if n == 0:
        return entries[-1][1]
    for old, _new, _tail in reversed(entries):  # git's read_ref_at: the old id of the n-th
        n = max(n - 1, 0)                        # newest entry, or of the first older one
        if n == 0 and old != ZERO_SHA:           # that has one (a rename logs X->0, 0->X)
            return old
    label = base or ref.removeprefix("refs/heads/")
    raise fatal(f"log for '{label}' only has {len(entries)} entries")


def _base(repo: GitRepo, text: str) -> str | None:
    if text in ("@", "HEAD", ""):
        return repo.head_sha()
    at = text.find("@{")
    if at >= 0 and text.endswith("}"):
        base, selector = text[:at], text[at + 2 : -1]
        if selector.startswith("-") and selector[1:].isdigit() and not base:
            name = previous_branch(repo, int(selector[1:]))
            return None if name is None else _base(repo, name)
        try:
            return _reflog_at(repo, base, selector)
        except GitError as err:
            if err.stderr:
                raise
            return None
    ref = dwim_ref(repo, text)
    if ref is not None:
        _warn_if_ambiguous(repo, text)
        return repo.resolve_ref(ref)
    if _HEX.match(text):
        return _short_id(repo, text)
    return None


def _apply_suffix(repo: GitRepo, sha: str, suffix: str, spec: str) -> str | None:
    if suffix.startswith("~"):
        for _ in range(int(suffix[1:] or 1)):
            commit = _as_commit(repo, sha)
            if commit is None or not commit.parents:
                return None
            sha = commit.parents[0].decode()
        return sha
    if suffix.startswith("^{"):
        wanted = suffix[2:-1]
        if wanted == "":
            return repo.peel(sha).id.decode()
        target = _TYPES.get(wanted)
        if target is None and wanted != "object":
            return None
        obj = repo.get(sha)
        while target is not None and not isinstance(obj, target):
            if isinstance(obj, Tag):
                obj = repo.get(obj.object[1].decode())
            elif isinstance(obj, Commit) and target is Tree:
                obj = repo.get(obj.tree.decode())
            else:
                actual = _TYPE_NAMES[type(obj)]
                raise GitError(
                    f"error: {spec}: expected {wanted} type, but the object dereferences to "
                    f"{actual} type\n" * 2 + unknown_revision(spec).stderr, 128)
        return obj.id.decode()
    n = int(suffix[1:] or 1)
    commit = _as_commit(repo, sha)
    if commit is None:
        return None
    if n == 0:
        return commit.id.decode()
    return commit.parents[n - 1].decode() if len(commit.parents) >= n else None


def _as_commit(repo: GitRepo, sha: str) -> Commit | None:
    obj = repo.peel(sha)
    return obj if isinstance(obj, Commit) else None


def _path_in_tree(repo: GitRepo, tree_spec: str, path: str) -> str | None:
    """Id of `path` in the tree of `tree_spec`; None when either names nothing."""
    tree_sha = resolve(repo, tree_spec)
    if tree_sha is None:
        return None
    obj = repo.peel(tree_sha)
    if isinstance(obj, Commit):
        obj = repo.get(obj.tree.decode())
    node = obj if isinstance(obj, Tree) else None
    for part in path.strip("/").encode().split(b"/") if path.strip("/") else ():
        if node is None or part not in node:
            return None
        child = repo.get(node[part][1].decode())
        node = child if isinstance(child, Tree) else None
        obj = child
    return obj.id.decode() if isinstance(obj, (Tree, Blob)) else None


def tree_path_error(repo: GitRepo, spec: str) -> GitError | None:
    """git's only-to-die diagnosis of a REV:path that names nothing, None for other specs."""
    colon = spec.find(":")
    if colon <= 0 or spec.startswith(":/"):
        return None
    tree_spec, path = spec[:colon], spec[colon + 1 :].strip("/")
    if resolve(repo, tree_spec) is None:
        return fatal(f"invalid object name '{tree_spec}'.")
    cwd = repo.ctx.cwd if repo.ctx else repo.worktree
    if os.path.exists(os.path.join(cwd, path)):
        return fatal(f"path '{path}' exists on disk, but not in '{tree_spec}'")
    return fatal(f"path '{path}' does not exist in '{tree_spec}'")


def _index_path(repo: GitRepo, body: str) -> str | None:
    stage = 0
    if len(body) > 2 and body[0] in "0123" and body[1] == ":":
        stage, body = int(body[0]), body[2:]
    wanted = body.encode()
    for entry in repo.index().entries:
        if entry.path == wanted and entry.stage == stage:
            return entry.sha.hex()
    if stage == 0 and any(e.path == wanted for e in repo.index().entries):
        raise fatal(f"path '{body}' is in the index, but not at stage 0")
    raise fatal(f"path '{body}' does not exist (neither on disk nor in the index)")


def resolve(repo: GitRepo, spec: str) -> str | None:
    """Hex id named by `spec`, None when it names nothing; raises git's fatal errors."""
    if not spec or "\0" in spec or len(spec) > 4096:
        return None
    if spec.startswith(":") and not spec.startswith(":/"):
        return _index_path(repo, spec[1:])
    colon = spec.find(":")
    if colon > 0:
        return _path_in_tree(repo, spec[:colon], spec[colon + 1 :])
    match = _SUFFIX.search(spec)
    head, suffixes = (spec, "") if match is None else (spec[: match.start()], spec[match.start():])
    if suffixes and _SUFFIX.sub("", suffixes):
        return None
    sha = _base(repo, head)
    if sha is None:
        return None
    try:
        for suffix in _SUFFIX.findall(suffixes):
            sha = _apply_suffix(repo, sha, suffix, spec)
            if sha is None:
                return None
    except (KeyError, IndexError):
        return None
    return sha


def resolve_or_die(repo: GitRepo, spec: str) -> str:
    sha = resolve(repo, spec)
    if sha is None:
        raise unknown_revision(spec, repo)
    return sha


def resolve_commit(repo: GitRepo, spec: str) -> str | None:
    """The commit `spec` names (tags peeled), None when it names no commit."""
    sha = resolve(repo, spec)
    if sha is None:
        return None
    commit = _as_commit(repo, sha)
    return None if commit is None else commit.id.decode()

