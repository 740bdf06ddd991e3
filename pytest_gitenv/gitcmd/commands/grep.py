"""git grep: search tracked files (or a tree) with -n, -i, -l, -L, -c, -q, -o, -v, -w, -E/-F, -e,
-h/-H, -I, -A/-B/-C, --heading, --break, -z, paths."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from dulwich.objects import Blob, Commit

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexFile
from ..options import Opt, OptionParser, Parsed
from ..paths import both_revision_and_filename, check_filename, display, looks_like_pathspec
from ..pathspec import Pathspec
from ..regex import bre_to_python
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve, resolve_or_die, unknown_revision
from ..worktree import beyond_symlink, list_untracked

_PARSER = OptionParser("grep", (
    Opt("line_number", "n", "line-number"), Opt("ignore_case", "i", "ignore-case"),
    Opt("files_with_matches", "l", "files-with-matches"), Opt("count", "c", "count"),
    Opt("invert", "v", "invert-match"), Opt("word", "w", "word-regexp"),
    Opt("extended", "E", "extended-regexp"), Opt("fixed", "F", "fixed-strings"),
    Opt("patterns", "e", None, "list"), Opt("cached", None, "cached"),
    Opt("files_with_matches", None, "name-only"), Opt("null", "z", "null"),
    Opt("no_filename", "h", None), Opt("with_filename", "H", None), Opt("quiet", "q", "quiet"),
    Opt("files_without_match", "L", "files-without-match"), Opt("only_matching", "o", "only-matching"),
    Opt("skip_binary", "I", None), Opt("after", "A", "after-context", "value"),
    Opt("before", "B", "before-context", "value"), Opt("context", "C", "context", "value"),
    Opt("heading", None, "heading"), Opt("file_break", None, "break"),
    Opt("untracked", None, "untracked"), Opt("no_index", None, "no-index"),
    Opt("exclude_standard", None, "exclude-standard"),
), numeric="context", stop_at_non_option=True)


@dataclass
class _Layout:
    """How matches are printed: name and separators, context sizes, and what is shown."""

    parsed: Parsed
    show_name: bool
    before: int
    after: int

    @property
    def names_only(self) -> bool:
        """-c, -l or -L: one line per file instead of the matching lines."""
        return bool(self.parsed["count"] or self.parsed["files_with_matches"]
                    or self.parsed["files_without_match"])

    def sep(self, sign: str) -> str:
        return "\0" if self.parsed["null"] else sign

    def header(self, name: str, n: int, sign: str) -> str:
        named = self.show_name and not self.parsed["heading"]
        return (name + self.sep(sign) if named else "") + \
            (f"{n}{self.sep(sign)}" if self.parsed["line_number"] else "")


def _layout(parsed: Parsed) -> _Layout:
    """-h/-H (the last one wins) and the context sizes (-C sets both; later options override)."""
    show_name = next((d == "with_filename" for d in reversed(parsed.order)
                      if d in ("no_filename", "with_filename")), True)
    sizes = {"before": 0, "after": 0}
    for dest in sorted(("context", "before", "after"), key=lambda d: _last(parsed, d)):
        if parsed[dest] is not None:
            value = _number(dest, parsed[dest])
            sizes.update({"before": value, "after": value} if dest == "context" else {dest: value})
    return _Layout(parsed, show_name, sizes["before"], sizes["after"])


def _last(parsed: Parsed, dest: str) -> int:
    return max((i for i, d in enumerate(parsed.order) if d == dest), default=-1)


def _number(dest: str, value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        switch = {"context": "C", "before": "B", "after": "A"}[dest]
        raise GitError(f"error: switch `{switch}' expects a numerical value\n", 129) from None


def _shown_lines(selected: list[bool], before: int, after: int) -> list[tuple[int, str]]:
    """(line number, sign) of the lines printed: ':' for selected lines, '-' for context."""
    shown: list[tuple[int, str]] = []
    last_shown = 0
    last_hit = -after - 1
    for n, hit in enumerate(selected, 1):
        if hit:
            shown += [(m, "-") for m in range(max(last_shown + 1, n - before), n)]
            shown.append((n, ":"))
            last_shown = last_hit = n
        elif n <= last_hit + after:
            shown.append((n, "-"))
            last_shown = n
    return shown


def _lines_text(layout: _Layout, name: str, lines: list[bytes], selected: list[bool],
                regex: re.Pattern[bytes]) -> str:
    """The printed lines of one file: headings, breaks, "--" between context groups. Like
    threaded git, every file starts with its hunk mark (the caller drops the very first)."""
    out: list[str] = []
    previous = 0
    context = layout.before or layout.after
    for n, sign in _shown_lines(selected, layout.before, layout.after):
        if not previous and layout.parsed["file_break"]:
            out.append("\n")
        elif context and (not previous or n > previous + 1):
            out.append("--\n")
        if not previous and layout.parsed["heading"]:
            out.append(name + "\n")
        previous = n
        line = lines[n - 1]
        if not layout.parsed["only_matching"]:
            out.append(layout.header(name, n, sign) + line.decode("utf-8", "replace") + "\n")
            continue
        out += [layout.header(name, n, sign) + m.group().decode("utf-8", "replace") + "\n"
                for m in regex.finditer(line) if m.group()]
    return "".join(out)
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
    """(path, content loader) for every file searched; a blob revision is one nameless file."""
    if rev is not None:
        obj = repo.peel(resolve_or_die(repo, rev))
        if isinstance(obj, Blob):
            return [(b"", partial(repo.blob_data, bytes.fromhex(obj.id.decode())))]
        tree = obj.tree.decode() if isinstance(obj, Commit) else obj.id.decode()
        items = repo.flat_tree(tree)
        return [(p, partial(repo.blob_data, sha)) for p, (mode, sha) in items.items() if stat.S_ISREG(mode)]
    out: list[Source] = []
    links: dict[bytes, bool] = {}
    for e in repo.index().entries:
        if e.stage > 1 or not stat.S_ISREG(e.mode):  # git never searches symlinks or submodules
            continue
        if cached:
            out.append((e.path, partial(repo.blob_data, e.sha)))
        else:
            out.append((e.path, partial(_read, repo, e.path, links)))
    return out


def _disk_sources(repo: GitRepo, tracked: bool, ignored: bool) -> list[Source]:
    """--untracked / --no-index: regular files on disk, tracked ones (--no-index reads no index)
    and untracked ones, with `ignored` the excluded ones too; symlinks are never searched."""
    index = repo.index() if tracked else IndexFile()
    found = list_untracked(repo, index, all_files=True, want_ignored=ignored)
    paths = {e.path for e in index.entries if stat.S_ISREG(e.mode)}
    paths.update(p for p in found.untracked if not p.endswith(b"/"))
    for path in found.ignored:
        if not path.endswith(b"/"):
            paths.add(path)
            continue
        for dirpath, _dirs, files in os.walk(os.fsencode(repo.abspath(path.rstrip(b"/")))):
            paths.update(os.path.relpath(os.path.join(dirpath, f), os.fsencode(repo.worktree)) for f in files)
    return [(p, partial(_read_regular, repo, p)) for p in paths]


def _read_regular(repo: GitRepo, path: bytes) -> bytes | None:
    """A regular file's content; None for anything else (missing, symlink, directory)."""
    try:
        if not stat.S_ISREG(os.lstat(repo.abspath(path)).st_mode):
            return None
        return repo.read_worktree(path)
    except OSError:
        return None


