"""git cherry-pick and git revert: apply (or undo) commits with the 3-way merge,
CHERRY_PICK_HEAD / REVERT_HEAD + MERGE_MSG on conflict, --continue / --abort / --skip."""

from __future__ import annotations

import shutil
from typing import NoReturn

from dulwich.objects import Commit

from ..abbrev import abbreviate
from ..commits import new_commit, post_commit_cleanup, stopped_pick
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..logselect import revision_ranges
from ..message import first_line, stripspace
from ..options import Opt, OptionParser, Parsed
from ..registry import command
from ..repo import EMPTY_TREE, GitRepo
from ..revisions import resolve_commit
from ..revwalk import walk
from ..trailers import append_origin, append_signoff
from ..treemerge import (
    TreeItems,
    apply_merge,
    check_worktree,
    merge_trees,
    reset_hard_to_head,
    staged_paths,
    strategy_favor,
)
from ..usage_text import USAGE
from .commit import EMPTY_PICK_TEXT, commit_summary
from .commit import commit as commit_command
from .reset import remove_branch_state
from .status import sequencer_command
from .status import status as status_command

_OPTIONS = (
    Opt("continue_", None, "continue"), Opt("abort", None, "abort"), Opt("skip", None, "skip"),
    Opt("quit", None, "quit"), Opt("edit", "e", "edit"), Opt("no_commit", "n", "no-commit"),
    Opt("mainline", "m", "mainline", "value"), Opt("signoff", "s", "signoff"),
    Opt("record", "x", None), Opt("strategy_option", "X", "strategy-option", "list"),
    Opt("allow_empty", None, "allow-empty"), Opt("keep_redundant", None, "keep-redundant-commits"),
)


_NO_COMMIT_HINTS = ("hint: after resolving the conflicts, mark the corrected paths\n"
                    "hint: with 'git add <paths>' or 'git rm <paths>'\n")


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
            text = append_origin(text, sha)
        return text
    subject = first_line(commit.message)
    if len(commit.parents) > 1:
        return (f"Revert \"{subject}\"\n\nThis reverts commit {sha}, reversing\n"
                f"changes made to {parent}.\n")
    return f"Revert \"{subject}\"\n\nThis reverts commit {sha}.\n"


def _pick(repo: GitRepo, sha: str, revert: bool, parsed: Parsed) -> str:
    verb = "revert" if revert else "cherry-pick"
    commit = repo.commit(sha)
    short = abbreviate(repo, sha)
    subject = first_line(commit.message)
    head = repo.head_sha()
    assert head is not None
    ours = _our_side(repo, head, verb, bool(parsed["no_commit"]))
    if len(commit.parents) > 1 and not parsed["mainline"]:
        raise GitError(f"error: commit {sha} is a merge but no -m option was given.\n"
                       f"fatal: {verb} failed\n", 128)
    mainline = int(parsed["mainline"] or 1)
    if mainline > max(len(commit.parents), 1):
        raise GitError(f"error: commit {sha} does not have parent {mainline}\n"
                       f"fatal: {verb} failed\n", 128)
    parent = commit.parents[mainline - 1].decode() if commit.parents else None
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
    if parsed["signoff"]:
        assert repo.ctx is not None
        who = repo.ctx.identity
        message = append_signoff(message, f"Signed-off-by: {who.name} <{who.email}>")
    if parsed["edit"] or (revert and parsed["edit"] is None):
        message = stripspace(message, strip_comments=True)
    state = repo.git_dir / ("REVERT_HEAD" if revert else "CHERRY_PICK_HEAD")
    if not outcome.clean or parsed["no_commit"]:
        if outcome.stages:
            message += "\n# Conflicts:\n" + "".join(
                f"#\t{p.decode(errors='replace')}\n" for p in sorted(outcome.stages))
        (repo.git_dir / "MERGE_MSG").write_text(message)
        if revert or not parsed["no_commit"]:  # git: REVERT_HEAD even for a clean `revert -n`
            state.write_text(sha + "\n")
        if outcome.clean:
            return "".join(outcome.messages)
        action = "revert" if revert else "apply"
        hints = _NO_COMMIT_HINTS if parsed["no_commit"] else _hints(verb)
        raise GitError(f"error: could not {action} {short}... {subject}\n" + hints, 1,
                       stdout="".join(outcome.messages))
    tree = repo.write_tree((p, m, s) for p, (m, s) in sorted(outcome.result.items()))
    if tree == repo.commit(head).tree.decode() and not _empty_allowed(repo, commit, parsed):
        (repo.git_dir / "MERGE_MSG").write_text(message)  # git's `commit` refuses it
        if not revert:
            state.write_text(sha + "\n")
        assert repo.ctx is not None
        raise GitError("" if revert else EMPTY_PICK_TEXT, 1, stdout="".join(outcome.messages)
                       + status_command([], repo, repo.ctx).stdout)
    author = None if revert else (commit.author, commit.author_time, commit.author_timezone)
    new_sha = new_commit(repo, tree, [head], message, author)
    repo.update_ref("HEAD", new_sha, f"{verb}: {first_line(message.encode())}")
    post_commit_cleanup(repo)  # git's commit ends a stale empty pick's state too
    return "".join(outcome.messages) + _summary(repo, new_sha, head)


