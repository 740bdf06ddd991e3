"""git log: commit walk with git's ordering, built-in and --format output, diffs per commit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import islice

from dulwich.objects import Commit

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..diffing import Abbrev, Blobs, FilePair, PathFilter, format_name_only, format_patch, tree_pairs
from ..diffopts import DIFF_OPTIONS, diff_context, diff_formats, render
from ..errors import GitError, fatal
from ..graph import ancestors, merge_bases
from ..logformat import LogFormatter, split_message
from ..loggraph import Graph, topo_order
from ..logselect import (
    Follow,
    all_ref_commits,
    commit_filter,
    date_limit,
    first_parent_pairs,
    literal_paths,
    pickaxe_filter,
    revision_ranges,
)
from ..options import Opt, OptionParser, Parsed
from ..paths import quote_path, raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import ReflogEntry, reflog_walk, resolve_commit
from ..revwalk import walk

LOG_OPTIONS = (
    Opt("max_count", "n", "max-count", "value"),
    Opt("skip", None, "skip", "value"),
    Opt("oneline", None, "oneline"),
    Opt("all", None, "all"),
    Opt("graph", None, "graph"),
    Opt("left_right", None, "left-right"),
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
    Opt("grep", None, "grep", "list"),
    Opt("author", None, "author", "list"),
    Opt("committer", None, "committer", "list"),
    Opt("regexp_ignore_case", "i", "regexp-ignore-case"),
    Opt("all_match", None, "all-match"),
    Opt("invert_grep", None, "invert-grep"),
    Opt("fixed_strings", "F", "fixed-strings"),
    Opt("pickaxe", "S", None, "value"),
    Opt("follow", None, "follow"),
    Opt("cc", None, "cc"),
    Opt("since", None, "since", "value"),
    Opt("since", None, "after", "value"),
    Opt("until", None, "until", "value"),
    Opt("until", None, "before", "value"),
    Opt("pickaxe_regex", "G", None, "value"),
    Opt("walk_reflogs", "g", "walk-reflogs"),
    Opt("null", "z", None),
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


_REFERENCE = "%h (%s, %ad)"  # git's "reference" format, a tformat with short dates by default
# git's builtin_formats, in its order: a name may be abbreviated (the shortest match wins)
_PRETTY_NAMES = ("raw", "medium", "short", "email", "mboxrd", "fuller", "full", "oneline", "reference")


def _builtin_format(name: str) -> str | None:
    """git's find_commit_format: the built-in format whose name starts with `name`."""
    matches = [f for f in _PRETTY_NAMES if f.startswith(name)]
    return min(matches, key=len) if matches else None


def _chosen_pretty(parsed: Parsed) -> str | None:
    """The last --format/--pretty value ("oneline" for --oneline, built-in names spelt out),
    None when none was given."""
    last = next((d for d in reversed(parsed.order) if d in ("format", "pretty", "oneline")), None)
    if last is None:
        return None
    pretty = "oneline" if last == "oneline" else parsed[last]
    return (_builtin_format(pretty) if pretty and ":" not in pretty and "%" not in pretty else None) or pretty


def commit_style(parsed: Parsed, default: str = "medium") -> tuple[str, str | None, bool]:
    """(built-in style or "format", user format, terminator semantics) from the options;
    --format and --pretty take the same values (git's get_commit_format)."""
    pretty = _chosen_pretty(parsed)
    if pretty == "reference":
        return "format", _REFERENCE, True
    if pretty in ("email", "mboxrd"):
        raise fatal(f"--pretty={pretty} is not supported in this environment")
    if pretty is not None:
        if pretty.startswith("format:"):
            return "format", pretty[len("format:"):], False
        if not pretty or pretty.startswith("tformat:") or "%" in pretty:
            return "format", pretty.removeprefix("tformat:"), True
        if pretty not in _PRETTY_NAMES:
            raise fatal(f"invalid --pretty format: {pretty}")
        return pretty, None, pretty == "oneline"
    return default, None, False


def terminator(style: str, user: str | None, terminated: bool, end: str = "\n") -> str:
    """The `end` (newline, NUL with -z) after each entry with terminator semantics; none for
    an empty format."""
    return end if terminated and (style != "format" or user) else ""


