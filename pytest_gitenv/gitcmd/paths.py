"""Path helpers: git's C-style quoting and repository-relative path conversion."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import GitError

_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f",
            0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def needs_quote(path: bytes) -> bool:
    return any(b < 0x20 or b >= 0x7F or b in (0x22, 0x5C) for b in path)


def quote_path(path: bytes, quote_space: bool = False) -> str:
    """Quote like git with core.quotePath=true: `"tab\\there"`, octal for non-ASCII.

    `quote_space` also quotes names containing a space (short status format)."""
    if not needs_quote(path):
        text = path.decode("ascii")
        return f'"{text}"' if quote_space and " " in text else text
    out = []
    for b in path:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def raw(path: bytes) -> str:
    """A path printed verbatim (git does this in add -v, rm, reset and refusal lists)."""
    return path.decode("utf-8", "replace")


def relative_to_cwd(path: bytes, prefix: bytes) -> bytes:
    """`path` (repository-relative) as seen from the subdirectory `prefix` ("" or "a/b/")."""
    if not prefix:
        return path
    if path.startswith(prefix):
        return path[len(prefix):] or b"./"
    rel = os.path.relpath(b"/" + path, b"/" + prefix.rstrip(b"/"))
    if rel == b".":
        return b"./"
    return rel + (b"/" if path.endswith(b"/") else b"")


def display(path: bytes, prefix: bytes = b"", quote_space: bool = False,
            verbatim: bool = False) -> str:
    """Quoted, cwd-relative path as git prints it in status and messages; `verbatim` (the -z
    output formats) leaves it unquoted."""
    relative = relative_to_cwd(path, prefix)
    return raw(relative) if verbatim else quote_path(relative, quote_space)


SEPARATE_HINT = ("Use '--' to separate paths from revisions, like this:\n"
                 "'git <command> [<revision>...] -- [<file>...]'\n")


def check_filename(worktree: Path, cwd: Path, arg: str) -> bool:
    """git's check_filename: `arg` names something on disk (":/x" from the top, ":!x" and ":^x"
    what they exclude; a bare ":/", ":!" or ":^" always counts)."""
    if arg.startswith(":/"):
        arg, cwd = arg[2:], worktree
    elif arg.startswith((":!", ":^")):
        arg = arg[2:]
    else:
        return os.path.lexists(os.path.join(cwd, arg))
    return not arg or os.path.lexists(os.path.join(cwd, arg))


def looks_like_pathspec(arg: str) -> bool:
    """git's looks_like_pathspec: an unescaped *, ? or [, or long-form ":(magic)"."""
    return re.search(r"(?<!\\)(?:\\\\)*[*?[]", arg) is not None or arg.startswith(":(")


def both_revision_and_filename(arg: str) -> GitError:
    """git's verify_non_filename refusal."""
    return GitError(f"fatal: ambiguous argument '{arg}': both revision and filename\n{SEPARATE_HINT}", 128)


def prune_empty_dirs(directory: Path, stop: Path) -> None:
    """Remove `directory` and its parents while they are empty, stopping at `stop`."""
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


_HEAD = re.compile(rb"^(ref:[ \t]*refs/|[0-9a-f]{40}\s*$)")


def _is_git_dir(git_dir: bytes) -> bool:
    """git's is_git_directory(): a valid HEAD plus objects/ and refs/."""
    head = os.path.join(git_dir, b"HEAD")
    try:
        if os.path.islink(head):
            valid = os.readlink(head).startswith(b"refs/")
        else:
            with open(head, "rb") as handle:
                valid = bool(_HEAD.match(handle.read(256)))
    except OSError:
        return False
    return valid and all(os.access(os.path.join(git_dir, d), os.X_OK) for d in (b"objects", b"refs"))


def is_repository(directory: bytes) -> bool:
    """Does `directory` (absolute) hold a repository of its own (a ".git" directory, or a
    "gitdir:" file pointing at one)? git lists such directories as "dir/" and never enters them."""
    dotgit = os.path.join(directory, b".git")
    if os.path.isdir(dotgit):
        return _is_git_dir(dotgit)
    try:
        with open(dotgit, "rb") as handle:
            text = handle.read(4096)
    except OSError:
        return False
    if not text.startswith(b"gitdir: "):
        return False
    target = os.path.join(directory, text[8:].strip())
    return _is_git_dir(target)
