"""git cherry-pick and git revert: apply (or undo) commits with the 3-way merge,
CHERRY_PICK_HEAD / REVERT_HEAD + MERGE_MSG on conflict, --continue / --abort / --skip."""

from __future__ import annotations

import shutil
from pathlib import Path

from dulwich.objects import Commit

from ..abbrev import abbreviate
from ..commits import new_commit
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..logformat import split_message
from ..logselect import revision_ranges
from ..message import stripspace
from ..options import Opt, OptionParser, Parsed
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve_commit
from ..revwalk import walk
from ..treemerge import (
    apply_merge,
    check_worktree,
    merge_trees,
    reset_hard_to_head,
    staged_paths,
    strategy_favor,
)
from ..usage_text import USAGE
from .commit import _UNMERGED
from .commit import _report as commit_summary
from .reset import remove_branch_state
from .status import status as status_command

_OPTIONS = (
    Opt("continue_", None, "continue"), Opt("abort", None, "abort"), Opt("skip", None, "skip"),
    Opt("quit", None, "quit"), Opt("edit", "e", "edit"), Opt("no_commit", "n", "no-commit"),
    Opt("mainline", "m", "mainline", "value"), Opt("signoff", "s", "signoff"),
    Opt("record", "x", None), Opt("strategy_option", "X", "strategy-option", "list"),
)


_EMPTY_PICK = ("The previous cherry-pick is now empty, possibly due to conflict resolution.\n"
               "If you wish to commit it anyway, use:\n\n    git commit --allow-empty\n\n"
               "Otherwise, please use 'git cherry-pick --skip'\n")


def _hints(verb: str) -> str:
    return ("hint: After resolving the conflicts, mark them with\n"
            "hint: \"git add/rm <pathspec>\", then run\n"
            f"hint: \"git {verb} --continue\".\n"
            f"hint: You can instead skip this commit with \"git {verb} --skip\".\n"
            f"hint: To abort and get back to the state before \"git {verb}\",\n"
            f"hint: run \"git {verb} --abort\".\n")


def _message(commit: Commit, sha: str, revert: bool, record: bool, parent: str | None) -> str:
    """The new commit's message: the original (-x adds its origin) or git's revert text."""
    if not revert:
        text = commit.message.decode("utf-8", "replace")
        if record:
            text = text.rstrip("\n") + f"\n\n(cherry picked from commit {sha})\n"
        return text
    subject = split_message(commit.message)[0]
    if len(commit.parents) > 1:
        return (f"Revert \"{subject}\"\n\nThis reverts commit {sha}, reversing\n"
                f"changes made to {parent}.\n")
    return f"Revert \"{subject}\"\n\nThis reverts commit {sha}.\n"