def record_end(parsed: Parsed) -> str:
    """What ends (or separates) commit records: git's line_termination, NUL with -z."""
    return "\0" if parsed["null"] else "\n"


def _left_side(repo: GitRepo, revs: list[str]) -> frozenset[str]:
    """Commits only the left tip of each A...B reaches (git's SYMMETRIC_LEFT)."""
    left: set[str] = set()
    for arg in revs:
        if "..." in arg:
            a, b = (resolve_commit(repo, s or "HEAD") for s in arg.split("...", 1))
            left |= ancestors(repo, a) - ancestors(repo, b)
    return frozenset(left)


def make_formatter(repo: GitRepo, parsed: Parsed) -> LogFormatter:
    default_date = "short" if _chosen_pretty(parsed) == "reference" else "default"
    date = "relative" if parsed["relative_date"] else (parsed["date"] or default_date)
    decorate = parsed["decorate"] or "no"
    if decorate not in ("short", "full", "no"):
        raise fatal(f"invalid --decorate option: {decorate}")
    abbrev_commit = bool(parsed["abbrev_commit"]) or (bool(parsed["oneline"])
                                                        and parsed["abbrev_commit"] is not False)
    return LogFormatter(repo, abbreviator(repo), date_mode=date, decorate=decorate,
                        abbrev_commit=abbrev_commit)


def entry_message(fmt: LogFormatter, style: str, user: str | None, sha: str,
                  commit: Commit) -> str:
    """The commit text before any terminator or diff."""
    if style == "format":
        return fmt.expand(user or "", sha, commit)
    if style == "oneline":
        return fmt.header(style, sha, commit)[:-1]
    return fmt.header(style, sha, commit)


def diff_lead(style: str, user: str | None, diff: str, combined_merge: bool = False,
              changed: bool = False, end: str = "\n") -> str:
    """The line git prints between a commit's message and its diff ("---" with stat+patch),
    or "" for none; a merge's combined diff always gets its blank line (`end`: NUL with -z),
    even when empty, and so does a commit with changes whose chosen format shows none of
    them (--summary)."""
    if combined_merge:
        return end
    if not (diff or changed) or style == "oneline" or (style == "format" and not user):
        return ""
    return ("---" if diff.startswith(" ") and "\ndiff --git" in diff else "") + "\n"


def format_entry(fmt: LogFormatter, style: str, user: str | None, terminated: bool, sha: str,
                 commit: Commit, diff: tuple[str, bool], combined_merge: bool = False,
                 message: str | None = None, end: str = "\n") -> str:
    """One commit as log prints it (without the separator between entries); `message`
    replaces the commit text (log -g adds the reflog's); `end` ends terminated records."""
    if message is None:
        message = entry_message(fmt, style, user, sha, commit)
    text = message + terminator(style, user, terminated, end)
    return text + diff_lead(style, user, diff[0], combined_merge, diff[1], end) + diff[0]


def commit_diff(repo: GitRepo, commit: Commit, formats: list[str], blobs: Blobs,
                abbrev: Abbrev, wanted: PathFilter | None = None,
                combined: bool = False, context: int = 3,
                pair_filter: Callable[[FilePair], bool] | None = None,
                null: bool = False) -> tuple[str, bool]:
    """The diff of a commit against its first parent, and whether anything changed.
    Merges show nothing, or with `combined` (git show): stats against the first parent
    and only the paths that differ from every parent for the other formats; `null` (-z)
    ends names with NUL."""
    if not formats or (len(commit.parents) > 1 and not combined):
        return "", False
    trees = [repo.commit(p.decode()).tree for p in commit.parents] or [None]
    pairs = tree_pairs(repo.objects, trees[0], commit.tree, wanted)
    if pair_filter is not None:
        pairs = [p for p in pairs if pair_filter(p)]
    if len(trees) == 1:
        return render(pairs, formats, blobs, abbrev, context, null=null), bool(pairs)
    named = [f for f in formats if f in ("name_only", "name_status")]  # these hide the rest
    stat_formats = [] if named else [f for f in formats if f in ("numstat", "stat", "shortstat",
                                                                 "summary")]
    out = render(pairs, stat_formats, blobs, abbrev, null=null) if stat_formats else ""
    others = named or [f for f in formats if f == "patch"]
    if others and len(trees) == 2:
        theirs = {p.path: p for p in tree_pairs(repo.objects, trees[1], commit.tree, wanted)}
        both = [FilePair(p.path, p.old, p.new, theirs=theirs[p.path].old)
                for p in pairs if p.path in theirs and p.old and p.new and theirs[p.path].old]
        if "name_only" in others:
            out += format_name_only(both, null)
        if "name_status" in others:
            sep, name, end = ("\0", raw, "\0") if null else ("\t", quote_path, "\n")
            out += "".join(f"MM{sep}{name(p.path)}{end}" for p in both)
        if "patch" in others:
            out += ("\n" if out else "") + format_patch(both, blobs, abbrev, context)
    return out, bool(out)


