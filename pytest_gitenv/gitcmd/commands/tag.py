"""git tag: list (-l pattern, -n), create lightweight or annotated (-a/-m), delete, force."""

from __future__ import annotations

import fnmatch
import re

from dulwich.objects import Commit, Tag

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor
from ..message import stripspace
from ..options import Opt, OptionParser, Parsed, not_supported
from ..registry import command
from ..repo import GitRepo, is_valid_ref_name
from ..revisions import resolve, resolve_commit
from .for_each_ref import contents_lines

_PARSER = OptionParser("tag", (
    Opt("list", "l", "list"), Opt("delete", "d", "delete"), Opt("annotate", "a", "annotate"),
    Opt("message", "m", "message", "list"), Opt("force", "f", "force"),
    Opt("lines", "n", None, "optional", const="1"),
    Opt("contains", None, "contains", "lastarg", const="HEAD"),
    Opt("points_at", None, "points-at", "lastarg", const="HEAD"),
    Opt("sort", None, "sort", "list"),
))


_NESTED_TAG = ("hint: You have created a nested tag. The object referred to by your new tag is\n"
               "hint: already a tag. If you meant to tag the object that it points to, use:\n"
               "hint: \nhint: \tgit tag -f {name} {start}^{{}}\n"
               "hint: Disable this message with \"git config advice.nestedTag false\"\n")


def _annotation(repo: GitRepo, sha: str, lines: int) -> str:
    """tag -n<lines>: %(contents:lines=N) of the tag, or of the commit a lightweight tag names."""
    obj = repo.get(sha)
    return contents_lines(obj.message if isinstance(obj, (Tag, Commit)) else b"", lines)


def commit_of(repo: GitRepo, spec: str) -> str:
    """The commit `spec` names, or the --contains/--points-at style refusal (exit 129)."""
    sha = resolve_commit(repo, spec)
    if sha is None:
        raise GitError(f"error: malformed object name {spec}\n", 129)
    return sha


def _tag_date(repo: GitRepo, sha: str, creator: bool) -> int:
    """taggerdate (annotated tags only) or creatordate (else the commit's date)."""
    obj = repo.get(sha)
    return obj.tag_time if isinstance(obj, Tag) else \
        obj.commit_time if creator and isinstance(obj, Commit) else 0


def _sorted(repo: GitRepo, tags: list[tuple[str, str]], keys: list[str]) -> list[tuple[str, str]]:
    """--sort: refname (default), version:refname (v:refname), creatordate/taggerdate."""
    for key in reversed(keys):
        field = key.lstrip("-")
        if field in ("version:refname", "v:refname"):
            tags.sort(key=lambda t: [(0, int(c), "") if c.isdigit() else (1, 0, c)
                                     for c in re.findall(r"\d+|\D+", t[0])],
                      reverse=key.startswith("-"))
        elif field in ("creatordate", "taggerdate"):
            creator = field == "creatordate"
            tags.sort(key=lambda t: _tag_date(repo, t[1], creator), reverse=key.startswith("-"))
        elif field == "refname":
            tags.sort(key=lambda t: t[0], reverse=key.startswith("-"))
        else:
            raise not_supported("tag", f"--sort={key}")
    return tags


def _list(repo: GitRepo, patterns: list[str], lines: int, parsed: Parsed) -> str:
    out = []
    contains = commit_of(repo, parsed["contains"]) if parsed["contains"] else None
    points_at = commit_of(repo, parsed["points_at"]) if parsed["points_at"] else None
    tags = [(ref[len("refs/tags/"):], sha) for ref, sha in repo.refs("refs/tags/").items()]
    for name, sha in _sorted(repo, tags, parsed["sort"]):
        if patterns and not any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        target = repo.peel(sha).id.decode()
        if points_at is not None and points_at not in (sha, target):
            continue
        if contains is not None and not is_ancestor(repo, contains, target):
            continue
        out.append(f"{name:<15} {_annotation(repo, sha, lines)}" if lines else name)
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


@command("tag")
def tag(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    if parsed["delete"]:
        return _delete(repo, parsed.args)
    lines = int(parsed["lines"]) if parsed["lines"] else 0
    annotate = parsed["annotate"] or parsed["message"]
    filtering = parsed["contains"] or parsed["points_at"] or parsed["sort"]
    if parsed["list"] or parsed["lines"] is not None or filtering or (not parsed.args and not annotate):
        return CommandResult(0, _list(repo, parsed.args, lines, parsed))
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
    hint = ""
    if annotate:
        message = stripspace("\n\n".join(parsed["message"]), strip_comments=True)
        if not message and not parsed["message"]:
            raise fatal("no tag message?")
        if isinstance(repo.get(target), Tag):
            hint = _NESTED_TAG.format(name=name, start=start)
        target = _make_tag(repo, name, target, message)
    repo.update_ref(ref, target, "")
    if old is not None and old != target:
        return CommandResult(0, f"Updated tag '{name}' (was {abbreviate(repo, old)})\n", hint)
    return CommandResult(0, "", hint)
