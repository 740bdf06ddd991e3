"""git status: long (default), short (-s) and porcelain v1 formats, with -b."""

from __future__ import annotations

from ..abbrev import abbreviate
from ..changes import UNMERGED_LABELS, Changes, collect
from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser
from ..paths import display, quote_path
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..tracking import detached_headline, short_branch_line, tracking_text
from ..worktree import Untracked, list_untracked

PARSER = OptionParser("status", [
    Opt("verbose", "v", "verbose", "count"),
    Opt("short", "s", "short"),
    Opt("branch", "b", "branch"),
    Opt("show_stash", None, "show-stash"),
    Opt("ahead_behind", None, "ahead-behind"),
    Opt("porcelain", None, "porcelain", "optional", const="v1"),
    Opt("long", None, "long"),
    Opt("null", "z", "null"),
    Opt("untracked", "u", "untracked-files", "optional", const="all"),
    Opt("ignored", None, "ignored", "optional", const="traditional"),
    Opt("ignore_submodules", None, "ignore-submodules", "optional", const="all"),
    Opt("column", None, "column", "optional", const="always"),
    Opt("renames", None, "renames"),
    Opt("find_renames", "M", "find-renames", "optional", const=""),
])

_STAGED_LABELS = {"A": "new file:", "M": "modified:", "D": "deleted:", "R": "renamed:",
                  "T": "typechange:"}
_WIDTH = 12  # len("typechange:") + 1
_UNMERGED_WIDTH = 17  # len("deleted by them:") + 1


def determine_whence(repo: GitRepo) -> str:
    """What a commit now concludes, as git's determine_whence: "merge", "cherry-pick" or ""
    (a revert does not count). While it is not "", status drops the unstage hints."""
    if (repo.git_dir / "MERGE_HEAD").is_file():
        return "merge"
    return "cherry-pick" if (repo.git_dir / "CHERRY_PICK_HEAD").is_file() else ""


def sequencer_command(repo: GitRepo) -> str | None:
    """"pick" or "revert": the first command of a stopped multi-commit sequence, if any."""
    try:
        words = (repo.git_dir / "sequencer" / "todo").read_text(errors="replace").split()
    except OSError:
        return None
    return words[0] if words and words[0] in ("pick", "revert") else None


def _unstage_hint(repo: GitRepo, initial: bool, amend: bool) -> str:
    """The "to unstage" line (none while a merge or pick is concluded); an amend compares
    with HEAD^1."""
    if determine_whence(repo):
        return ""
    if initial:
        return '  (use "git rm --cached <file>..." to unstage)\n'
    source = "--source=HEAD^1 " if amend else ""
    return f'  (use "git restore {source}--staged <file>..." to unstage)\n'


def _unmerged_header(repo: GitRepo, changes: Changes, initial: bool, amend: bool) -> str:
    """git's wt_longstatus_print_unmerged_header, hints chosen by the kinds of conflict."""
    masks = set(changes.unmerged.values())
    both_deleted = (1,) in masks
    del_mod = bool(masks & {(1, 2), (1, 3)})
    not_deleted = bool(masks - {(1,), (1, 2), (1, 3)})
    out = "Unmerged paths:\n" + _unstage_hint(repo, initial, amend)
    if not both_deleted:
        how = "git add/rm <file>...\" as appropriate" if del_mod else "git add <file>...\""
    elif not del_mod and not not_deleted:
        how = 'git rm <file>..."'
    else:
        how = 'git add/rm <file>..." as appropriate'
    return out + f'  (use "{how} to mark resolution)\n'


