"""The table of supported commands and the `@command` decorator that fills it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .context import CommandContext, CommandResult

if TYPE_CHECKING:
    from .repo import GitRepo

CommandFunc = Callable[[list[str], "GitRepo", CommandContext], CommandResult]

# Commands real git has; any of these that is not registered is "not supported here".
GIT_COMMANDS = frozenset({
    "add", "am", "annotate", "apply", "archive", "bisect", "blame", "branch", "bugreport",
    "bundle", "cat-file", "check-attr", "check-ignore", "check-mailmap", "check-ref-format",
    "checkout", "checkout-index", "cherry", "cherry-pick", "citool", "clean", "clone", "column",
    "commit", "commit-graph", "commit-tree", "config", "count-objects", "credential", "daemon",
    "describe", "diagnose", "diff", "diff-files", "diff-index", "diff-tree", "difftool",
    "fast-export", "fast-import", "fetch", "fetch-pack", "filter-branch", "fmt-merge-msg",
    "for-each-ref", "for-each-repo", "format-patch", "fsck", "gc", "get-tar-commit-id", "grep",
    "gui", "hash-object", "help", "hook", "http-backend", "http-fetch", "http-push", "imap-send",
    "index-pack", "init", "init-db", "instaweb", "interpret-trailers", "log", "ls-files",
    "ls-remote", "ls-tree", "mailinfo", "mailsplit", "maintenance", "merge", "merge-base",
    "merge-file", "merge-index", "merge-tree", "mergetool", "mktag", "mktree", "multi-pack-index",
    "mv", "name-rev", "notes", "p4", "pack-objects", "pack-redundant", "pack-refs", "patch-id",
    "prune", "prune-packed", "pull", "push", "quiltimport", "range-diff", "read-tree", "rebase",
    "receive-pack", "reflog", "remote", "repack", "replace", "request-pull", "rerere", "reset",
    "restore", "rev-list", "rev-parse", "revert", "rm", "send-email", "send-pack", "shortlog",
    "show", "show-branch", "show-index", "show-ref", "sparse-checkout", "stage", "stash",
    "status", "stripspace", "submodule", "svn", "switch", "symbolic-ref", "tag", "unpack-file",
    "unpack-objects", "update-index", "update-ref", "update-server-info", "upload-archive",
    "upload-pack", "var", "verify-commit", "verify-pack", "verify-tag", "version", "whatchanged",
    "worktree", "write-tree",
})


@dataclass(frozen=True)
class Command:
    name: str
    func: CommandFunc


COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[CommandFunc], CommandFunc]:
    """Register `func` as the implementation of `git <name>`."""

    def register(func: CommandFunc) -> CommandFunc:
        COMMANDS[name] = Command(name, func)
        return func

    return register