_REFLOG_PLACEHOLDER = re.compile(r"%(%|g[dDsne])")


def _reflog_message(fmt: LogFormatter, style: str, user: str | None, entry: ReflogEntry,
                    commit: Commit) -> str:
    """The commit text of one log -g entry: the reflog selector and message in git's places."""
    if style == "format":
        name, _, email = entry.ident.partition(" <")
        values = {"gd": entry.selector, "gD": entry.selector, "gs": entry.message, "gn": name,
                  "ge": email.removesuffix(">")}
        user = _REFLOG_PLACEHOLDER.sub(lambda m: values[m.group(1)].replace("%", "%%") if m.group(1) in values
                                       else "%%", user or "")
        return fmt.expand(user, entry.sha, commit)
    text = entry_message(fmt, style, user, entry.sha, commit)
    if style == "oneline":
        prefix = text.removesuffix(" " + split_message(commit.message)[0])
        return f"{prefix} {entry.selector}: {entry.message}"
    first, _, rest = text.partition("\n")
    return f"{first}\nReflog: {entry.selector} ({entry.ident})\nReflog message: {entry.message}\n{rest}"


def _walk_reflogs(repo: GitRepo, parsed: Parsed, revs: list[str]) -> CommandResult:
    """log -g: the reflog of the one revision (HEAD by default), each entry as its commit."""
    if parsed["graph"]:  # --graph implies --topo-order, which limits the walk
        raise fatal("cannot combine --walk-reflogs with history-limiting options")
    for rev in revs:
        if "..." in rev:  # git names the merge base it excludes
            left, right = (resolve_commit(repo, side or "HEAD") or "" for side in rev.split("...", 1))
            raise fatal(f"cannot walk reflogs for {(merge_bases(repo, left, right) or [left])[0]}")
        if ".." in rev or rev.startswith("^"):
            raise fatal(f"cannot walk reflogs for {rev.lstrip('^').split('..')[0] or 'HEAD'}")
    spec = revs[0] if revs else "HEAD"
    if spec == "HEAD" and repo.head_sha() is None:
        raise fatal(f"your current branch '{repo.current_branch() or 'HEAD'}' does not have any commits yet")
    style, user, terminated = commit_style(parsed)
    fmt = make_formatter(repo, parsed)
    formats = diff_formats(parsed, [])
    blobs = Blobs(repo.objects)
    limit, skip = _count_options(parsed)
    entries = (reflog_walk(repo, spec) or [])[skip:]
    end = "\n" if style == "oneline" else record_end(parsed)  # git's oneline reflog line ends itself
    out = []
    for n, entry in enumerate(entries[:limit]):
        commit = repo.commit(entry.sha)
        diff = commit_diff(repo, commit, formats, blobs, fmt.abbrev, context=diff_context(parsed),
                           null=bool(parsed["null"]))
        out.append((end if n and not terminated else "") + format_entry(
            fmt, style, user, terminated, entry.sha, commit, diff,
            message=_reflog_message(fmt, style, user, entry, commit), end=end))
    return CommandResult(0, "".join(out))


def _count_options(parsed: Parsed) -> tuple[int | None, int]:
    """(-n limit or None, --skip) with git's error for a bad number."""
    try:
        limit = None if parsed["max_count"] is None else int(parsed["max_count"])
        return (None if limit is not None and limit < 0 else limit), int(parsed["skip"] or 0)
    except ValueError:
        raise GitError("fatal: '-n' requires an integer argument\n", 128) from None


