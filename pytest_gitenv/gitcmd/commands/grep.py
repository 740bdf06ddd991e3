"""git grep: search tracked files (or a tree) with -n, -i, -l, -c, -v, -w, -E/-F, -e, -z, paths."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from dulwich.objects import Commit

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser, Parsed
from ..paths import display
from ..pathspec import Pathspec
from ..regex import bre_to_python
from ..registry import command
from ..repo import GitRepo
from ..revargs import is_revision
from ..revisions import resolve_or_die
from ..worktree import beyond_symlink

_PARSER = OptionParser("grep", (
    Opt("line_number", "n", "line-number"), Opt("ignore_case", "i", "ignore-case"),
    Opt("files_with_matches", "l", "files-with-matches"), Opt("count", "c", "count"),
    Opt("invert", "v", "invert-match"), Opt("word", "w", "word-regexp"),
    Opt("extended", "E", "extended-regexp"), Opt("fixed", "F", "fixed-strings"),
    Opt("patterns", "e", None, "list"), Opt("cached", None, "cached"),
    Opt("files_with_matches", None, "name-only"), Opt("null", "z", "null"),
))
def _compile(parsed: Parsed, patterns: list[str]) -> re.Pattern[bytes]:
    parts = []
    for p in patterns:
        if parsed["fixed"]:
            p = re.escape(p)
        elif not parsed["extended"]:
            p = bre_to_python(p)
        if parsed["word"]:
            p = rf"(?<!\w)(?:{p})(?!\w)"
        parts.append(f"(?:{p})")
    try:
        return re.compile("|".join(parts).encode(), re.IGNORECASE if parsed["ignore_case"] else 0)
    except re.error as err:
        raise fatal(f"command line, '{patterns[0]}': {err}") from None


Source = tuple[bytes, Callable[[], bytes | None]]


def _sources(repo: GitRepo, rev: str | None, cached: bool) -> list[Source]:
    """(path, content loader) for every file searched."""
    if rev is not None:
        obj = repo.peel(resolve_or_die(repo, rev))
        tree = obj.tree.decode() if isinstance(obj, Commit) else obj.id.decode()
        items = repo.flat_tree(tree)
        return [(p, partial(repo.blob_data, sha)) for p, (mode, sha) in items.items()
                if mode != 0o160000]
    out: list[Source] = []
    links: dict[bytes, bool] = {}
    for e in repo.index().entries:
        if e.stage > 1 or e.mode == 0o160000:
            continue
        if cached:
            out.append((e.path, partial(repo.blob_data, e.sha)))
        else:
            out.append((e.path, partial(_read, repo, e.path, links)))
    return out


def _read(repo: GitRepo, path: bytes, links: dict[bytes, bool]) -> bytes | None:
    """Worktree content of a tracked file; never read through a symlinked directory."""
    if beyond_symlink(repo, path, links):
        return None
    try:
        return repo.read_worktree(path)
    except OSError:
        return None


@command("grep")
def grep(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    rest = parsed.before_dashdash()
    patterns = list(parsed["patterns"])
    if not patterns:
        if not rest:
            raise fatal("no pattern given")
        patterns, rest = [rest[0]], rest[1:]
    rev = None
    if rest and is_revision(repo, rest[0]):
        rev, rest = rest[0], rest[1:]
    paths = rest + parsed.after_dashdash()
    prefix = repo.prefix(ctx.cwd)
    spec = Pathspec(repo, paths or ["."], ctx.cwd)
    regex = _compile(parsed, patterns)
    out: list[str] = []
    for path, load in sorted(_sources(repo, rev, bool(parsed["cached"])), key=lambda x: x[0]):
        if not spec.matches(path):
            continue
        data = load()
        if data is None:
            continue
        name = (f"{rev}:" if rev else "") + display(path, prefix, verbatim=bool(parsed["null"]))
        binary = b"\0" in data[:8000]
        if binary and not (parsed["count"] or parsed["files_with_matches"]):
            if bool(regex.search(data)) != bool(parsed["invert"]):
                out.append(f"Binary file {name} matches\n")
            continue
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        hits = [(n, line) for n, line in enumerate(lines, 1)
                if bool(regex.search(line)) != bool(parsed["invert"])]
        if not hits:
            continue
        separator = "\0" if parsed["null"] else ":"
        if parsed["files_with_matches"]:
            out.append(name + ("\0" if parsed["null"] else "\n"))
        elif parsed["count"]:
            out.append(f"{name}{separator}{len(hits)}\n")
        else:
            for n, line in hits:
                number = f"{n}{separator}" if parsed["line_number"] else ""
                out.append(f"{name}{separator}{number}{line.decode('utf-8', 'replace')}\n")
    if not out:
        return CommandResult(1)
    return CommandResult(0, "".join(out))