def _our_side(repo: GitRepo, head: str | None, verb: str, no_commit: bool) -> TreeItems:
    """What the pick merges into: the index with -n, else HEAD, refused (before anything
    about the picked commit) when the index differs from it."""
    index = repo.index()
    if no_commit:
        return {e.path: (e.mode, e.sha) for e in index.entries if e.stage == 0}
    ours = repo.commit_tree_items(head)
    if staged_paths(index, ours):
        raise _dirty_index(verb)
    return ours


def _empty_allowed(repo: GitRepo, commit: Commit, parsed: Parsed) -> bool:
    """--keep-redundant-commits keeps a pick that became empty; --allow-empty only one that
    was empty to begin with."""
    if parsed["keep_redundant"]:
        return True
    parent_tree = repo.commit(commit.parents[0].decode()).tree if commit.parents else None
    return bool(parsed["allow_empty"]) and commit.tree == (parent_tree or EMPTY_TREE.encode())


def _summary(repo: GitRepo, sha: str, parent: str) -> str:
    """The sequencer's "[branch abc1234] subject" block (always with the author date)."""
    return commit_summary(repo, repo.commit(sha), sha, False, True,
                          repo.commit(parent).tree.decode())


def _is_range(spec: str) -> bool:
    return ".." in spec or spec.startswith("^")


def _expand(repo: GitRepo, specs: list[str], revert: bool) -> list[str]:
    """Commit ids in git's order: without a range the revisions as given (each once, where
    first named); with one, a single walk over all of them, oldest first for picks."""
    if not any(_is_range(spec) for spec in specs):
        shas = [resolve_commit(repo, spec) or _bad_revision(spec) for spec in specs]
        return list(dict.fromkeys(shas))
    include: list[str] = []
    exclude: list[str] = []
    for spec in specs:  # each on its own, so that a bad one is named
        try:
            more, fewer = revision_ranges(repo, [spec])
        except GitError:
            _bad_revision(spec)
        include += more
        exclude += fewer
    found = [sha for sha, _ in walk(repo, include, exclude)]
    return found if revert else found[::-1]


def _bad_revision(spec: str) -> NoReturn:
    raise fatal(f"bad revision '{spec}'")


def _dirty_index(verb: str) -> GitError:
    return GitError(f"error: your local changes would be overwritten by {verb}.\n"
                    "hint: commit your changes or stash them to proceed.\n"
                    f"fatal: {verb} failed\n", 128)


def _save_todo(repo: GitRepo, todo: list[str], action: str) -> None:
    """git's sequencer files: the commands still to run (the current one first) and the HEAD
    an abort may rewind from (abort-safety)."""
    sequencer = repo.git_dir / "sequencer"
    sequencer.mkdir(exist_ok=True)
    (sequencer / "todo").write_text("".join(
        f"{action} {abbreviate(repo, sha)} {first_line(repo.commit(sha).message)}\n"
        for sha in todo))
    (sequencer / "abort-safety").write_text(f"{repo.head_sha()}\n")


def _todo(repo: GitRepo) -> list[str]:
    """The commits of the stopped sequence, the current one first."""
    todo = repo.git_dir / "sequencer" / "todo"
    lines = todo.read_text(errors="replace").splitlines() if todo.is_file() else []
    return [str(resolve_commit(repo, line.split()[1])) for line in lines if line.strip()]


def _run(repo: GitRepo, todo: list[str], revert: bool, parsed: Parsed, out: list[str],
         sequence: bool) -> CommandResult:
    """Pick `todo` in order; a sequence keeps its remaining commands in .git/sequencer."""
    for n, sha in enumerate(todo):
        if sequence:
            _save_todo(repo, todo[n:], "revert" if revert else "pick")
        try:
            out.append(_pick(repo, sha, revert, parsed))
        except GitError as err:
            raise GitError(err.stderr, err.exit_code, "".join(out) + err.stdout) from None
    if sequence:
        shutil.rmtree(repo.git_dir / "sequencer", ignore_errors=True)
    return CommandResult(0, "".join(out))


def _rollback_is_safe(repo: GitRepo) -> bool:
    """HEAD is where the sequencer left it (the user has not committed meanwhile)."""
    safety = repo.git_dir / "sequencer" / "abort-safety"
    expected = safety.read_text().strip() if safety.is_file() else None
    return expected == repo.head_sha()


def _reset_merge(repo: GitRepo, target: str) -> None:
    """`git reset --merge <target>`: the sequencer's way back; it ends the pick in progress."""
    reset_hard_to_head(repo, target, target, keep_local=True)
    remove_branch_state(repo)