def _pick(repo: GitRepo, sha: str, revert: bool, parsed: Parsed) -> str:
    verb = "revert" if revert else "cherry-pick"
    commit = repo.commit(sha)
    short = abbreviate(repo, sha)
    subject = split_message(commit.message)[0]
    if len(commit.parents) > 1 and not parsed["mainline"]:
        raise GitError(f"error: commit {sha} is a merge but no -m option was given.\n"
                       f"fatal: {verb} failed\n", 128)
    parent_index = int(parsed["mainline"] or 1) - 1
    parent = commit.parents[parent_index].decode() if commit.parents else None
    head = repo.head_sha()
    assert head is not None
    ours = repo.commit_tree_items(head)
    if staged_paths(repo.index(), ours):
        raise GitError(f"error: your local changes would be overwritten by {verb}.\n"
                       "hint: commit your changes or stash them to proceed.\n"
                       f"fatal: {verb} failed\n", 128)
    picked, before = repo.commit_tree_items(sha), repo.commit_tree_items(parent)
    base, theirs = (picked, before) if revert else (before, picked)
    label = f"{short} ({subject})"
    if revert:
        label = f"parent of {label}" if parent else "(empty tree)"
    outcome = merge_trees(repo, base, ours, theirs, ("HEAD", label),
                          strategy_favor(verb, parsed["strategy_option"]))
    index = repo.index()
    try:
        check_worktree(repo, index, ours, outcome)
    except GitError as err:
        raise GitError(err.stderr + f"fatal: {verb} failed\n", 128) from None
    apply_merge(repo, index, ours, outcome)
    message = _message(commit, sha, revert, bool(parsed["record"]), parent)
    if parsed["edit"] or (revert and parsed["edit"] is None):
        message = stripspace(message, strip_comments=True)
    state = repo.git_dir / ("REVERT_HEAD" if revert else "CHERRY_PICK_HEAD")
    if not outcome.clean or parsed["no_commit"]:
        if outcome.stages:
            message += "\n# Conflicts:\n" + "".join(
                f"#\t{p.decode(errors='replace')}\n" for p in sorted(outcome.stages))
        (repo.git_dir / "MERGE_MSG").write_text(message)
        if parsed["no_commit"] and outcome.clean:
            return "".join(outcome.messages)
        state.write_text(sha + "\n")
        action = "revert" if revert else "apply"
        raise GitError(f"error: could not {action} {short}... {subject}\n" + _hints(verb), 1,
                       stdout="".join(outcome.messages))
    tree = repo.write_tree((p, m, s) for p, (m, s) in sorted(outcome.result.items()))
    if tree == repo.commit(head).tree.decode():  # nothing to commit: git stops here
        (repo.git_dir / "MERGE_MSG").write_text(message)
        if not revert and not (repo.git_dir / "sequencer").is_dir():  # git's quirks: an empty
            state.write_text(sha + "\n")  # revert, or a pick inside a sequence, keep MERGE_MSG only
        assert repo.ctx is not None
        raise GitError("" if revert else _EMPTY_PICK, 1, stdout="".join(outcome.messages)
                       + status_command([], repo, repo.ctx).stdout)
    author = None if revert else (commit.author, commit.author_time, commit.author_timezone)
    new_sha = new_commit(repo, tree, [head], message, author)
    repo.update_ref("HEAD", new_sha, f"{verb}: {split_message(message.encode())[0]}")
    (repo.git_dir / "MERGE_MSG").unlink(missing_ok=True)  # a leftover from an empty pick
    return "".join(outcome.messages) + _summary(repo, new_sha, head)


def _continue(repo: GitRepo, state: Path, revert: bool) -> str:
    """Commit the resolved pick: MERGE_MSG (comments stripped), the picked commit's author."""
    unmerged = sorted({e.path for e in repo.index().entries if e.stage})
    if unmerged:
        raise GitError(_UNMERGED, 128, stdout="".join(
            f"U\t{p.decode(errors='replace')}\n" for p in unmerged))
    head = repo.head_sha()
    assert head is not None
    picked = repo.commit(state.read_text().strip())
    index = repo.index()
    tree = repo.write_tree((e.path, e.mode, e.sha) for e in index.entries)
    message = stripspace((repo.git_dir / "MERGE_MSG").read_text(errors="replace"), True)
    author = None if revert else (picked.author, picked.author_time, picked.author_timezone)
    sha = new_commit(repo, tree, [head], message, author)
    kind = "commit" if revert else "commit (cherry-pick)"
    repo.update_ref("HEAD", sha, f"{kind}: {split_message(message.encode())[0]}")
    remove_branch_state(repo)
    return _summary(repo, sha, head)


def _summary(repo: GitRepo, sha: str, parent: str) -> str:
    """The sequencer's "[branch abc1234] subject" block (always with the author date)."""
    return commit_summary(repo, repo.commit(sha), sha, False, True,
                          repo.commit(parent).tree.decode())


def _expand(repo: GitRepo, specs: list[str]) -> list[str]:
    """Commit ids to pick in order: single revisions as given, ranges oldest first."""
    shas: list[str] = []
    for spec in specs:
        if ".." not in spec and not spec.startswith("^"):
            sha = resolve_commit(repo, spec)
            if sha is None:
                raise fatal(f"bad revision '{spec}'")
            shas.append(sha)
            continue
        include, exclude = revision_ranges(repo, [spec])
        shas += reversed([sha for sha, _ in walk(repo, include, exclude)])
    return shas