@command("log")
def log(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = parse_log_args(_PARSER, args)
    split = split_args(repo, parsed)
    if parsed["walk_reflogs"]:
        return _walk_reflogs(repo, parsed, split.revs)
    include, exclude = revision_ranges(repo, split.revs)
    if parsed["all"]:
        include += all_ref_commits(repo)
    if not split.revs and not parsed["all"]:
        head = repo.head_sha()
        if head is None:
            branch = repo.current_branch() or "HEAD"
            raise fatal(f"your current branch '{branch}' does not have any commits yet")
        include.append(head)
    style, user, terminated = commit_style(parsed)
    left_right = bool(parsed["left_right"])
    fmt = replace(make_formatter(repo, parsed), left=_left_side(repo, split.revs),
                  left_right=left_right and not parsed["graph"])  # graphs mark the node
    formats = diff_formats(parsed, ["patch"] if parsed["cc"] else [])
    if parsed["graph"] and parsed["null"] and {"name_status", "numstat"} & set(formats):
        # git prefixes each record (status and names), which the rendered text no longer shows
        raise fatal("git log --graph -z with --name-status or --numstat is not supported in this environment")
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    limit, skip = _count_options(parsed)
    blobs = Blobs(repo.objects)
    keep = commit_filter(parsed)
    pickaxe = pickaxe_filter(repo, parsed)
    wanted = spec.matches if spec else None
    follow = None
    if parsed["follow"]:
        if spec is None or len(spec.patterns) != 1:
            raise fatal("--follow requires exactly one pathspec")
        follow = Follow(repo, spec.patterns[0])
    walker = walk(repo, include, exclude, first_parent=bool(parsed["first_parent"]),
                  wanted=None if follow else wanted,
                  literal=None if follow else literal_paths(spec),
                  since=date_limit(parsed["since"]))
    selected = ((sha, c) for sha, c in (follow.track(walker) if follow else walker)
                if not ((parsed["merges"] and len(c.parents) < 2)
                        or (parsed["no_merges"] and len(c.parents) > 1))
                and (keep is None or keep(c))
                and (pickaxe is None or (len(c.parents) < 2 and any(
                    map(pickaxe, first_parent_pairs(repo, c, wanted))))))
    graph = None
    if parsed["graph"]:  # --graph implies --topo-order, which needs the whole list
        listed = list(selected)
        shown = {sha for sha, _ in listed}
        by_sha = dict(listed)

        def parents_of(sha: str) -> list[str]:
            parents = [p.decode() for p in by_sha[sha].parents]
            if parsed["first_parent"]:
                parents = parents[:1]
            return list(dict.fromkeys(p for p in parents if p in shown))

        selected = ((sha, by_sha[sha]) for sha in topo_order([s for s, _ in listed], parents_of))
        graph = Graph(parents_of)
    commits = list(islice(selected, skip, None if limit is None else skip + limit))
    if parsed["reverse"]:
        commits.reverse()
    out: list[str] = []
    end = record_end(parsed)
    missing_newline = False
    for n, (sha, commit) in enumerate(commits):
        message = entry_message(fmt, style, user, sha, commit)
        diff, changed = commit_diff(repo, commit, formats, blobs, fmt.abbrev,
                                    None if follow else wanted, combined=bool(parsed["cc"]),
                                    context=diff_context(parsed),
                                    pair_filter=follow.pair_filter(sha) if follow else pickaxe,
                                    null=bool(parsed["null"]))
        lead = diff_lead(style, user, diff,
                         bool(parsed["cc"]) and len(commit.parents) > 1 and bool(formats),
                         changed, end)
        if graph is None:
            if n and not terminated:
                out.append(end)
            out.append(message + terminator(style, user, terminated, end))
            out.append(lead + diff)
            continue
        graph.update(sha)
        graph.node = fmt.mark(sha) if left_right else "*"
        if n and not terminated:  # a NUL separator gets no graph padding
            out.append(("" if missing_newline or end != "\n" else graph.padding_line()) + end)
        out.append(graph.show_commit())
        missing_newline = not message.endswith("\n")
        out.append(graph.show_text(message))
        if terminated:
            out.append(("" if missing_newline else graph.padding_line()) + end)
        if lead:
            out.append(graph.padding_line() + lead)
        out.append(graph.prefix_lines(diff))
    return CommandResult(0, "".join(out))
