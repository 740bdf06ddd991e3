"""git for-each-ref: refs with --format atoms, --sort keys, --count and patterns."""

from __future__ import annotations

import fnmatch
import re

from dulwich.objects import Commit, ShaFile, Tag

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..logformat import format_date
from ..message import sanitized_subject
from ..options import Opt, OptionParser, not_supported
from ..registry import command
from ..repo import GitRepo
from ..revisions import upstream_ref

_FOR_EACH = OptionParser("for-each-ref", (
    Opt("format", None, "format", "value"), Opt("sort", None, "sort", "list"),
    Opt("count", None, "count", "value"),
))
_ATOM = re.compile(r"%\((-?[A-Za-z]+)(?::([^)]*))?\)|%([0-9a-fA-F]{2})|%%")
_DATE_MODES = {None: "default", "default": "default", "relative": "relative", "short": "short",
               "iso": "iso", "iso8601": "iso", "iso-strict": "iso-strict", "iso8601-strict": "iso-strict",
               "rfc": "rfc", "rfc2822": "rfc", "unix": "unix", "raw": "raw"}
_OTHER_DATE_MODES = ("local", "human", "normal", "format")
DEFAULT_FORMAT = "%(objectname) %(objecttype)\t%(refname)"


def short_ref(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/", "refs/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


def strip_ref(ref: str, count: int, right: bool = False) -> str:
    """git's lstrip/rstrip_ref_components: drop `count` components from the left (or right);
    a negative count keeps that many; nothing is left when too many are dropped."""
    parts = ref.split("/")
    drop = count if count >= 0 else max(len(parts) + count, 0)
    if drop >= len(parts):
        return ""
    return "/".join(parts[:len(parts) - drop] if right else parts[drop:])


def _refname(ref: str, modifier: str | None) -> str:
    """%(refname) with :short, :lstrip=N (:strip=N) or :rstrip=N."""
    if modifier is None:
        return ref
    if modifier == "short":
        return short_ref(ref)
    kind, _, value = modifier.partition("=")
    if kind not in ("lstrip", "strip", "rstrip") or not value:
        raise fatal(f"unrecognized %(refname:{modifier}) argument: {modifier}")
    try:
        count = int(value)
    except ValueError:
        raise fatal(f"Integer value expected refname:{modifier}") from None
    return strip_ref(ref, count, right=kind == "rstrip")


def _objectname(repo: GitRepo, sha: str, modifier: str | None) -> str:
    """%(objectname) with :short or :short=N."""
    if modifier is None:
        return sha
    if modifier == "short":
        return abbreviate(repo, sha)
    if modifier.startswith("short=") and modifier[6:].isdigit():
        return abbreviate(repo, sha, max(int(modifier[6:]), 4))
    raise fatal(f"unrecognized %(objectname:{modifier}) argument: {modifier}")


def message_parts(message: bytes) -> tuple[str, str, str]:
    """(subject span, body, contents) as git's find_subpos cuts a message: leading newlines
    skipped, the subject runs to the first blank line (its own newlines kept), the body starts
    after the newlines that follow it."""
    contents = message.decode("utf-8", "replace").lstrip("\n")
    end = contents.find("\n\n")
    if end < 0:
        end = len(contents)
    return contents[:end].rstrip("\r\n"), contents[end:].lstrip("\r\n"), contents


def contents_lines(message: bytes, count: int) -> str:
    """%(contents:lines=N) (tag -n): the first `count` lines of the message, continuation lines
    indented by four spaces (git's append_lines; a blank line prints as the indent alone)."""
    rest = message_parts(message)[2]
    lines: list[str] = []
    while rest and len(lines) < count:
        line, newline, rest = rest.partition("\n")
        lines.append(line)
        if not newline:
            break
    return "\n    ".join(lines)


def _contents(message: bytes, name: str, modifier: str | None) -> str:
    """%(subject), %(body), %(contents) and %(contents:subject|body|signature|size|lines=N)."""
    subject, body, contents = message_parts(message)
    if name == "body":
        if modifier is not None:
            raise fatal("%(body) does not take arguments")
        return body
    if name == "subject" or modifier == "subject":
        line = subject.replace("\r\n", "\n").replace("\n", " ")
        if modifier in (None, "subject"):
            return line
        if modifier == "sanitize":
            return sanitized_subject(line.encode())
        raise fatal(f"unrecognized %(subject) argument: {modifier}")
    if modifier is None:
        return contents
    if modifier.startswith("lines="):
        value = modifier[len("lines="):]
        if not value.isdigit():
            raise fatal(f"positive value expected contents:{modifier}")
        return contents_lines(message, int(value))
    simple = {"body": body, "signature": "", "size": str(len(contents.encode()))}
    if modifier not in simple:
        raise fatal(f"unrecognized %(contents) argument: {modifier}")
    return simple[modifier]


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
        return _refname(ref, modifier)
    if name == "objectname":
        return _objectname(repo, sha, modifier)
    if name == "upstream":
        upstream = upstream_ref(repo, ref[len("refs/heads/"):]) if ref.startswith("refs/heads/") else None
        return "" if upstream is None else _refname(upstream, modifier)
    if name == "objecttype":
        return obj.type_name.decode()
    if name == "HEAD":
        return "*" if repo.head_target() == ref else " "
    if name in ("subject", "body", "contents"):  # empty (but checked) for trees and blobs
        value = _contents(getattr(obj, "message", b""), name, modifier)
        return value if isinstance(obj, (Commit, Tag)) else ""
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
            if modifier in _DATE_MODES:
                return format_date(when, tz, _DATE_MODES[modifier])
            if modifier.partition(":")[0] in _OTHER_DATE_MODES:
                raise not_supported("for-each-ref", f"%({name}:{modifier})")
            raise fatal(f"unknown date format {modifier}")
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
