"""git blame (default format with -s/-l/-e/-n/-f/-t/-b/--root/--date, -L ranges): the commit that
last changed each line."""

from __future__ import annotations

import heapq
import os
import re
import time
from collections.abc import Callable

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..logformat import format_date
from ..options import Opt, OptionParser, Parsed
from ..paths import raw
from ..regex import bre_to_python
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve_commit
from ..usage_text import USAGE
from ..xdiff import WHITESPACE_KEYS, diff_lines, split_lines

_PARSER = OptionParser("blame", (
    Opt("suppress", "s", None), Opt("long", "l", None), Opt("email", "e", "show-email"),
    Opt("lines", "L", None, "value"), Opt("number", "n", "show-number"), Opt("filename", "f", "show-name"),
    Opt("raw_time", "t", None), Opt("root", None, "root"), Opt("blank_boundary", "b", None),
    Opt("date", None, "date", "value"), Opt("ignore_whitespace", "w", None),
))
_UNCOMMITTED = "0" * 40
LineKey = Callable[[bytes], bytes] | None


def _file(repo: GitRepo, sha: str, path: bytes) -> bytes | None:
    item = repo.commit_tree_items(sha).get(path)
    return item[1] if item else None


def _unchanged(old: list[bytes], new: list[bytes], key: LineKey) -> dict[int, int]:
    """new line index -> old line index for lines the diff leaves alone."""
    mapping: dict[int, int] = {}
    i = j = 0
    for change in diff_lines(old, new, indent_heuristic=False, key=key):
        while i < change.i1:
            mapping[j] = i
            i += 1
            j += 1
        i, j = change.i1 + change.chg1, change.i2 + change.chg2
    while j < len(new):
        mapping[j] = i
        i += 1
        j += 1
    return mapping


def blame_lines(repo: GitRepo, heads: list[str], path: bytes, lines: list[bytes], key: LineKey = None
                ) -> list[tuple[str, int]]:
    """(commit id, 0-based line number in that commit's version) for each of `lines`: the
    content at `heads[0]`, or a worktree version whose parents are `heads` (HEAD, plus
    MERGE_HEAD during a merge, as git treats it); `key` says which lines are equal (-w)."""
    owner = [(_UNCOMMITTED, n) for n in range(len(lines))]
    counter = 0
    heap: list[tuple[int, int, str, dict[int, int]]] = []
    pending: dict[str, dict[int, int]] = {}

    def push(sha: str, mapping: dict[int, int]) -> None:
        nonlocal counter
        if sha in pending:
            pending[sha].update(mapping)
            return
        pending[sha] = mapping
        heapq.heappush(heap, (-repo.commit(sha).commit_time, counter, sha, mapping))
        counter += 1

    unassigned = set(range(len(lines)))
    for head in heads:
        head_blob = _file(repo, head, path)
        if head_blob is None:
            continue
        same = _unchanged(split_lines(repo.blob_data(head_blob)), lines, key)
        passed = {final: same[final] for final in unassigned if final in same}
        if passed:
            push(head, passed)
            unassigned -= set(passed)
    while heap:
        _, _, sha, mapping = heapq.heappop(heap)
        del pending[sha]
        blob = _file(repo, sha, path)
        assert blob is not None
        content = split_lines(repo.blob_data(blob))
        remaining = dict(mapping)  # final line -> line in this commit's version
        for parent in (p.decode() for p in repo.commit(sha).parents):
            if not remaining:
                break
            parent_blob = _file(repo, parent, path)
            if parent_blob is None:
                continue
            same = _unchanged(split_lines(repo.blob_data(parent_blob)), content, key) \
                if parent_blob != blob else {i: i for i in range(len(content))}
            passed = {f: same[here] for f, here in remaining.items() if here in same}
            if passed:
                push(parent, passed)
                remaining = {f: h for f, h in remaining.items() if f not in passed}
        for final, here in remaining.items():
            owner[final] = (sha, here)
    return owner


