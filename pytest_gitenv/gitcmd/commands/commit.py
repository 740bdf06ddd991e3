"""git commit: -m (repeatable), -F, -a, paths (--only), --amend, --allow-empty, --no-edit,
--author, --reset-author, -s, -q; git's summary, refusals and reflog messages.

The editor is `true` (as GIT_EDITOR=true): a message is never typed interactively, so a
commit without -m/-F/--amend/merge message aborts as "empty commit message".
"""

from __future__ import annotations

import os
import re

from dulwich.objects import Commit

from ..abbrev import abbreviate
from ..changes import collect
from ..commits import post_commit_cleanup
from ..context import CommandContext, CommandResult
from ..diffing import Blobs, Entry, FilePair, file_stats, format_summary
from ..diffing import _rename_name as pprint_rename  # git's rename display
from ..errors import GitError, fatal
from ..index import IndexEntry, IndexFile
from ..logformat import format_date, split_message
from ..message import SPACE, stripspace
from ..options import Opt, OptionParser, Parsed
from ..paths import quote_path, raw
from ..pathspec import Pathspec
from ..registry import command
from ..renames import find_renames, percent
from ..repo import EMPTY_TREE, GitRepo
from ..revisions import resolve_commit
from ..trailers import append_signoff
from ..worktree import beyond_symlink, compare_tracked, entry_from_worktree, list_untracked
from .status import determine_whence, long_status, short_lines

PARSER = OptionParser("commit", [
    Opt("quiet", "q", "quiet"),
    Opt("verbose", "v", "verbose", "count"),
    Opt("file", "F", "file", "value"),
    Opt("author", None, "author", "value"),
    Opt("date", None, "date", "value"),
    Opt("message", "m", "message", "list"),
    Opt("reuse", "C", "reuse-message", "value"),
    Opt("reedit", "c", "reedit-message", "value"),
    Opt("reset_author", None, "reset-author"),
    Opt("signoff", "s", "signoff"),
    Opt("edit", "e", "edit"),
    Opt("cleanup", None, "cleanup", "value"),
    Opt("all", "a", "all"),
    Opt("include", "i", "include"),
    Opt("only", "o", "only"),
    Opt("no_verify", "n", "no-verify"),
    Opt("verify", None, "verify"),
    Opt("dry_run", None, "dry-run"),
    Opt("short", None, "short"),
    Opt("porcelain", None, "porcelain"),
    Opt("amend", None, "amend"),
    Opt("allow_empty", None, "allow-empty"),
    Opt("allow_empty_message", None, "allow-empty-message"),
    Opt("post_rewrite", None, "post-rewrite"),
    Opt("untracked", "u", "untracked-files", "optional", const="all"),
])

UNMERGED_TEXT = ("error: Committing is not possible because you have unmerged files.\n"
                 "hint: Fix them up in the work tree, and then use 'git add/rm <file>'\n"
                 "hint: as appropriate to mark resolution and make a commit.\n"
                 "fatal: Exiting because of an unresolved conflict.\n")
EMPTY_PICK_TEXT = ("The previous cherry-pick is now empty, possibly due to conflict resolution.\n"
                   "If you wish to commit it anyway, use:\n\n    git commit --allow-empty\n\n"
                   "Otherwise, please use 'git cherry-pick --skip'\n")
_SCISSORS = "# ------------------------ >8 ------------------------\n"
_EMPTY_AMEND = ("You asked to amend the most recent commit, but doing so would make\n"
                "it empty. You can repeat your command with --allow-empty, or you can\n"
                'remove the commit entirely with "git reset HEAD^".\n')
_AUTHOR = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")


def _tree_changes(repo: GitRepo, old_tree: str | None, new_tree: str
                  ) -> list[tuple[FilePair, int]]:
    """(pair, rename score) from `old_tree` to `new_tree`, renames found like git's -M50%."""
    old, new = repo.flat_tree(old_tree), repo.flat_tree(new_tree)

    def entry(item: tuple[int, bytes] | None) -> Entry | None:
        return None if item is None else Entry(item[0], item[1].hex().encode())

    changed = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
    deleted = {p: old[p] for p in changed if p not in new}
    added = {p: new[p] for p in changed if p not in old}
    found = {dst: (src, score) for src, dst, score in find_renames(deleted, added,
                                                                    repo.blob_data)}
    moved = {src for src, _score in found.values()}
    pairs = []
    for path in changed:
        if path in found:
            src, score = found[path]
            pairs.append((FilePair(path, entry(old[src]), entry(new[path]), old_path=src), score))
        elif path not in moved:
            pairs.append((FilePair(path, entry(old.get(path)), entry(new.get(path))), 0))
    return pairs