def _state_text(repo: GitRepo, changes: Changes) -> str:
    """The "You have unmerged paths" / "You are currently cherry-picking" paragraph."""
    if (repo.git_dir / "MERGE_HEAD").is_file():
        if changes.unmerged:
            return ("You have unmerged paths.\n  (fix conflicts and run \"git commit\")\n"
                    "  (use \"git merge --abort\" to abort the merge)\n\n")
        return ("All conflicts fixed but you are still merging.\n"
                "  (use \"git commit\" to conclude merge)\n\n")
    running = sequencer_command(repo)
    for name, todo_word, verb, doing in (("CHERRY_PICK_HEAD", "pick", "cherry-pick", "cherry-picking"),
                                         ("REVERT_HEAD", "revert", "revert", "reverting")):
        path = repo.git_dir / name
        if running == todo_word:  # a stopped sequence: git names no commit
            head = f"{verb.capitalize()} currently in progress.\n"
            fixed = f'  (run "git {verb} --continue" to continue)\n'
        elif path.is_file():
            sha = path.read_text(errors="replace").strip()
            head = f"You are currently {doing} commit {abbreviate(repo, sha)}.\n"
            fixed = f'  (all conflicts fixed: run "git {verb} --continue")\n'
        else:
            continue
        if changes.unmerged:
            fixed = f'  (fix conflicts and run "git {verb} --continue")\n'
        return (head + fixed + f'  (use "git {verb} --skip" to skip this patch)\n'
                f'  (use "git {verb} --abort" to cancel the {verb} operation)\n\n')
    return ""


def long_status(repo: GitRepo, changes: Changes, untracked: Untracked | None, prefix: bytes,
                initial_label: str = "No commits yet", amend: bool = False,
                initial: bool | None = None) -> str:
    """The long format; commit's refusal calls the unborn state "Initial commit"."""
    out: list[str] = []
    branch = repo.current_branch()
    if branch is not None:
        out.append(f"On branch {branch}\n")
    else:
        out.append(detached_headline(repo) + "\n")
    initial = repo.head_sha() is None if initial is None else initial
    tracking = tracking_text(repo, branch)
    if tracking:
        out.append(tracking + "\n")
    out.append(_state_text(repo, changes))
    if initial:
        out.append(f"\n{initial_label}\n\n")
    if changes.staged:
        out.append("Changes to be committed:\n" + _unstage_hint(repo, initial, amend))
        for item in changes.staged:
            label = _STAGED_LABELS[item.status].ljust(_WIDTH)
            if item.source is not None:
                name = f"{display(item.source, prefix)} -> {display(item.path, prefix)}"
            else:
                name = display(item.path, prefix)
            out.append(f"\t{label}{name}\n")
        out.append("\n")
    if changes.unmerged:
        out.append(_unmerged_header(repo, changes, initial, amend))
        for path, stages in sorted(changes.unmerged.items()):
            out.append(f"\t{UNMERGED_LABELS[stages][1].ljust(_UNMERGED_WIDTH)}"
                       f"{display(path, prefix)}\n")
        out.append("\n")
    unstaged = changes.unstaged
    if not unstaged.is_clean():
        verb = "git add/rm" if unstaged.deleted else "git add"
        out.append(f"Changes not staged for commit:\n  (use \"{verb} <file>...\" to update what "
                   "will be committed)\n  (use \"git restore <file>...\" to discard changes in "
                   "working directory)\n")
        labels = {p: "modified:" for p in unstaged.modified}
        labels.update({p: "deleted:" for p in unstaged.deleted})
        labels.update({p: "typechange:" for p in unstaged.typechanged})
        for path in sorted(labels):
            out.append(f"\t{labels[path].ljust(_WIDTH)}{display(path, prefix)}\n")
        out.append("\n")
    if untracked and untracked.untracked:
        out.append("Untracked files:\n"
                   "  (use \"git add <file>...\" to include in what will be committed)\n")
        out.extend(f"\t{display(p, prefix)}\n" for p in untracked.untracked)
        out.append("\n")
    if untracked and untracked.ignored:
        out.append("Ignored files:\n"
                   "  (use \"git add -f <file>...\" to include in what will be committed)\n")
        out.extend(f"\t{display(p, prefix)}\n" for p in untracked.ignored)
        out.append("\n")
    out.append(_closing(changes, untracked, initial, amend))
    return "".join(out)