def _continue(repo: GitRepo, parsed: Parsed, verb: str, ctx: CommandContext) -> CommandResult:
    """Commit the resolved pick (git runs `git commit --no-edit --cleanup=strip`), then pick
    the rest of a stopped sequence."""
    running = sequencer_command(repo)
    todo = _todo(repo)
    done = CommandResult(0)
    if stopped_pick(repo):
        done = commit_command(["--no-edit", "--cleanup=strip"], repo, ctx)
        if done.exit_code or running is None:
            return done
    elif running is None:
        raise GitError(f"error: no cherry-pick or revert in progress\nfatal: {verb} failed\n", 128)
    _our_side(repo, repo.head_sha(), verb, no_commit=False)  # refuses a dirty index
    return _run(repo, todo[1:], running == "revert", parsed, [done.stdout], sequence=True)


def _skip(repo: GitRepo, parsed: Parsed, revert: bool, ctx: CommandContext) -> CommandResult:
    """Drop the stopped pick (reset --merge to HEAD) and go on with the sequence."""
    verb = "revert" if revert else "cherry-pick"
    if not (repo.git_dir / ("REVERT_HEAD" if revert else "CHERRY_PICK_HEAD")).is_file():
        if sequencer_command(repo) != ("revert" if revert else "pick"):
            raise GitError(f"error: no {verb} in progress\nfatal: {verb} failed\n", 128)
        if not _rollback_is_safe(repo):
            raise GitError("error: there is nothing to skip\nhint: have you committed already?\n"
                           f"hint: try \"git {verb} --continue\"\nfatal: {verb} failed\n", 128)
    _reset_merge(repo, str(repo.head_sha()))
    if not (repo.git_dir / "sequencer").is_dir():
        return CommandResult(0)
    return _continue(repo, parsed, verb, ctx)


def _abort(repo: GitRepo, verb: str) -> CommandResult:
    """Back to where the sequence (or the single pick) started."""
    start = repo.git_dir / "sequencer" / "head"
    if not start.is_file():
        if not stopped_pick(repo):
            raise GitError(f"error: no cherry-pick or revert in progress\nfatal: {verb} failed\n",
                           128)
        _reset_merge(repo, str(repo.head_sha()))
        return CommandResult(0)
    stderr = ""
    if _rollback_is_safe(repo):
        try:
            _reset_merge(repo, start.read_text().strip())
        except GitError as err:  # sequencer_rollback fails as a whole
            raise GitError(err.stderr + f"fatal: {verb} failed\n", 128, err.stdout) from None
    else:
        stderr = "warning: You seem to have moved HEAD. Not rewinding, check your HEAD!\n"
    shutil.rmtree(repo.git_dir / "sequencer", ignore_errors=True)
    return CommandResult(0, "", stderr)


def _single_revision(args: list[str]) -> bool:
    """git picks one plain revision without its sequencer (no .git/sequencer)."""
    return len(args) == 1 and not _is_range(args[0])


def _sequencer(args: list[str], repo: GitRepo, ctx: CommandContext, revert: bool
               ) -> CommandResult:
    verb = "revert" if revert else "cherry-pick"
    parsed = OptionParser(verb, _OPTIONS).parse(args)
    sequencer = repo.git_dir / "sequencer"
    if parsed["continue_"]:
        return _continue(repo, parsed, verb, ctx)
    if parsed["skip"]:
        return _skip(repo, parsed, revert, ctx)
    if parsed["abort"]:
        return _abort(repo, verb)
    if parsed["quit"]:
        shutil.rmtree(sequencer, ignore_errors=True)
        remove_branch_state(repo)
        return CommandResult(0)
    if not parsed.args:
        raise GitError(USAGE[verb], 129)
    todo = _expand(repo, parsed.args, revert)
    single = _single_revision(parsed.args)
    running = None if single else sequencer_command(repo)
    if running is not None:
        doing = "revert" if running == "revert" else "cherry-pick"
        skip = "--skip | " if stopped_pick(repo) else ""
        raise GitError(f"error: {doing} is already in progress\nhint: try \"git {doing} "
                       f"(--continue | {skip}--abort | --quit)\"\nfatal: {verb} failed\n", 128)
    if not single:
        sequencer.mkdir(exist_ok=True)
        (sequencer / "head").write_text(f"{repo.head_sha()}\n")
        _save_todo(repo, todo, "revert" if revert else "pick")
    if any(e.stage for e in repo.index().entries):
        doing = "Reverting" if revert else "Cherry-picking"
        raise GitError(f"error: {doing} is not possible because you have unmerged files.\n"
                       "hint: Fix them up in the work tree, and then use 'git add/rm <file>'\n"
                       "hint: as appropriate to mark resolution and make a commit.\n"
                       f"fatal: {verb} failed\n", 128)
    return _run(repo, todo, revert, parsed, [], sequence=not single)


@command("cherry-pick")
def cherry_pick(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    return _sequencer(args, repo, ctx, revert=False)


@command("revert")
def revert(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    return _sequencer(args, repo, ctx, revert=True)
