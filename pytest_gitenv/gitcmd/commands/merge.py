"""git merge: fast-forward, "ort" merge commits, conflicts (markers, stages, MERGE_*),
--abort, --continue, --no-ff, --ff-only, --no-commit, -m."""

from __future__ import annotations

from pathlib import Path

from dulwich.objects import Tag

from ..abbrev import abbreviate, abbreviator
from ..commits import new_commit
from ..context import CommandContext, CommandResult
from ..diffing import (
    Blobs,
    file_stats,
    format_change_summary,
    format_stat,
    index_pairs,
    tree_pairs,
)
from ..errors import GitError, fatal
from ..graph import is_ancestor, merge_bases
from ..index import IndexFile
from ..logformat import LogFormatter
from ..message import stripspace
from ..options import Opt, OptionParser, Parsed
from ..paths import prune_empty_dirs
from ..registry import command
from ..repo import GitRepo
from ..revisions import dwim_ref, resolve_commit, upstream_ref
from ..revwalk import walk
from ..switching import two_way
from ..treemerge import (
    MergeOutcome,
    apply_merge,
    check_worktree,
    merge_trees,
    reset_hard_to_head,
    staged_paths,
    strategy_favor,
)
from .commit import commit as commit_command
from .reset import remove_branch_state
from .stash import LocalChanges

_PARSER = OptionParser("merge", (
    Opt("abort", None, "abort"), Opt("continue_", None, "continue"), Opt("quit", None, "quit"),
    Opt("ff", None, "ff"), Opt("ff_only", None, "ff-only"), Opt("commit", None, "commit"),
    Opt("edit", "e", "edit"), Opt("message", "m", "message", "list"),
    Opt("quiet", "q", "quiet"), Opt("verbose", "v", "verbose", "count"),
    Opt("stat", None, "stat"), Opt("no_stat", "n", None),
    Opt("squash", None, "squash"), Opt("strategy", "s", "strategy", "value"),
    Opt("strategy_option", "X", "strategy-option", "list"),
    Opt("unrelated", None, "allow-unrelated-histories"),
))
_SQUASHED = "Squash commit -- not updating HEAD\n"
_WENT_WELL = "Automatic merge went well; stopped before committing as requested\n"
_FAILED = "Automatic merge failed; fix conflicts and then commit the result.\n"
_UNFINISHED = ("fatal: You have not concluded your merge (MERGE_HEAD exists).\n"
               "Please, commit your changes before you merge.\n")
_UNMERGED = ("error: Merging is not possible because you have unmerged files.\n"
             "hint: Fix them up in the work tree, and then use 'git add/rm <file>'\n"
             "hint: as appropriate to mark resolution and make a commit.\n"
             "fatal: Exiting because of an unresolved conflict.\n")


def merge_subject(repo: GitRepo, name: str, sha: str) -> str:
    """fmt-merge-msg's first line for merging `name` into the current branch."""
    ref = dwim_ref(repo, name)
    if ref is None or (repo.resolve_ref(ref) != sha and not ref.startswith("refs/tags/")):
        what = _early_part(repo, name) or f"commit '{name}'"
    elif ref.startswith("refs/heads/"):
        what = f"branch '{ref[len('refs/heads/'):]}'"
    elif ref.startswith("refs/remotes/"):
        what = f"remote-tracking branch '{ref[len('refs/remotes/'):]}'"
    elif ref.startswith("refs/tags/"):
        what = f"tag '{ref[len('refs/tags/'):]}'"
    else:
        what = f"commit '{name}'"
    branch = repo.current_branch() or "HEAD"  # detached: "into HEAD"
    into = f" into {branch}" if branch not in ("main", "master") else ""
    return f"Merge {what}{into}"


def _early_part(repo: GitRepo, name: str) -> str | None:
    """git's merge_name for `<branch>^..` / `<branch>~<n>`: "branch 'x' (early part)"."""
    base = name.rstrip("^")
    early = base != name
    if not early:
        base, tilde, digits = name.rpartition("~")
        if not tilde or not (digits.isdigit() or digits == ""):
            return None
        early = digits.strip("0") != "" or digits == ""
    if repo.resolve_ref(f"refs/heads/{base}") is None:
        return None
    return f"branch '{base}'" + (" (early part)" if early else "")