def _closing(changes: Changes, untracked: Untracked | None, initial: bool, amend: bool) -> str:
    if changes.staged:
        return ""
    if amend:
        return "No changes\n"
    if not changes.unstaged.is_clean() or changes.unmerged:
        return 'no changes added to commit (use "git add" and/or "git commit -a")\n'
    if untracked and untracked.untracked:
        return 'nothing added to commit but untracked files present (use "git add" to track)\n'
    if initial:
        return 'nothing to commit (create/copy files and use "git add" to track)\n'
    if untracked is None:
        return "nothing to commit (use -u to show untracked files)\n"
    return "nothing to commit, working tree clean\n"


def short_lines(changes: Changes, untracked: Untracked | None, prefix: bytes,
                porcelain: bool, nul: bool = False) -> list[str]:
    """`XY path` lines; porcelain paths are relative to the top, short ones to cwd.

    With `nul` (-z) paths are raw, lines end in NUL and renames read "new NUL old"."""
    def show(path: bytes) -> str:
        if nul:
            return display(path, b"", verbatim=True)
        return quote_path(path, True) if porcelain else display(path, prefix, True)

    end = "\0" if nul else "\n"
    rows: dict[bytes, list[str]] = {}
    for item in changes.staged:
        if item.source is None:
            name = show(item.path)
        elif nul:
            name = f"{show(item.path)}\0{show(item.source)}"
        else:
            name = f"{show(item.source)} -> {show(item.path)}"
        rows[item.path] = [item.status, " ", name]
    for path, stages in changes.unmerged.items():
        rows[path] = [UNMERGED_LABELS[stages][0], "", show(path)]
    unstaged = changes.unstaged
    for letter, paths in (("M", unstaged.modified), ("D", unstaged.deleted),
                          ("T", unstaged.typechanged)):
        for path in paths:
            row = rows.setdefault(path, [" ", " ", show(path)])
            row[1] = letter
    lines = [f"{row[0]}{row[1]} {row[2]}{end}" for _path, row in sorted(rows.items())]
    if untracked:
        lines += [f"?? {show(p)}{end}" for p in untracked.untracked]
        lines += [f"!! {show(p)}{end}" for p in untracked.ignored]
    return lines


@command("status")
def status(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "verbose", "show_stash", "column")
    if opts["ahead_behind"] is False:
        raise fatal("git status --no-ahead-behind is not supported in this environment")
    porcelain = opts["porcelain"]
    if porcelain == "v2":
        raise fatal("git status --porcelain=v2 is not supported in this environment")
    if porcelain not in (None, False, "v1", "1"):
        raise fatal(f"unsupported porcelain version '{porcelain}'")
    mode = opts["untracked"] or "normal"
    if mode not in ("no", "normal", "all"):
        raise fatal(f"Invalid untracked files mode '{mode}'")
    if opts["ignored"] not in (None, False, "no", "matching", "traditional"):
        raise fatal(f"Invalid ignored mode '{opts['ignored']}'")
    ignored = opts["ignored"] not in (None, False, "no")
    spec = Pathspec(repo, opts.args, ctx.cwd)
    prefix = repo.prefix(ctx.cwd)
    changes = collect(repo, spec or None, renames=opts["renames"] is not False)
    untracked = None
    if mode != "no":
        found = list_untracked(repo, repo.index(), all_files=mode == "all", want_ignored=ignored,
                               ignored_mode=opts["ignored"] if ignored else "matching")
        if spec:
            found.untracked = [p for p in found.untracked if spec.matches(p.rstrip(b"/"))]
            found.ignored = [p for p in found.ignored if spec.matches(p.rstrip(b"/"))]
        untracked = found
    short = opts["short"] and not opts["long"]
    if opts["null"] and not short:
        porcelain = porcelain or "v1"
    if porcelain or short:
        lines = short_lines(changes, untracked, prefix, bool(porcelain), bool(opts["null"]))
        if opts["branch"]:
            header = short_branch_line(repo)
            lines.insert(0, header[:-1] + "\0" if opts["null"] else header)
        return CommandResult(0, "".join(lines))
    return CommandResult(0, long_status(repo, changes, untracked, prefix))