def _summary_lines(pairs: list[tuple[FilePair, int]]) -> str:
    """git's --summary lines (create/delete mode, rename with similarity, mode change)."""
    out = []
    for p, score in pairs:
        if p.old_path is not None:
            out.append(f" rename {pprint_rename(p.old_path, p.path)} ({percent(score)}%)\n")
            if p.old.mode != p.new.mode:  # git omits the name after a rename line
                out.append(f" mode change {p.old.mode:06o} => {p.new.mode:06o}\n")
        elif p.old is None:
            out.append(f" create mode {p.new.mode:06o} {quote_path(p.path)}\n")
        elif p.new is None:
            out.append(f" delete mode {p.old.mode:06o} {quote_path(p.path)}\n")
        elif p.old.mode != p.new.mode:
            out.append(f" mode change {p.old.mode:06o} => {p.new.mode:06o} "
                       f"{quote_path(p.path)}\n")
    return "".join(out)


def _stage_for_commit(repo: GitRepo, opts: Parsed, ctx: CommandContext, whence: str
                      ) -> tuple[IndexFile, IndexFile]:
    """(index to commit, index to write on success).

    -a stages every tracked change, -i those under the paths; paths (--only) commit HEAD plus
    just those files from the worktree. Nothing is written here: like git's index.lock, only success replaces it."""
    index = repo.index()
    spec = Pathspec(repo, opts.args, ctx.cwd)
    if not spec and (opts["include"] or (opts["only"] and not opts["allow_empty"]
                                         and not opts["amend"])):
        raise fatal("No paths with --include/--only does not make sense.")
    if not (opts["all"] or spec):
        return index, index
    if opts["all"] and spec:
        raise fatal("paths '" + " ".join(opts.args) + " ...' with -a does not make sense")
    if spec and not opts["include"]:
        if whence:
            raise fatal(f"cannot do a partial commit during a {whence}.")
        return _only_paths(repo, index, spec)
    selected = spec.matches if spec else None  # -i: only these paths, -a: every tracked one
    changed = compare_tracked(repo, index, selected)
    entries = {e.path: e for e in index.entries if e.stage == 0}
    unmerged = {e.path for e in index.entries if e.stage and (selected is None or selected(e.path))}
    for path in changed.deleted:
        entries.pop(path, None)
    for path in [*changed.modified, *changed.typechanged, *unmerged]:
        if os.path.lexists(repo.abspath(path)):
            entries[path] = entry_from_worktree(repo, path)
    staged = IndexFile(extensions=index.extensions)
    staged.set_entries(entries.values())
    return staged, staged


def _only_paths(repo: GitRepo, index: IndexFile, spec: Pathspec) -> tuple[IndexFile, IndexFile]:
    head = repo.commit_tree_items(repo.head_sha())
    known = sorted({e.path for e in index.entries} | set(head))
    matched = [p for p in known if spec.matches(p)]
    for arg in spec.unmatched():
        raise GitError(f"error: pathspec '{arg}' did not match any file(s) known to git\n", 1)
    links: dict[bytes, bool] = {}
    fresh = {p: (entry_from_worktree(repo, p) if os.path.lexists(repo.abspath(p))
                 and not beyond_symlink(repo, p, links) else None) for p in matched}
    commit_entries = {p: IndexEntry(p, sha, mode) for p, (mode, sha) in head.items()}
    real_entries = {(e.path, e.stage): e for e in index.entries if e.path not in fresh}
    for path, entry in fresh.items():
        commit_entries.pop(path, None)
        if entry is not None:
            commit_entries[path] = entry
            real_entries[(path, 0)] = entry
    to_commit, to_write = IndexFile(), IndexFile(extensions=index.extensions)
    to_commit.set_entries(commit_entries.values())
    to_write.set_entries(real_entries.values())
    return to_commit, to_write


def _given_message(repo: GitRepo, opts: Parsed, ctx: CommandContext) -> str | None:
    """The text of -m (paragraphs) or -F, uncleaned."""
    if opts["message"]:
        return "".join(m + "\n" + ("\n" if i < len(opts["message"]) - 1 else "")
                       for i, m in enumerate(opts["message"]))
    if not opts["file"]:
        return None
    path = repo.to_repo_path(opts["file"], ctx.cwd)
    try:
        with open(repo.abspath(path), "rb") as handle:
            return handle.read(1 << 20).decode(errors="replace")
    except OSError:
        raise fatal(f"could not read log file '{opts['file']}'") from None


def _state_message(repo: GitRepo) -> str | None:
    """MERGE_MSG (after SQUASH_MSG when both exist) or SQUASH_MSG, as git's prepare_to_commit."""
    texts = [(repo.git_dir / name).read_text(errors="replace")
             for name in ("SQUASH_MSG", "MERGE_MSG") if (repo.git_dir / name).is_file()]
    return "".join(texts) if texts else None