def _merge_message(repo: GitRepo, name: str, sha: str) -> str:
    """fmt-merge-msg: the subject, then an annotated tag's own message."""
    text = merge_subject(repo, name, sha) + "\n"
    ref = dwim_ref(repo, name)
    tag_sha = repo.resolve_ref(ref) if ref and ref.startswith("refs/tags/") else None
    tag = repo.get(tag_sha) if tag_sha else None
    if isinstance(tag, Tag):
        text += "\n" + tag.message.decode(errors="replace")
    return text


def diffstat(repo: GitRepo, old_tree: bytes, new_tree: bytes) -> str:
    """The stat + summary block git prints after a merge or fast-forward."""
    pairs = tree_pairs(repo.objects, old_tree, new_tree)
    return format_stat(file_stats(pairs, Blobs(repo.objects))) + format_change_summary(pairs)


def _abort(repo: GitRepo) -> CommandResult:
    if not (repo.git_dir / "MERGE_HEAD").is_file():
        raise fatal("There is no merge to abort (MERGE_HEAD missing).")
    reset_hard_to_head(repo, keep_local=True)
    remove_branch_state(repo)
    return CommandResult(0)


def _fast_forward(repo: GitRepo, name: str, head: str, target: str, parsed: Parsed) -> str:
    quiet, squash = bool(parsed["quiet"]), bool(parsed["squash"])
    updating = "" if quiet else f"Updating {abbreviate(repo, head)}..{abbreviate(repo, target)}\n"
    try:
        index, _ = two_way(repo, repo.commit_tree_items(head), repo.commit_tree_items(target),
                           repo.index(), verb="merge")
    except GitError as err:  # git has printed "Updating" already
        raise GitError(err.stderr, 1, updating) from None
    repo.write_index(index)
    if squash:
        _write_squash_msg(repo, head, target)
    else:
        repo.update_ref("HEAD", target, f"merge {name}: Fast-forward")
    if quiet:
        return ""
    stat = diffstat(repo, repo.commit(head).tree, repo.commit(target).tree) if _show_stat(
        parsed) else ""
    return updating + "Fast-forward\n" + (_SQUASHED if squash else "") + stat


def _show_stat(parsed: Parsed) -> bool:
    """--stat (default) unless the last of --stat/--no-stat/-n turned it off."""
    last = next((d for d in reversed(parsed.order) if d in ("stat", "no_stat")), None)
    return not (last == "no_stat" or (last == "stat" and parsed["stat"] is False))


def _write_squash_msg(repo: GitRepo, head: str, target: str) -> None:
    """SQUASH_MSG: "Squashed commit of the following:" and the medium log of the commits."""
    fmt = LogFormatter(repo, abbreviator(repo))
    entries = [fmt.header("medium", sha, commit) for sha, commit in walk(repo, [target], [head])]
    (repo.git_dir / "SQUASH_MSG").write_text("Squashed commit of the following:\n\n"
                                             + "\n".join(entries))


def write_merge_state(repo: GitRepo, target: str | None, message: str, outcome: MergeOutcome,
                      no_ff: bool) -> None:
    """MERGE_HEAD, MERGE_MODE (not for --squash: `target` None) and MERGE_MSG (with git's
    "# Conflicts:" list)."""
    if target is not None:
        (repo.git_dir / "MERGE_HEAD").write_text(target + "\n")
        (repo.git_dir / "MERGE_MODE").write_text("no-ff" if no_ff else "")
    if outcome.stages:
        message += "\n# Conflicts:\n" + "".join(f"#\t{p.decode(errors='replace')}\n"
                                                 for p in sorted(outcome.stages))
    (repo.git_dir / "MERGE_MSG").write_text(message)