def _read(repo: GitRepo, path: bytes, links: dict[bytes, bool]) -> bytes | None:
    """Worktree content of a tracked file; never read through a symlinked directory."""
    if beyond_symlink(repo, path, links):
        return None
    try:
        return repo.read_worktree(path)
    except OSError:
        return None


@dataclass
class _Operands:
    patterns: list[str]
    revs: list[str]
    paths: list[str]


def _operands(repo: GitRepo, parsed: Parsed, cwd: Path, allow_revs: bool) -> _Operands:
    """git's cmd_grep after its options: the pattern (the first operand unless -e gave some; a
    `--` before it is skipped), revisions up to the first argument naming no object (all of them
    before a `--`; none with --untracked/--no-index), then paths, which must exist on disk unless
    a `--` was given."""
    argv = parsed.before_dashdash() + (["--", *parsed.after_dashdash()] if parsed.dashdash is not None else [])
    patterns = list(parsed["patterns"])
    if not patterns:
        argv = argv[1:] if argv[:1] == ["--"] else argv
        if not argv:
            raise fatal("no pattern given")
        patterns, argv = [argv[0]], argv[1:]
    dashdash = "--" in argv
    revs: list[str] = []
    for arg in argv[: argv.index("--") if dashdash else len(argv)]:
        if not allow_revs:
            if dashdash:
                raise fatal("--no-index or --untracked cannot be used with revs")
            break
        if not _names_object(repo, arg):
            if dashdash:
                raise fatal(f"unable to resolve revision: {arg}")
            break
        if not dashdash and check_filename(repo.worktree, cwd, arg):
            raise both_revision_and_filename(arg)
        revs.append(arg)
    paths = argv[len(revs) + (1 if dashdash else 0):]
    if revs and parsed["cached"]:
        raise fatal("both --cached and trees are given")
    if not dashdash:
        for n, arg in enumerate(paths):
            _verify_filename(repo, cwd, arg, misspelled_rev=n == 0 and allow_revs)
    return _Operands(patterns, revs, paths)


