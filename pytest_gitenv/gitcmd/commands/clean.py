"""git clean: -n, -f, -d, -x, -X, -e, -q, pathspecs; refuses without -f like git.

The listing follows builtin/clean.c: an untracked directory goes as a whole unless something
inside it is ignored (then its untracked contents are listed one by one), and a directory
holding nothing but ignored paths counts as ignored itself. Like git's index_name_is_other, a
directory standing where a tracked file is (a deleted file's path) is never a candidate itself."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from dulwich.ignore import IgnoreFilter

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser
from ..paths import display, is_repository
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import ignore_manager, tracked_dirs

PARSER = OptionParser("clean", [
    Opt("quiet", "q", "quiet"),
    Opt("dry_run", "n", "dry-run"),
    Opt("force", "f", "force", "count"),
    Opt("interactive", "i", "interactive"),
    Opt("dirs", "d", None),
    Opt("exclude", "e", "exclude", "list"),
    Opt("ignored", "x", None),
    Opt("only_ignored", "X", None),
])


@dataclass
class _Listing:
    """Untracked and ignored paths (directories end in "/")."""

    untracked: list[bytes] = field(default_factory=list)
    ignored: list[bytes] = field(default_factory=list)

    def extend(self, other: _Listing) -> None:
        self.untracked += other.untracked
        self.ignored += other.ignored


@dataclass
class _Walker:
    """The worktree walk behind git clean's list."""

    root: bytes
    tracked: set[bytes]
    holding_tracked: set[bytes]
    ignored: Callable[[bytes, bool], bool]
    expand: bool  # look inside untracked directories (-d or -X), else they stay whole
    narrower: Callable[[bytes], bool]  # does the pathspec name something inside this directory?

    def scan(self, rel_dir: bytes) -> _Listing:
        """Everything below a directory git walks into (the top or a tracked directory)."""
        listing = _Listing()
        for name, is_dir in children(self.root, rel_dir):
            path = rel_dir + name
            if path in self.tracked and not is_dir:
                continue
            if is_dir and path in self.holding_tracked:
                listing.extend(self.scan(path + b"/"))
            elif self.ignored(path, is_dir):
                listing.ignored.append(path + b"/" if is_dir else path)
            elif is_dir:
                listing.extend(self.untracked_dir(path))
            else:
                listing.untracked.append(path)
        return listing

    def untracked_dir(self, path: bytes) -> _Listing:
        """An untracked directory: whole, ignored as a whole, or its contents one by one."""
        if is_repository(os.path.join(self.root, path)) or not self.expand:
            return _Listing([path + b"/"])
        inner = self.scan(path + b"/")
        if not inner.ignored and not self.narrower(path):
            return _Listing([path + b"/"])
        if not inner.untracked:
            return _Listing([], [path + b"/"])
        return inner

def children(root: bytes, rel_dir: bytes) -> list[tuple[bytes, bool]]:
    """A directory's entries as sorted (name, is a directory), without ".git"."""
    with os.scandir(os.path.join(root, rel_dir) if rel_dir else root) as entries:
        return sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries if e.name != b".git")


def exclusion_test(repo: GitRepo, patterns: list[str], standard: bool) -> Callable[[bytes, bool], bool]:
    """Is a path excluded: command-line patterns first (-e, --exclude), then, with `standard`,
    .gitignore files and .git/info/exclude."""
    command_line = IgnoreFilter(p.encode() for p in patterns)
    rules = ignore_manager(repo) if standard else None

    def excluded(path: bytes, is_dir: bool) -> bool:
        name = path.decode(errors="surrogateescape") + ("/" if is_dir else "")
        verdict = command_line.is_ignored(name)
        if verdict is None and rules is not None:
            verdict = rules.is_ignored(name)
        return bool(verdict)

    return excluded


@command("clean")
def clean(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "interactive")
    if opts["ignored"] and opts["only_ignored"]:
        raise fatal("-x and -X cannot be used together")
    if not opts["force"] and not opts["dry_run"]:
        raise fatal("clean.requireForce defaults to true and neither -i, -n, nor -f given; "
                    "refusing to clean")
    spec = Pathspec(repo, opts.args or ["."], ctx.cwd)
    tracked = {e.path for e in repo.index().entries}
    excluded = exclusion_test(repo, opts["exclude"], not opts["ignored"])
    walker = _Walker(os.fsencode(repo.worktree), tracked, tracked_dirs(tracked), excluded,
                     bool(opts["dirs"] or opts["only_ignored"]),
                     lambda path: any(p.startswith(path + b"/") for p in spec.patterns))
    found = walker.scan(b"")
    candidates = found.ignored if opts["only_ignored"] else found.untracked
    prefix = repo.prefix(ctx.cwd)
    lines = []
    verb = "Would remove" if opts["dry_run"] else "Removing"
    for path in sorted(candidates):
        is_dir = path.endswith(b"/")
        if (is_dir and not opts["dirs"]) or path.rstrip(b"/") in tracked:
            continue
        if is_dir and is_repository(os.fsencode(repo.abspath(path))) and opts["force"] < 2:
            continue
        if not spec.matches(path.rstrip(b"/")):
            continue
        if not opts["quiet"]:
            lines.append(f"{verb} {display(path, prefix)}\n")
        if opts["dry_run"]:
            continue
        target = repo.abspath(path.rstrip(b"/"))
        if is_dir and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            os.unlink(target)
    return CommandResult(0, "".join(lines))