def _cut_at_scissors(text: str) -> str:
    if text.startswith(_SCISSORS):
        return ""
    at = text.find("\n" + _SCISSORS)
    return text if at < 0 else text[:at + 1]


def _cleanup(text: str, mode: str | None, editor: bool) -> str:
    """git's --cleanup: default is strip with the editor (always `true` here), else whitespace."""
    mode = mode or "default"
    if mode == "default":
        mode = "strip" if editor else "whitespace"
    elif mode == "scissors" and not editor:
        mode = "whitespace"
    if mode == "verbatim":
        return text
    if mode == "scissors":
        text = _cut_at_scissors(text)
    elif mode not in ("strip", "whitespace"):
        raise fatal(f"Invalid cleanup mode {mode}")
    return stripspace(text, strip_comments=mode == "strip")


def _is_empty(message: str | None, cleanup: str | None) -> bool:
    """git's message_is_empty(): nothing but blank and Signed-off-by lines (unless verbatim)."""
    if not message:
        return True
    return cleanup != "verbatim" and all(
        line.startswith("Signed-off-by: ") or not line.strip(SPACE) for line in message.split("\n"))


def _message(repo: GitRepo, opts: Parsed, reused: Commit | None, old: Commit | None,
             ctx: CommandContext) -> str | None:
    """The final message, or None when git's editor (true) would leave it empty."""
    text = _given_message(repo, opts, ctx)
    editor = text is None and (reused is None or bool(opts["reedit"]))  # -c keeps the editor
    if opts["edit"] is not None:
        editor = bool(opts["edit"])
    if text is None:
        source = reused or old
        text = source.message.decode(errors="replace") if source else _state_message(repo)
    return None if text is None else _cleanup(text, opts["cleanup"], editor)


def _author_source(repo: GitRepo, opts: Parsed, reused: Commit | None, old: Commit | None,
                   whence: str) -> Commit | None:
    """The commit whose author (and date) the new commit keeps: -C, --amend or the picked one."""
    if opts["reset_author"]:
        return None
    if whence == "cherry-pick":
        return repo.commit((repo.git_dir / "CHERRY_PICK_HEAD").read_text().strip())
    return reused or old


def _author(opts: Parsed, source: Commit | None, ident: bytes,
            when: tuple[int, int]) -> tuple[bytes, int, int]:
    name, stamp, zone = (source.author, source.author_time, source.author_timezone) if source \
        else (ident, when[0], when[1])
    if opts["author"]:
        match = _AUTHOR.match(opts["author"])
        if not match:
            raise fatal(f"--author '{opts['author']}' is not 'Name <email>' and matches no "
                        "existing author")
        name = f"{match.group(1)} <{match.group(2)}>".encode()
    return name, stamp, zone


def _check_state(opts: Parsed, head: str | None, whence: str) -> None:
    """git's refusals before anything is staged."""
    if opts["message"] and opts["file"]:
        raise fatal("Option -m cannot be combined with -F.")
    if opts["amend"] and head is None:
        raise fatal("You have nothing to amend.")
    if opts["amend"] and whence:
        raise fatal(f"You are in the middle of a {whence} -- cannot amend.")
    if opts["reset_author"] and not (opts["reuse"] or opts["reedit"] or opts["amend"]
                                     or whence == "cherry-pick"):
        raise fatal("--reset-author can be used only with -C, -c or --amend.")


def _reused(repo: GitRepo, opts: Parsed) -> Commit | None:
    """The commit named by -C / -c (the last one given wins, as in git)."""
    name = opts["reedit"] or opts["reuse"]
    if not name:
        return None
    sha = resolve_commit(repo, name)
    if sha is None:
        raise fatal(f"could not lookup commit {name}")
    return repo.commit(sha)


def _status(repo: GitRepo, index: IndexFile, parents: list[str], amend: bool,
            ctx: CommandContext, short: str | None = None) -> str:
    """The status git prints for the commit about to be made (`short`: "short"/"porcelain")."""
    found = list_untracked(repo, index)
    changes = collect(repo, index=index, base=parents[0] if parents else None)
    prefix = repo.prefix(ctx.cwd)
    if short:
        return "".join(short_lines(changes, found, prefix, short == "porcelain"))
    return long_status(repo, changes, found, prefix, initial_label="Initial commit", amend=amend,
                       initial=not parents)


def _nothing_to_commit(repo: GitRepo, index: IndexFile, parents: list[str], amend: bool,
                       whence: str, ctx: CommandContext) -> CommandResult:
    """git runs status and explains; an emptied cherry-pick gets its own advice."""
    advice = _EMPTY_AMEND if amend else EMPTY_PICK_TEXT if whence == "cherry-pick" else ""
    return CommandResult(1, _status(repo, index, parents, amend, ctx), advice)


