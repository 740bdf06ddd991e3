"""git tag (list with -l/-n, lightweight or annotated -a/-m, -d, -f) and git describe."""

from __future__ import annotations

import fnmatch

from dulwich.objects import Tag

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import ancestors
from ..logformat import split_message
from ..message import stripspace
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo, is_valid_ref_name
from ..revisions import resolve, resolve_commit
from ..revwalk import walk

_PARSER = OptionParser("tag", (
    Opt("list", "l", "list"), Opt("delete", "d", "delete"), Opt("annotate", "a", "annotate"),
    Opt("message", "m", "message", "list"), Opt("force", "f", "force"),
    Opt("lines", "n", None, "optional", const="1"),
))


def _annotation(repo: GitRepo, sha: str, lines: int) -> str:
    obj = repo.get(sha)
    message = obj.message if isinstance(obj, Tag) else repo.peel(sha).message
    if isinstance(obj, Tag) or lines > 1:
        text = message.decode("utf-8", "replace").strip("\n").split("\n")[:lines]
        return "\n    ".join(line.rstrip() for line in text)
    return split_message(message)[0]


def _list(repo: GitRepo, patterns: list[str], lines: int) -> str:
    out = []
    for ref, sha in repo.refs("refs/tags/").items():
        name = ref[len("refs/tags/"):]
        if patterns and not any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        out.append(f"{name:<15} {_annotation(repo, sha, lines)}".rstrip() if lines else name)
    return "".join(f"{line}\n" for line in out)


def _delete(repo: GitRepo, names: list[str]) -> CommandResult:
    out, err, code = [], [], 0
    for name in names:
        sha = repo.resolve_ref(f"refs/tags/{name}") if is_valid_ref_name(f"refs/tags/{name}") \
            else None
        if sha is None:
            err.append(f"error: tag '{name}' not found.\n")
            code = 1
            continue
        repo.delete_ref(f"refs/tags/{name}")
        out.append(f"Deleted tag '{name}' (was {abbreviate(repo, sha)})\n")
    return CommandResult(code, "".join(out), "".join(err))


def _make_tag(repo: GitRepo, name: str, target: str, message: str) -> str:
    tag = Tag()
    tag.name = name.encode()
    tag.object = (type(repo.get(target)), target.encode())
    ident = repo.ident()
    who, _, when = ident.rpartition(b">")
    tag.tagger = who + b">"
    ts, tz = when.split()
    tag.tag_time = int(ts)
    sign = -1 if tz.startswith(b"-") else 1
    tag.tag_timezone = sign * (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60)
    tag.message = message.encode()
    return repo.add_object(tag)


_DESCRIBE = OptionParser("describe", (Opt("tags", None, "tags"), Opt("always", None, "always"),
                                      Opt("long", None, "long")))


def _describe_candidates(repo: GitRepo, lightweight: bool) -> dict[str, str]:
    """commit id -> tag name describing it (annotated tags first, then by name)."""
    found: dict[str, tuple[bool, str]] = {}
    for ref, sha in repo.refs("refs/tags/").items():
        annotated = isinstance(repo.get(sha), Tag)
        if not (annotated or lightweight):
            continue
        target = repo.peel(sha)
        if target.type_name != b"commit":
            continue
        key = target.id.decode()
        rank = (not annotated, ref[len("refs/tags/"):])
        if key not in found or rank < found[key]:
            found[key] = rank
    return {sha: name for sha, (_lw, name) in found.items()}


@command("describe")
def describe(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _DESCRIBE.parse(args)
    spec = parsed.args[0] if parsed.args else "HEAD"
    target = resolve_commit(repo, spec)
    if target is None:
        raise fatal(f"Not a valid object name {spec}")
    names = _describe_candidates(repo, bool(parsed["tags"]))
    best: tuple[int, str] | None = None
    seen = 0
    for sha, _commit in walk(repo, [target]):
        if sha in names:
            depth = len(ancestors(repo, target) - ancestors(repo, sha))
            if best is None or depth < best[0]:
                best = (depth, names[sha])
            seen += 1
            if seen >= 10 or depth == 0:
                break
    if best is None:
        if parsed["always"]:
            return CommandResult(0, abbreviate(repo, target) + "\n")
        if not repo.refs("refs/tags/"):
            raise fatal("No names found, cannot describe anything.")
        if not parsed["tags"] and _describe_candidates(repo, True):
            raise GitError(f"fatal: No annotated tags can describe '{target}'.\nHowever, there "
                           "were unannotated tags: try --tags.\n", 128)
        raise GitError(f"fatal: No tags can describe '{target}'.\nTry --always, or create some "
                       "tags.\n", 128)
    depth, name = best
    if depth == 0 and not parsed["long"]:
        return CommandResult(0, name + "\n")
    return CommandResult(0, f"{name}-{depth}-g{abbreviate(repo, target)}\n")


@command("tag")
def tag(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    if parsed["delete"]:
        return _delete(repo, parsed.args)
    lines = int(parsed["lines"]) if parsed["lines"] else 0
    annotate = parsed["annotate"] or parsed["message"]
    if parsed["list"] or lines or (not parsed.args and not annotate):
        return CommandResult(0, _list(repo, parsed.args, lines))
    if len(parsed.args) > 2:
        raise GitError("fatal: too many arguments\n", 128)
    name = parsed.args[0]
    ref = f"refs/tags/{name}"
    if not is_valid_ref_name(ref):
        raise fatal(f"'{name}' is not a valid tag name.")
    start = parsed.args[1] if len(parsed.args) > 1 else "HEAD"
    target = resolve(repo, start)
    if target is None:
        raise fatal(f"Failed to resolve '{start}' as a valid ref.")
    old = repo.resolve_ref(ref)
    if old is not None and not parsed["force"]:
        raise fatal(f"tag '{name}' already exists")
    if annotate:
        message = stripspace("\n\n".join(parsed["message"]), strip_comments=True)
        if not message and not parsed["message"]:
            raise fatal("no tag message?")
        target = _make_tag(repo, name, target, message)
    repo.update_ref(ref, target, "")
    if old is not None and old != target:
        return CommandResult(0, f"Updated tag '{name}' (was {abbreviate(repo, old)})\n")
    return CommandResult(0)
