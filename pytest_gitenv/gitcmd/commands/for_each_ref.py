"""git for-each-ref: refs with --format atoms, --sort keys, --count and patterns."""

from __future__ import annotations

import fnmatch
import re

from dulwich.objects import Commit, ShaFile, Tag

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..logformat import format_date, split_message
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo

_FOR_EACH = OptionParser("for-each-ref", (
    Opt("format", None, "format", "value"), Opt("sort", None, "sort", "list"),
    Opt("count", None, "count", "value"),
))
_ATOM = re.compile(r"%\((-?[A-Za-z]+)(?::([a-z]+))?\)|%([0-9a-fA-F]{2})|%%")
_DATE_MODES = {None: "default", "relative": "relative", "short": "short", "iso": "iso",
               "iso8601": "iso", "iso-strict": "iso-strict", "rfc": "rfc", "unix": "unix",
               "raw": "raw"}
DEFAULT_FORMAT = "%(objectname) %(objecttype)\t%(refname)"


def short_ref(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/", "refs/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


def _person(obj: ShaFile, role: str) -> tuple[bytes, int, int] | None:
    if isinstance(obj, Commit):
        if role == "author":
            return obj.author, obj.author_time, obj.author_timezone
        if role in ("committer", "creator"):
            return obj.committer, obj.commit_time, obj.commit_timezone
    if isinstance(obj, Tag) and role in ("tagger", "creator"):
        return obj.tagger, obj.tag_time, obj.tag_timezone
    return None


def _atom(repo: GitRepo, ref: str, sha: str, name: str, modifier: str | None) -> str:
    obj = repo.get(sha)
    if name == "refname":
        return short_ref(ref) if modifier in ("short", "lstrip") else ref
    if name == "objectname":
        return abbreviate(repo, sha) if modifier == "short" else sha
    if name == "objecttype":
        return obj.type_name.decode()
    if name == "HEAD":
        return "*" if repo.head_target() == ref else " "
    if name in ("subject", "body", "contents"):
        message = getattr(obj, "message", b"")
        subject, body = split_message(message)
        return {"subject": subject, "body": body,
                "contents": message.decode("utf-8", "replace")}[name]
    role = next((r for r in ("author", "committer", "tagger", "creator") if name.startswith(r)), "")
    field = name[len(role):]
    if role:
        person = _person(obj, role)
        if person is None:
            return ""
        ident, when, tz = person
        who, _, email = ident.decode("utf-8", "replace").partition(" <")
        if field == "name":
            return who
        if field == "email":
            return f"<{email}"
        if field == "date":
            return format_date(when, tz, _DATE_MODES.get(modifier, "default"))
        if field == "":
            return f"{ident.decode('utf-8', 'replace')} {when} {format_date(when, tz, 'raw')[-5:]}"
    raise fatal(f"unknown field name: {name}")


def _expand(repo: GitRepo, fmt: str, ref: str, sha: str) -> str:
    def field(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"
        if m.group(3):
            return chr(int(m.group(3), 16))
        return _atom(repo, ref, sha, m.group(1), m.group(2))

    return _ATOM.sub(field, fmt)


def _sort_key(repo: GitRepo, key: str, ref: str, sha: str) -> tuple[int, str]:
    name, _, _mod = key.partition(":")
    if name.endswith("date"):
        role = name[:-4] or "creator"
        obj = repo.get(sha)
        person = _person(obj, role)
        return (person[1] if person else 0, "")
    return (0, _expand(repo, f"%({key})", ref, sha))


def _matches(ref: str, patterns: list[str]) -> bool:
    if not patterns:
        return True
    for p in patterns:
        if any(c in p for c in "*?["):
            if fnmatch.fnmatchcase(ref, p):
                return True
        elif ref == p or ref.startswith(p.rstrip("/") + "/"):
            return True
    return False


@command("for-each-ref")
def for_each_ref(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _FOR_EACH.parse(args)
    refs = [(ref, sha) for ref, sha in repo.refs().items() if _matches(ref, parsed.args)]
    for key in reversed(parsed["sort"] or ["refname"]):
        name = key.lstrip("-")
        refs.sort(key=lambda item: _sort_key(repo, name, *item), reverse=key.startswith("-"))
    if parsed["count"] is not None:
        refs = refs[:int(parsed["count"])]
    fmt = parsed["format"] or DEFAULT_FORMAT
    return CommandResult(0, "".join(_expand(repo, fmt, ref, sha) + "\n" for ref, sha in refs))