def _names_object(repo: GitRepo, arg: str) -> bool:
    """get_oid_with_context without dying: ":path" that is not in the index names nothing."""
    try:
        return resolve(repo, arg) is not None
    except GitError:
        return False


def _verify_filename(repo: GitRepo, cwd: Path, arg: str, misspelled_rev: bool) -> None:
    """git's verify_filename: options come first; a path must exist or look like a pathspec."""
    if arg.startswith("-"):
        raise fatal(f"option '{arg}' must come before non-option arguments")
    if looks_like_pathspec(arg) or check_filename(repo.worktree, cwd, arg):
        return
    if misspelled_rev:
        raise unknown_revision(arg, None if arg.startswith(":") and not arg[1:2].isalnum() else repo)
    raise fatal(f"{arg}: no such path in the working tree.\n"
                "Use 'git <command> -- <path>...' to specify paths that do not exist locally.")


@command("grep")
def grep(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    on_disk = bool(parsed["untracked"] or parsed["no_index"])
    for first, second in (("no_index", "untracked"), ("no_index", "cached"), ("untracked", "cached")):
        if parsed[first] and parsed[second]:
            raise fatal(f"options '--{first.replace('_', '-')}' and '--{second}' cannot be used together")
    operands = _operands(repo, parsed, ctx.cwd, allow_revs=not on_disk)
    if parsed["exclude_standard"] is not None and not on_disk:
        raise fatal("--[no-]exclude-standard cannot be used for tracked contents")
    prefix = repo.prefix(ctx.cwd)
    spec = Pathspec(repo, operands.paths or ["."], ctx.cwd)
    regex = _compile(parsed, operands.patterns)
    layout = _layout(parsed)
    out: list[str] = []
    matched = False
    revs: list[str | None] = [*operands.revs] or [None]
    for rev in revs:
        if on_disk:
            exclude = parsed["exclude_standard"]  # the default: exclude with --untracked, not with --no-index
            exclude = not parsed["no_index"] if exclude is None else exclude
            sources = _disk_sources(repo, not parsed["no_index"], ignored=not exclude)
        else:
            sources = _sources(repo, rev, bool(parsed["cached"]))
        for path, load in sorted(sources, key=lambda x: x[0]):
            if path and not spec.matches(path):
                continue
            data = load()
            if data is None:
                continue
            # git's tree name stays as given, the path after it is cwd-relative (a blob's whole name is)
            tree_name = f"{rev}:" if rev and path else ""
            name = tree_name + display(path or str(rev).encode(), prefix, verbatim=bool(parsed["null"]))
            text = _file_text(layout, name, data, regex)
            matched = matched or text is not None
            if matched and parsed["quiet"]:
                return CommandResult(0)
            if text:
                out.append(text)
    return CommandResult(0 if matched else 1, _without_first_mark(layout, "".join(out)))


def _without_first_mark(layout: _Layout, text: str) -> str:
    """git's threaded output drops its first line when files start with hunk marks (context
    or --break): the first file's mark, or whatever line comes first (a "Binary file")."""
    if layout.names_only or not (layout.before or layout.after or layout.parsed["file_break"]):
        return text
    return text.partition("\n")[2]


def _file_text(layout: _Layout, name: str, data: bytes, regex: re.Pattern[bytes]) -> str | None:
    """What grep prints for one file (None when nothing in it is selected; -L turns that
    around)."""
    parsed = layout.parsed
    end = "\0" if parsed["null"] else "\n"
    binary = b"\0" in data[:8000]
    if binary and parsed["skip_binary"]:
        return None
    if binary and not layout.names_only:
        return f"Binary file {name} matches\n" if bool(regex.search(data)) != bool(parsed["invert"]) else None
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    selected = [bool(regex.search(line)) != bool(parsed["invert"]) for line in lines]
    if parsed["files_without_match"]:
        return None if any(selected) else name + end
    if not any(selected):
        return None
    if parsed["files_with_matches"]:
        return name + end
    if parsed["count"]:
        return (name + layout.sep(":") if layout.show_name else "") + f"{sum(selected)}\n"
    return _lines_text(layout, name, lines, selected, regex)
