"""Commit formatting as git log/show print it: built-in formats, --format placeholders,
dates (default, relative, iso, rfc, short, raw, unix) and ref decorations."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dulwich.objects import Commit

from .message import indented_message, sanitized_subject, split_message
from .repo import GitRepo, format_tz

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PLACEHOLDER = re.compile(r"%(x[0-9a-fA-F]{2}|a[nNeElLdDrtiIsh]|c[nNeElLdDrtiIsh]|[HhTtPpsbBdDnNfm%])")
BUILTIN_FORMATS = ("oneline", "short", "medium", "full", "fuller", "raw", "reference", "email")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}"


def relative_date(ts: int, now: int) -> str:
    """git's show_date_relative()."""
    if now < ts:
        return "in the future"
    diff = now - ts
    if diff < 90:
        return _plural(diff, "second") + " ago"
    diff = (diff + 30) // 60
    if diff < 90:
        return _plural(diff, "minute") + " ago"
    diff = (diff + 30) // 60
    if diff < 36:
        return _plural(diff, "hour") + " ago"
    diff = (diff + 12) // 24
    if diff < 14:
        return _plural(diff, "day") + " ago"
    if diff < 70:
        return _plural((diff + 3) // 7, "week") + " ago"
    if diff < 365:
        return _plural((diff + 15) // 30, "month") + " ago"
    if diff < 1825:
        total = (diff * 12 * 2 + 365) // (365 * 2)
        years, months = divmod(total, 12)
        if months:
            return f"{_plural(years, 'year')}, {_plural(months, 'month')} ago"
        return _plural(years, "year") + " ago"
    return _plural((diff + 183) // 365, "year") + " ago"


def format_date(ts: int, tz: int, mode: str = "default") -> str:
    """A timestamp in the given --date mode, in the commit's own timezone."""
    if mode == "relative":
        return relative_date(ts, int(time.time()))
    if mode == "unix":
        return str(ts)
    if mode == "raw":
        return f"{ts} {format_tz(tz)}"
    d = datetime.fromtimestamp(ts, timezone(timedelta(seconds=tz)))
    zone = format_tz(tz)
    if mode in ("iso", "iso8601"):
        return d.strftime("%Y-%m-%d %H:%M:%S ") + zone
    if mode in ("iso-strict", "iso8601-strict"):
        return d.strftime("%Y-%m-%dT%H:%M:%S") + f"{zone[:3]}:{zone[3:]}"
    if mode in ("rfc", "rfc2822"):
        return f"{_DAYS[d.weekday()]}, {d.day} {_MONTHS[d.month - 1]} {d.year} " \
               f"{d:%H:%M:%S} {zone}"
    if mode == "short":
        return d.strftime("%Y-%m-%d")
    return f"{_DAYS[d.weekday()]} {_MONTHS[d.month - 1]} {d.day} {d:%H:%M:%S} {d.year} {zone}"


_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_RELATIVE = re.compile(r"^(\d+)[. ]?(second|minute|hour|day|week|month|year)s?( ago)?$")
_ABSOLUTE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")


def approxidate(text: str, now: int) -> int | None:
    """The subset of git's approxidate used with --since/--until: "<n>.<unit>", "<n> <units>
    ago", "yesterday", "now", and ISO dates (a date alone keeps the current time of day)."""
    text = text.strip().lower()
    current = datetime.fromtimestamp(now, timezone.utc)
    if text in ("now", "today"):
        return now
    if text == "yesterday":
        return now - 86400
    match = _RELATIVE.match(text)
    if match:
        n, unit = int(match.group(1)), match.group(2)
        if unit in _UNITS:
            return now - n * _UNITS[unit]
        months = n * (12 if unit == "year" else 1)
        year, month = divmod(current.year * 12 + current.month - 1 - months, 12)
        first = current.replace(year=year, month=month + 1, day=1)
        return int((first + timedelta(days=current.day - 1)).timestamp())  # mktime overflow
    match = _ABSOLUTE.match(text)
    if match:
        y, mo, d = (int(match.group(i)) for i in (1, 2, 3))
        if match.group(4) is None:
            moment = current.replace(year=y, month=mo, day=d)
        else:
            moment = datetime(y, mo, d, int(match.group(4)), int(match.group(5)),
                              int(match.group(6) or 0), tzinfo=timezone.utc)
        return int(moment.timestamp())
    return None


def _ident(raw: bytes) -> tuple[str, str]:
    text = raw.decode("utf-8", "replace")
    name, _, rest = text.partition(" <")
    return name, rest.rstrip(">")


# ------------------------------------------------------------------ decorations


def pretty_ref(ref: str, full: bool = False) -> str:
    if full:
        return ref
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


_DECORATED = ("refs/heads/", "refs/remotes/", "refs/tags/", "refs/stash")


def load_decorations(repo: GitRepo) -> dict[str, list[str]]:
    """Commit id -> decorated refs in git's order (HEAD first, then refs in reverse order)."""
    found: dict[str, list[str]] = {}
    for ref, sha in repo.refs().items():
        if not ref.startswith(_DECORATED):
            continue
        target = repo.peel(sha).id.decode() if ref.startswith("refs/tags/") else sha
        found.setdefault(target, []).insert(0, ref)
        if target != sha:
            found.setdefault(sha, []).insert(0, ref)
    head = repo.head_sha()
    if head is not None:
        found.setdefault(head, []).insert(0, "HEAD")
    return found


def decoration_text(refs: list[str], head_target: str | None, full: bool = False) -> str:
    """"HEAD -> main, tag: v1, origin/main" for one commit's refs."""
    current = head_target if "HEAD" in refs and head_target in refs else None
    names = []
    for ref in refs:
        if ref == current:
            continue
        name = pretty_ref(ref, full)
        if ref.startswith("refs/tags/"):
            name = "tag: " + name
        if ref == "HEAD" and current:
            name += " -> " + pretty_ref(current, full)
        names.append(name)
    return ", ".join(names)


# ------------------------------------------------------------------ formatter


@dataclass
class LogFormatter:
    """Formats commits for one command run (decorations and abbreviations are cached)."""

    repo: GitRepo
    abbrev: Callable[[str], str]
    date_mode: str = "default"
    decorate: str = "no"  # "no", "short" or "full"
    abbrev_commit: bool = False
    left: frozenset[str] = frozenset()  # commits from the left side of A...B
    left_right: bool = False  # --left-right: marks before the commit id
    _decorations: dict[str, list[str]] | None = None

    def mark(self, sha: str) -> str:
        """git's revision mark: "<" for the left side of a symmetric range, else ">"."""
        return "<" if sha in self.left else ">"

    def _marked(self, sha: str) -> str:
        return f"{self.mark(sha)} " if self.left_right else ""

    def decorations(self, sha: str, full: bool = False) -> str:
        if self._decorations is None:
            self._decorations = load_decorations(self.repo)
        refs = self._decorations.get(sha)
        return decoration_text(refs, self.repo.head_target(), full) if refs else ""

    def _decor_suffix(self, sha: str) -> str:
        if self.decorate == "no":
            return ""
        text = self.decorations(sha, self.decorate == "full")
        return f" ({text})" if text else ""

    def expand(self, fmt: str, sha: str, commit: Commit) -> str:
        """Expand --format placeholders for one commit."""

        def field(m: re.Match[str]) -> str:
            key = m.group(1)
            if key.startswith("x"):
                return chr(int(key[1:], 16))
            if key[0] in "ac" and len(key) == 2:
                return self._person(commit, key[0] == "a", key[1])
            return self._simple(key, sha, commit)

        return _PLACEHOLDER.sub(field, fmt)

    def _simple(self, key: str, sha: str, commit: Commit) -> str:
        if key == "H":
            return sha
        if key == "h":
            return self.abbrev(sha)
        if key == "T":
            return commit.tree.decode()
        if key == "t":
            return self.abbrev(commit.tree.decode())
        if key == "P":
            return " ".join(p.decode() for p in commit.parents)
        if key == "p":
            return " ".join(self.abbrev(p.decode()) for p in commit.parents)
        if key == "s":
            return split_message(commit.message)[0]
        if key == "f":
            return sanitized_subject(commit.message)
        if key == "b":
            return split_message(commit.message)[1]
        if key == "B":
            return commit.message.decode("utf-8", "replace")
        if key == "d":
            text = self.decorations(sha)
            return f" ({text})" if text else ""
        if key == "D":
            return self.decorations(sha)
        if key == "n":
            return "\n"
        if key == "m":
            return self.mark(sha)
        return "%"

    def _person(self, commit: Commit, author: bool, key: str) -> str:
        raw = commit.author if author else commit.committer
        ts = commit.author_time if author else commit.commit_time
        tz = commit.author_timezone if author else commit.commit_timezone
        name, email = _ident(raw)
        simple = {"n": name, "N": name, "e": email, "E": email, "l": email.split("@")[0],
                  "L": email.split("@")[0], "t": str(ts)}
        if key in simple:
            return simple[key]
        modes = {"d": self.date_mode, "D": "rfc", "r": "relative", "i": "iso",
                 "I": "iso-strict", "s": "short", "h": "relative"}
        return format_date(ts, tz, modes[key])

    def header(self, style: str, sha: str, commit: Commit) -> str:
        """A built-in format (medium, short, full, fuller, oneline, raw) up to the message."""
        if style == "oneline":
            return f"{self._marked(sha)}{self.abbrev(sha) if self.abbrev_commit else sha}" \
                   f"{self._decor_suffix(sha)} {split_message(commit.message)[0]}\n"
        lines = [f"commit {self._marked(sha)}{self.abbrev(sha) if self.abbrev_commit else sha}"
                 f"{self._decor_suffix(sha)}\n"]
        if style == "raw":
            lines.append(f"tree {commit.tree.decode()}\n")
            lines += [f"parent {p.decode()}\n" for p in commit.parents]
            lines.append(f"author {commit.author.decode()} {commit.author_time} "
                         f"{format_tz(commit.author_timezone)}\n")
            lines.append(f"committer {commit.committer.decode()} {commit.commit_time} "
                         f"{format_tz(commit.commit_timezone)}\n")
        else:
            if len(commit.parents) > 1:
                lines.append("Merge: " + " ".join(self.abbrev(p.decode())
                                                  for p in commit.parents) + "\n")
            author = commit.author.decode("utf-8", "replace")
            committer = commit.committer.decode("utf-8", "replace")
            adate = format_date(commit.author_time, commit.author_timezone, self.date_mode)
            cdate = format_date(commit.commit_time, commit.commit_timezone, self.date_mode)
            if style == "fuller":
                lines += [f"Author:     {author}\n", f"AuthorDate: {adate}\n",
                          f"Commit:     {committer}\n", f"CommitDate: {cdate}\n"]
            else:
                lines.append(f"Author: {author}\n")
                if style == "medium":
                    lines.append(f"Date:   {adate}\n")
                if style == "full":
                    lines.append(f"Commit: {committer}\n")
        text = indented_message(commit.message, subject_only=style == "short",
                                expand_tabs=style in ("medium", "full", "fuller"))
        if text:  # git trims the whole buffer: an empty message leaves no blank line
            lines.append("\n" + text)
        return "".join(lines)