@command("blame")
def blame(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    if parsed.dashdash is None and len(parsed.args) == 2:  # "blame <rev> <file>": no guessing
        revs, paths = parsed.args[:1], parsed.args[1:]
    elif parsed.dashdash is not None or len(parsed.args) > 1:
        split = split_args(repo, parsed)
        revs, paths = split.revs, split.paths
    else:
        revs, paths = [], parsed.args
    if len(paths) != 1:
        raise GitError(USAGE["blame"], 129)
    path = repo.to_repo_path(paths[0], ctx.cwd)
    rev = revs[0] if revs else "HEAD"
    head = resolve_commit(repo, rev)
    if head is None:
        raise fatal("no such ref: HEAD" if not revs else f"bad revision '{rev}'")
    blob = _file(repo, head, path)
    if revs:
        if blob is None:
            raise fatal(f"no such path {raw(path)} in {rev}")
        lines = split_lines(repo.blob_data(blob))
    else:  # the worktree version, which must exist (git's fake_working_tree_commit)
        if blob is None:
            raise fatal(f"no such path '{raw(path)}' in HEAD")
        try:
            lines = split_lines(repo.read_worktree(path))
        except OSError as err:
            raise fatal(f"Cannot lstat '{raw(path)}': {os.strerror(err.errno or 0)}") from None
    merging = repo.git_dir / "MERGE_HEAD"
    extra = merging.read_text().split() if not revs and merging.is_file() else []
    key = WHITESPACE_KEYS["all"] if parsed["ignore_whitespace"] else None
    owners = blame_lines(repo, [head, *extra], path, lines, key)
    first, last = _line_range(parsed["lines"], lines, paths[0])
    return CommandResult(0, _render(repo, ctx, owners, lines, parsed, first, last, path))


def _regex_line(pattern: str, lines: list[bytes], begin: int) -> int:
    """The first line (1-based) from `begin` on matching the -L /regex/ (a basic regex)."""
    regex = re.compile(bre_to_python(pattern).encode())
    for n in range(begin, len(lines) + 1):
        if regex.search(lines[n - 1].rstrip(b"\n")):
            return n
    raise fatal(f"-L parameter '{pattern}' starting at line {begin}: No match")


def _line_range(spec: str | None, lines: list[bytes], name: str) -> tuple[int, int]:
    """-L <start>,<end> as a 1-based inclusive range; <start> is a number or /regex/, <end> a
    number, +<n>, -<n> or /regex/ (searched after <start>)."""
    count = len(lines)
    if spec is None:
        return 1, count
    match = re.fullmatch(r"(/(?:[^/\\]|\\.)*/|\d*)(?:,([+-]?\d+|/(?:[^/\\]|\\.)*/)?)?", spec)
    if match is None:
        raise GitError(USAGE["blame"].split("\n", 1)[0] + "\n", 129)
    start_text, end_text = match.group(1), match.group(2) or ""
    start = _regex_line(start_text[1:-1], lines, 1) if start_text.startswith("/") \
        else int(start_text or 1)
    if start > count:
        raise fatal(f"file {name} has only {count} line{'s' if count != 1 else ''}")
    if end_text.startswith("/"):
        end = _regex_line(end_text[1:-1], lines, start + 1)
    elif end_text[:1] in ("+", "-"):
        end = start + int(end_text) + (-1 if end_text[0] == "+" else 1)
    else:
        end = int(end_text) if end_text else count
    start, end = min(start, end), max(start, end)
    return max(start, 1), min(end, count)


_DATE_WIDTHS = {"iso": 25, "iso8601": 25, "iso-strict": 25, "iso8601-strict": 25, "rfc": 31,
                "rfc2822": 31, "short": 10, "default": 30, "relative": 22, "raw": 16, "unix": 10}


def _date_text(ts: int, tz: int, parsed: Parsed) -> str:
    """The author date column: raw with -t, else --date's mode (iso) padded to git's width."""
    if parsed["raw_time"]:
        return format_date(ts, tz, "raw")
    mode = parsed["date"] or "iso"
    if mode not in _DATE_WIDTHS:
        raise fatal(f"unknown date format {mode}")
    return format_date(ts, tz, mode).ljust(_DATE_WIDTHS[mode])


def _render(repo: GitRepo, ctx: CommandContext, owners: list[tuple[str, int]], lines: list[bytes],
            parsed: Parsed, first: int, last: int, path: bytes) -> str:
    now, tz = int(time.time()), ctx.clock.now()[1]  # like git: uncommitted lines are dated now
    shown = range(first - 1, last)
    info: dict[str, tuple[str, str, bool]] = {}
    for sha in {owners[i][0] for i in shown}:
        if sha == _UNCOMMITTED:
            who = "<not.committed.yet>" if parsed["email"] else "Not Committed Yet"
            info[sha] = (who, _date_text(now, tz, parsed), False)
            continue
        commit = repo.commit(sha)
        name, _, email = commit.author.decode("utf-8", "replace").partition(" <")
        who = f"<{email.rstrip('>')}>" if parsed["email"] else name
        boundary = not commit.parents and not parsed["root"]
        info[sha] = (who, _date_text(commit.author_time, commit.author_timezone, parsed), boundary)
    width = max((len(info[owners[i][0]][0]) for i in shown), default=0)
    number_width = len(str(last))
    orig_width = len(str(max((owners[i][1] + 1 for i in shown), default=0)))
    out = []
    for n in range(first, last + 1):
        (sha, orig), line = owners[n - 1], lines[n - 1]
        who, date, boundary = info[sha]
        label = sha if parsed["long"] else sha[:8]
        if boundary:
            label = " " * len(label) if parsed["blank_boundary"] else "^" + label[:-1]
        columns = [label]
        if parsed["filename"]:
            columns.append(raw(path))
        if parsed["number"]:
            columns.append(f"{orig + 1:>{orig_width}}")
        if not parsed["suppress"]:
            columns.append(f"({who:<{width}} {date}")
        text = line.decode("utf-8", "replace")
        out.append(" ".join(columns) + f" {n:>{number_width}}) {text}" + ("" if text.endswith("\n") else "\n"))
    return "".join(out)
