"""git blame (default and -s/-l/-e formats): the commit that last changed each line."""

from __future__ import annotations

import heapq
import time

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..logformat import format_date
from ..options import Opt, OptionParser, Parsed
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve_commit
from ..usage_text import USAGE
from ..xdiff import diff_lines, split_lines

_PARSER = OptionParser("blame", (Opt("suppress", "s", None), Opt("long", "l", None),
                                 Opt("email", "e", "show-email"), Opt("lines", "L", None, "value")))
_UNCOMMITTED = "0" * 40


def _file(repo: GitRepo, sha: str, path: bytes) -> bytes | None:
    item = repo.commit_tree_items(sha).get(path)
    return item[1] if item else None


def _unchanged(old: list[bytes], new: list[bytes]) -> dict[int, int]:
    """new line index -> old line index for lines the diff leaves alone."""
    mapping: dict[int, int] = {}
    i = j = 0
    for change in diff_lines(old, new, indent_heuristic=False):
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


def blame_lines(repo: GitRepo, heads: list[str], path: bytes, lines: list[bytes]) -> list[str]:
    """Commit id for each of `lines`: the content at `heads[0]`, or a worktree version whose
    parents are `heads` (HEAD, plus MERGE_HEAD during a merge, as git treats it)."""
    owner = [_UNCOMMITTED] * len(lines)
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
        same = _unchanged(split_lines(repo.blob_data(head_blob)), lines)
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
            same = _unchanged(split_lines(repo.blob_data(parent_blob)), content) \
                if parent_blob != blob else {i: i for i in range(len(content))}
            passed = {f: same[here] for f, here in remaining.items() if here in same}
            if passed:
                push(parent, passed)
                remaining = {f: h for f, h in remaining.items() if f not in passed}
        for final in remaining:
            owner[final] = sha
    return owner


@command("blame")
def blame(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    split = split_args(repo, parsed) if parsed.dashdash is not None or len(parsed.args) > 1 \
        else None
    revs, paths = (split.revs, split.paths) if split else ([], parsed.args)
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
            raise fatal(f"no such path {paths[0]} in {rev}")
        lines = split_lines(repo.blob_data(blob))
    else:
        try:
            lines = split_lines(repo.read_worktree(path))
        except OSError:
            if blob is None:
                raise fatal(f"no such path '{paths[0]}' in HEAD") from None
            lines = split_lines(repo.blob_data(blob))
        if blob is None:
            raise fatal(f"no such path '{paths[0]}' in HEAD")
    merging = repo.git_dir / "MERGE_HEAD"
    extra = merging.read_text().split() if not revs and merging.is_file() else []
    owners = blame_lines(repo, [head, *extra], path, lines)
    first, last = _line_range(parsed["lines"], len(lines), paths[0])
    return CommandResult(0, _render(repo, ctx, owners, lines, parsed, first, last))


def _line_range(spec: str | None, count: int, name: str) -> tuple[int, int]:
    """-L <start>,<end> (or <start>, or <start>,+<n>) as a 1-based inclusive range."""
    if spec is None:
        return 1, count
    start_text, _, end_text = spec.partition(",")
    try:
        start = int(start_text) if start_text else 1
        relative = end_text.startswith("+")
        end = int(end_text.lstrip("+")) if end_text else count
        end = start + end - 1 if relative else end
    except ValueError:
        raise fatal(f"-L parameter '{spec}': invalid range") from None
    if start > count:
        raise fatal(f"file {name} has only {count} line{'s' if count != 1 else ''}")
    start, end = min(start, end), max(start, end)
    return max(start, 1), min(end, count)


def _render(repo: GitRepo, ctx: CommandContext, owners: list[str], lines: list[bytes],
            parsed: Parsed, first: int, last: int) -> str:
    now, tz = int(time.time()), ctx.clock.now()[1]  # like git: uncommitted lines are dated now
    info: dict[str, tuple[str, str, bool]] = {}
    for sha in set(owners):
        if sha == _UNCOMMITTED:
            who = "<not.committed.yet>" if parsed["email"] else "Not Committed Yet"
            info[sha] = (who, format_date(now, tz, "iso"), False)
            continue
        commit = repo.commit(sha)
        name, _, email = commit.author.decode("utf-8", "replace").partition(" <")
        who = f"<{email.rstrip('>')}>" if parsed["email"] else name
        date = format_date(commit.author_time, commit.author_timezone, "iso")
        info[sha] = (who, date, not commit.parents)
    width = max((len(info[owners[i]][0]) for i in range(first - 1, last)), default=0)
    number_width = len(str(last))
    out = []
    for n in range(first, last + 1):
        sha, line = owners[n - 1], lines[n - 1]
        who, date, root = info[sha]
        label = sha if parsed["long"] else sha[:8]
        if root:
            label = "^" + label[:-1]
        text = line.decode("utf-8", "replace")
        if not text.endswith("\n"):
            text += "\n"
        if parsed["suppress"]:
            out.append(f"{label} {n:>{number_width}}) {text}")
        else:
            out.append(f"{label} ({who:<{width}} {date} {n:>{number_width}}) {text}")
    return "".join(out)