def _run(repo: GitRepo, todo: list[str], revert: bool,
         parsed: Parsed, out: list[str]) -> CommandResult:
    """Pick `todo` in order; on a conflict remember the rest in .git/sequencer."""
    sequencer = repo.git_dir / "sequencer"
    for n, sha in enumerate(todo):
        try:
            out.append(_pick(repo, sha, revert, parsed))
        except GitError as err:
            if len(todo) > 1 and err.exit_code == 1:
                sequencer.mkdir(exist_ok=True)
                action = "revert" if revert else "pick"
                (sequencer / "todo").write_text("".join(
                    f"{action} {s} {split_message(repo.commit(s).message)[0]}\n"
                    for s in todo[n + 1:]))
            raise GitError(err.stderr, err.exit_code, "".join(out) + err.stdout) from None
    shutil.rmtree(sequencer, ignore_errors=True)
    return CommandResult(0, "".join(out))


def _remaining(repo: GitRepo) -> list[str]:
    todo = repo.git_dir / "sequencer" / "todo"
    lines = todo.read_text().splitlines() if todo.is_file() else []
    return [line.split()[1] for line in lines if line.strip()]


def _sequencer(args: list[str], repo: GitRepo, revert: bool) -> CommandResult:
    verb = "revert" if revert else "cherry-pick"
    parsed = OptionParser(verb, _OPTIONS).parse(args)
    sequencer = repo.git_dir / "sequencer"
    if parsed["abort"] or parsed["continue_"] or parsed["skip"] or parsed["quit"]:
        # either command resumes whichever operation is in progress, as git's sequencer does
        if (repo.git_dir / "REVERT_HEAD").is_file():
            revert = True
        elif (repo.git_dir / "CHERRY_PICK_HEAD").is_file():
            revert = False
        state = repo.git_dir / ("REVERT_HEAD" if revert else "CHERRY_PICK_HEAD")
        if not state.is_file() and not sequencer.is_dir():
            raise GitError(f"error: no cherry-pick or revert in progress\nfatal: {verb} failed\n",
                           128)
        if parsed["continue_"]:
            done = _continue(repo, state, revert) if state.is_file() else ""
            return _run(repo, _remaining(repo), revert, parsed, [done])
        if parsed["skip"]:
            reset_hard_to_head(repo, str(repo.head_sha()), keep_local=True)
            remove_branch_state(repo)
            return _run(repo, _remaining(repo), revert, parsed, [])
        start = sequencer / "head"
        if not parsed["quit"]:
            target = start.read_text().strip() if start.is_file() else str(repo.head_sha())
            reset_hard_to_head(repo, target, target, keep_local=True)
        remove_branch_state(repo)
        shutil.rmtree(sequencer, ignore_errors=True)
        return CommandResult(0)
    if not parsed.args:
        raise GitError(USAGE[verb], 129)
    todo = _expand(repo, parsed.args)
    if any(e.stage for e in repo.index().entries):
        doing = "Reverting" if revert else "Cherry-picking"
        raise GitError(f"error: {doing} is not possible because you have unmerged files.\n"
                       "hint: Fix them up in the work tree, and then use 'git add/rm <file>'\n"
                       "hint: as appropriate to mark resolution and make a commit.\n"
                       f"fatal: {verb} failed\n", 128)
    if sequencer.is_dir():  # a multi-commit sequence is stopped; single picks just go on
        raise GitError(f"error: {verb} is already in progress\nhint: try \"git {verb} "
                       f"(--continue | --abort | --quit)\"\nfatal: {verb} failed\n", 128)
    if len(todo) > 1:
        sequencer.mkdir(exist_ok=True)
        (sequencer / "head").write_text(f"{repo.head_sha()}\n")
    return _run(repo, todo, revert, parsed, [])


@command("cherry-pick")
def cherry_pick(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    return _sequencer(args, repo, revert=False)


@command("revert")
def revert(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    return _sequencer(args, repo, revert=True)