def _restore_state(repo: GitRepo, head: str) -> str:
    """After a failed strategy git resets hard and runs `git stash apply --index --quiet` on
    what `git stash create` saved: local changes survive, but a directory standing where a
    tracked file was is lost, and a staged new file deleted from the worktree comes back (the
    stash kept both files). The apply says "Already up to date." when the stash's worktree
    tree is HEAD's own."""
    index = repo.index()
    head_items = repo.commit_tree_items(head)
    local = LocalChanges.of(repo, index, head_items)
    if local.none():
        return ""
    same = local.work_tree(repo, index, head_items) == repo.commit(head).tree.decode()
    kept = [p for p in local.replaced_by_directories(repo) if p in head_items]
    kept += [p for p in local.changed.deleted if p not in head_items]
    if kept:
        entries = {(e.path, e.stage): e for e in index.entries}
        for path in kept:
            entry = entries[(path, 0)]
            entries[(path, 0)] = repo.checkout_entry(path, entry.mode, entry.sha)
        restored = IndexFile(extensions=index.extensions)
        restored.set_entries(entries.values())
        repo.write_index(restored)
    for path in local.changed.deleted:  # the apply deletes them again, pruning empty folders
        if path not in kept:
            prune_empty_dirs(Path(repo.abspath(path)).parent, repo.worktree)
    return "Already up to date.\n" if same else ""


def _true_merge(repo: GitRepo, name: str, head: str, target: str,
                parsed: Parsed) -> CommandResult:
    bases = merge_bases(repo, head, target)
    if not bases and not parsed["unrelated"]:
        raise fatal("refusing to merge unrelated histories")
    base_items = repo.commit_tree_items(bases[0]) if bases else {}
    ours = repo.commit_tree_items(head)
    index = repo.index()
    if staged_paths(index, ours):  # git's failed strategy restores state via a logged reset
        repo.append_reflog("HEAD", head, head, f"merge {name}: updating HEAD")
        staged = index_pairs(ours, index, None, Blobs(repo.objects))  # renames count once
        why = "" if parsed["strategy"] == "ours" else (  # merge-ours just exits 2
            "error: Your local changes to the following files would be overwritten by merge:\n  "
            + " ".join(p.path.decode(errors="replace") for p in staged) + "\n")
        raise GitError(why + f"Merge with strategy {parsed['strategy'] or 'ort'} failed.\n", 2,
                       _restore_state(repo, head))
    theirs = ours if parsed["strategy"] == "ours" else repo.commit_tree_items(target)
    outcome = merge_trees(repo, base_items, ours, theirs, ("HEAD", name),
                          strategy_favor("merge", parsed["strategy_option"]))
    try:
        check_worktree(repo, index, ours, outcome)
    except GitError as err:
        raise GitError(err.stderr + f"Merge with strategy {parsed['strategy'] or 'ort'} failed.\n", 2,
                       _restore_state(repo, head)) from None
    apply_merge(repo, index, ours, outcome)
    messages = "".join(outcome.messages)
    if parsed["squash"]:
        _write_squash_msg(repo, head, target)
        if not outcome.clean:
            write_merge_state(repo, None, "", outcome, False)
        if outcome.clean:
            return CommandResult(0, messages + _SQUASHED, _WENT_WELL)
        return CommandResult(1, messages + _SQUASHED + _FAILED)
    message = "\n\n".join(parsed["message"]) + "\n" if parsed["message"] else _merge_message(
        repo, name, target)
    if not outcome.clean:
        write_merge_state(repo, target, message, outcome, parsed["ff"] is False)
        return CommandResult(1, messages + _FAILED)
    if parsed["commit"] is False:
        write_merge_state(repo, target, message, outcome, parsed["ff"] is False)
        return CommandResult(0, messages, _WENT_WELL)
    tree = repo.write_tree((p, m, s) for p, (m, s) in sorted(outcome.result.items()))
    sha = new_commit(repo, tree, [head, target], stripspace(message))
    made = f"Merge made by the '{parsed['strategy'] or 'ort'}' strategy."
    repo.update_ref("HEAD", sha, f"merge {name}: {made}")
    if parsed["quiet"]:
        return CommandResult(0)
    stat = diffstat(repo, repo.commit(head).tree, repo.commit(sha).tree) if _show_stat(
        parsed) else ""
    return CommandResult(0, messages + made + "\n" + stat)