def _dry_run(repo: GitRepo, opts: Parsed, index: IndexFile, head: str | None,
             ctx: CommandContext) -> CommandResult:
    """--dry-run (implied by --short/--porcelain): the status, exit 0 when something is staged."""
    old = repo.commit(head) if opts["amend"] and head else None
    parents = [p.decode() for p in old.parents] if old is not None else ([head] if head else [])
    base = repo.commit(parents[0]).tree.decode() if parents else EMPTY_TREE
    staged = repo.write_tree((e.path, e.mode, e.sha) for e in index.entries if e.stage == 0)
    short = "porcelain" if opts["porcelain"] else "short" if opts["short"] else None
    committable = staged != base
    return CommandResult(0 if committable else 1,
                         _status(repo, index, parents, bool(opts["amend"]), ctx, short))


@command("commit")
def commit(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "date")
    head = repo.head_sha()
    whence = determine_whence(repo)
    _check_state(opts, head, whence)
    amend = bool(opts["amend"])
    index, to_write = _stage_for_commit(repo, opts, ctx, whence)
    unmerged = sorted({e.path for e in index.entries if e.stage})
    if opts["dry_run"] or opts["short"] or opts["porcelain"]:  # status of what would be committed
        return _dry_run(repo, opts, index, head, ctx)
    if unmerged:
        listing = "".join(f"U\t{raw(p)}\n" for p in unmerged)
        raise GitError(UNMERGED_TEXT, 128, listing)
    old = repo.commit(head) if amend and head else None
    reused = _reused(repo, opts)
    parents = [p.decode() for p in old.parents] if old is not None else ([head] if head else [])
    if whence == "merge":
        parents += (repo.git_dir / "MERGE_HEAD").read_text().split()
    tree = repo.write_tree((e.path, e.mode, e.sha) for e in index.entries if e.stage == 0)
    base_tree = repo.commit(parents[0]).tree.decode() if parents else None
    amending_merge = old is not None and len(old.parents) > 1
    if tree == (base_tree or EMPTY_TREE) and not (opts["allow_empty"] or whence == "merge"
                                                  or amending_merge):
        return _nothing_to_commit(repo, index, parents, amend, whence, ctx)
    message = _message(repo, opts, reused, old, ctx)
    if message is not None and opts["signoff"]:
        who = ctx.identity
        message = append_signoff(message, f"Signed-off-by: {who.name} <{who.email}>")
    if _is_empty(message, opts["cleanup"]) and not opts["allow_empty_message"]:
        return CommandResult(1, "", "Aborting commit due to empty commit message.\n")
    when = ctx.clock.now()
    ident = repo.ident(when).rsplit(b" ", 2)[0]
    source = _author_source(repo, opts, reused, old, whence)
    new = Commit()
    new.tree = tree.encode()
    new.parents = [p.encode() for p in parents]
    new.author, new.author_time, new.author_timezone = _author(opts, source, ident, when)
    new.committer, new.commit_time, new.commit_timezone = ident, when[0], when[1]
    new.message = (message or "").encode()
    sha = repo.add_object(new)
    if to_write is not repo.index():
        repo.write_index(to_write)
    first_line = (message or "").split("\n", 1)[0]
    kind = ("commit (initial)" if head is None else "commit (amend)" if amend
            else f"commit ({whence})" if whence else "commit")
    repo.update_ref("HEAD", sha, f"{kind}: {first_line}", when=when)
    post_commit_cleanup(repo)
    if opts["quiet"]:
        return CommandResult(0)
    return CommandResult(0, commit_summary(repo, new, sha, head is None, source is not None,
                                           base_tree))


def commit_summary(repo: GitRepo, new: Commit, sha: str, root_commit: bool, show_date: bool,
                   base_tree: str | None) -> str:
    """git's "[branch abc1234] subject" block: Author/Date lines, then the stat and summary."""
    branch = repo.current_branch()
    where = branch if branch is not None else "detached HEAD"
    root = " (root-commit)" if root_commit else ""
    out = f"[{where}{root} {abbreviate(repo, sha)}] {split_message(new.message)[0]}\n"
    if new.author != new.committer:
        out += f" Author: {new.author.decode(errors='replace')}\n"
    if show_date:
        out += f" Date: {format_date(new.author_time, new.author_timezone)}\n"
    if len(new.parents) > 1:
        return out
    pairs = _tree_changes(repo, base_tree, new.tree.decode())
    stats = file_stats([p for p, _score in pairs], Blobs(repo.objects))
    return out + format_summary(stats) + _summary_lines(pairs)
