"""git log: commit walk with git's ordering, built-in and --format output, diffs per commit."""

from __future__ import annotations

from dulwich.objects import Commit

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..diffing import Abbrev, Blobs, PathFilter, tree_pairs
from ..diffopts import DIFF_OPTIONS, diff_formats, render
from ..errors import GitError, fatal
from ..graph import merge_bases
from ..logformat import BUILTIN_FORMATS, LogFormatter
from ..options import Opt, OptionParser, Parsed
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve_commit, resolve_or_die, unknown_revision
from ..revwalk import walk

LOG_OPTIONS = (
    Opt("max_count", "n", "max-count", "value"),
    Opt("skip", None, "skip", "value"),
    Opt("oneline", None, "oneline"),
    Opt("all", None, "all"),
    Opt("graph", None, "graph"),
    Opt("decorate", None, "decorate", "optional", const="short"),
    Opt("format", None, "format", "value"),
    Opt("pretty", None, "pretty", "optional", const="medium"),
    Opt("abbrev_commit", None, "abbrev-commit"),
    Opt("reverse", None, "reverse"),
    Opt("first_parent", None, "first-parent"),
    Opt("merges", None, "merges", negatable=False),
    Opt("no_merges", None, "no-merges", negatable=False),
    Opt("date", None, "date", "value"),
    Opt("relative_date", None, "relative-date"),
    *DIFF_OPTIONS,
)
_PARSER = OptionParser("log", LOG_OPTIONS, numeric="max_count")


def parse_log_args(parser: OptionParser, args: list[str]) -> Parsed:
    """Parse like setup_revisions: an unknown option is "fatal: unrecognized argument"."""
    try:
        return parser.parse(args)
    except GitError as err:
        if err.exit_code != 129 or not err.stderr.startswith("error: unknown"):
            raise
        bad = next((a for a in args if a.startswith("-") and a != "--"
                    and err.stderr.split("`")[1].split("'")[0] in a), args[0] if args else "")
        raise fatal(f"unrecognized argument: {bad}") from None


def commit_style(parsed: Parsed, default: str = "medium") -> tuple[str, str | None, bool]:
    """(built-in style or "format", user format, terminator semantics) from the options."""
    if parsed["format"] is not None:
        return "format", parsed["format"], True
    pretty = parsed["pretty"]
    if pretty:
        for prefix, terminated in (("format:", False), ("tformat:", True)):
            if pretty.startswith(prefix):
                return "format", pretty[len(prefix):], terminated
        if pretty not in BUILTIN_FORMATS:
            if "%" in pretty:
                return "format", pretty, True
            raise fatal(f"invalid --pretty format: {pretty}")
        return pretty, None, pretty == "oneline"
    if parsed["oneline"]:
        return "oneline", None, True
    return default, None, False


def make_formatter(repo: GitRepo, parsed: Parsed, style: str) -> LogFormatter:
    date = "relative" if parsed["relative_date"] else (parsed["date"] or "default")
    decorate = parsed["decorate"] or "no"
    if decorate not in ("short", "full", "no"):
        raise fatal(f"invalid --decorate option: {decorate}")
    abbrev_commit = bool(parsed["abbrev_commit"]) or (bool(parsed["oneline"])
                                                        and parsed["abbrev_commit"] is not False)
    return LogFormatter(repo, abbreviator(repo), date_mode=date, decorate=decorate,
                        abbrev_commit=abbrev_commit)


def format_entry(fmt: LogFormatter, style: str, user: str | None, terminated: bool, sha: str,
                 commit: Commit, diff: str) -> str:
    """One commit as log prints it (without the separator between entries)."""
    if style == "format":
        text = fmt.expand(user or "", sha, commit) + ("\n" if terminated else "")
    else:
        text = fmt.header(style, sha, commit)
    if diff:
        if style != "oneline" and (style != "format" or user):
            text += ("---" if diff.startswith(" ") and "\ndiff --git" in diff else "") + "\n"
        text += diff
    return text


def commit_diff(repo: GitRepo, commit: Commit, formats: list[str], blobs: Blobs,
                abbrev: Abbrev, wanted: PathFilter | None = None) -> str:
    """The diff of a non-merge commit against its parent (nothing for merges)."""
    if not formats or len(commit.parents) > 1:
        return ""
    parent_tree = repo.commit(commit.parents[0].decode()).tree if commit.parents else None
    pairs = tree_pairs(repo.objects, parent_tree, commit.tree, wanted)
    return render(pairs, formats, blobs, abbrev)


def _ranges(repo: GitRepo, revs: list[str]) -> tuple[list[str], list[str]]:
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


@command("log")
def log(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = parse_log_args(_PARSER, args)
    split = split_args(repo, parsed)
    include, exclude = _ranges(repo, split.revs)
    if parsed["all"]:
        include += [sha for ref, sha in repo.refs().items()
                    if resolve_commit(repo, ref) == sha]
        head = repo.head_sha()
        if head:
            include.append(head)
    if not split.revs and not parsed["all"]:
        head = repo.head_sha()
        if head is None:
            branch = repo.current_branch() or "HEAD"
            raise fatal(f"your current branch '{branch}' does not have any commits yet")
        include.append(head)
    style, user, terminated = commit_style(parsed)
    fmt = make_formatter(repo, parsed, style)
    formats = diff_formats(parsed)
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    try:
        limit = None if parsed["max_count"] is None else int(parsed["max_count"])
        skip = int(parsed["skip"] or 0)
    except ValueError:
        raise GitError("fatal: '-n' requires an integer argument\n", 128) from None
    entries: list[str] = []
    blobs = Blobs(repo.objects)
    for sha, commit in walk(repo, include, exclude, first_parent=bool(parsed["first_parent"]),
                            wanted=spec.matches if spec else None):
        merges = len(commit.parents) > 1
        if (parsed["merges"] and not merges) or (parsed["no_merges"] and merges):
            continue
        if skip:
            skip -= 1
            continue
        if limit is not None and len(entries) >= limit:
            break
        diff = commit_diff(repo, commit, formats, blobs, fmt.abbrev)
        entries.append(format_entry(fmt, style, user, terminated, sha, commit, diff))
    if parsed["reverse"]:
        entries.reverse()
    if parsed["graph"]:
        return CommandResult(0, graph_linear(entries, terminated))
    return CommandResult(0, "".join(entries) if terminated else "\n".join(entries))


def graph_linear(entries: list[str], terminated: bool) -> str:
    """--graph for a linear history: "* " first, "| " below while more commits follow."""
    out: list[str] = []
    for i, entry in enumerate(entries):
        bar = "| " if i + 1 < len(entries) else "  "
        lines = entry.split("\n")
        if lines[-1] == "":
            lines.pop()
        out.append("* " + lines[0] + "\n")
        out += [bar + line + "\n" for line in lines[1:]]
        if not terminated and i + 1 < len(entries) and entry.endswith("\n"):
            out.append("| \n")
    text = "".join(out)
    return text if terminated or not entries or entries[-1].endswith("\n") else text[:-1]