def _not_mergeable(repo: GitRepo, name: str) -> GitError:
    """git's help_unknown_ref: remote-tracking branches with that last name are suggested."""
    similar = [ref.removeprefix("refs/remotes/") for ref in sorted(repo.refs("refs/remotes/"))
               if ref.rsplit("/", 1)[1] == name]
    text = f"merge: {name} - not something we can merge\n"
    if similar:
        text += "\nDid you mean this?\n" if len(similar) == 1 else "\nDid you mean one of these?\n"
        text += "".join(f"\t{ref}\n" for ref in similar)
    return GitError(text, 1)


def _into_unborn(repo: GitRepo, name: str, target: str | None, parsed: Parsed) -> CommandResult:
    """A branch yet to be born takes the merged commit as it is (git's "initial pull")."""
    if parsed["squash"]:
        raise fatal("Squash commit into empty head not supported yet")
    if parsed["ff"] is False:
        raise fatal("Non-fast-forward commit does not make sense into an empty head")
    if target is None:
        raise _not_mergeable(repo, name)
    index, _ = two_way(repo, {}, repo.commit_tree_items(target), repo.index(), verb="merge")
    repo.write_index(index)
    repo.update_ref("HEAD", target, "initial pull")
    return CommandResult(0)


@command("merge")
def merge(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    if parsed["abort"]:
        return _abort(repo)
    if parsed["quit"]:  # forget the merge, keep the index and the worktree
        for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"):
            (repo.git_dir / name).unlink(missing_ok=True)
        return CommandResult(0)
    if parsed["continue_"]:
        if not (repo.git_dir / "MERGE_HEAD").is_file():
            raise fatal("There is no merge in progress (MERGE_HEAD missing).")
        return commit_command([], repo, ctx)
    if any(e.stage for e in repo.index().entries):
        raise GitError(_UNMERGED, 128)
    if (repo.git_dir / "MERGE_HEAD").is_file():
        raise GitError(_UNFINISHED, 128)
    if (repo.git_dir / "CHERRY_PICK_HEAD").is_file():
        raise GitError("fatal: You have not concluded your cherry-pick (CHERRY_PICK_HEAD exists).\n"
                       "Please, commit your changes before you merge.\n", 128)
    if parsed["strategy"] not in (None, "ort", "recursive", "ours"):
        if parsed["strategy"] in ("octopus", "resolve", "subtree"):
            raise fatal(f"git merge -s {parsed['strategy']} is not supported in this environment")
        raise GitError(f"Could not find merge strategy '{parsed['strategy']}'.\n"
                       "Available strategies are: octopus ours recursive resolve subtree.\n", 1)
    for clash, flag in ((parsed["ff"] is False, "--no-ff."), (parsed["commit"], "--commit.")):
        if parsed["squash"] and clash:  # git's message has the stray dot
            raise fatal(f"options '--squash' and '{flag}' cannot be used together")
    names = parsed.args
    if not names:
        branch = repo.current_branch()
        up = upstream_ref(repo, branch) if branch else None
        if up is None:
            raise fatal("No remote for the current branch.")
        names = [up.removeprefix("refs/remotes/")]
    if len(names) > 1:
        raise fatal("octopus merges are not supported here")
    name = names[0]
    head = repo.head_sha()
    target = resolve_commit(repo, name)
    if head is None:
        return _into_unborn(repo, name, target, parsed)
    if target is None:
        raise _not_mergeable(repo, name)
    (repo.git_dir / "ORIG_HEAD").write_text(head + "\n")
    if target == head or is_ancestor(repo, target, head):
        if parsed["quiet"]:
            return CommandResult(0)
        return CommandResult(0, "Already up to date. (nothing to squash)\n" if parsed["squash"]
                             else "Already up to date.\n")
    if is_ancestor(repo, head, target) and parsed["ff"] is not False:
        return CommandResult(0, _fast_forward(repo, name, head, target, parsed))
    if parsed["ff_only"]:
        raise fatal("Not possible to fast-forward, aborting.")
    return _true_merge(repo, name, head, target, parsed)
