"""git's trailer footer rules (trailer.c find_trailer_start, sequencer.c append_signoff):
where a message's trailer block starts and how -s and -x append to it."""

from __future__ import annotations

import re

from .message import SPACE

_GIT_PREFIXES = ("Signed-off-by: ", "(cherry picked from commit ")
_SEPARATOR = re.compile(r"[A-Za-z0-9-]+[ \t]*:")  # find_separator(): token, blanks, ':'


def _is_trailer(line: str) -> bool:
    return bool(_SEPARATOR.match(line))


def _blank(line: str) -> bool:
    return not line.strip(SPACE)


def _trailer_start(lines: list[str]) -> int:
    """Index of the first line of the trailer block (len(lines) when there is none): the last
    paragraph after the title, all trailers or at least 25% trailers with a git-made one."""
    title_end = next((i for i, line in enumerate(lines) if _blank(line) and not line.startswith("#")),
                     len(lines))
    recognized, only_spaces = False, True
    trailers = others = continuations = 0
    for i in range(len(lines) - 1, title_end - 1, -1):
        line = lines[i]
        if line.startswith("#"):
            others, continuations = others + continuations, 0
        elif _blank(line):
            if only_spaces:
                continue
            others += continuations
            if (recognized and trailers * 3 >= others) or (trailers and not others):
                return i + 1
            return len(lines)
        else:
            only_spaces = False
            if line.startswith(_GIT_PREFIXES):
                recognized = True
                trailers, continuations = trailers + 1, 0
            elif _is_trailer(line):
                trailers, continuations = trailers + 1, 0
            elif line[0] in SPACE:
                continuations += 1
            else:
                others, continuations = others + 1 + continuations, 0
    return len(lines)


def _footer(message: str, sob: str | None) -> int:
    """git's has_conforming_footer(): 0 no trailer block, 1 one without `sob`, 2 with it,
    3 with it last."""
    lines = message.splitlines(keepends=True)
    entries: list[str] = []
    joinable = False
    for line in lines[_trailer_start([line.rstrip("\n") for line in lines]):]:
        if line.startswith("#"):
            continue
        if joinable and line[0] in SPACE:
            entries[-1] += line
            continue
        entries.append(line)
        joinable = _is_trailer(line)
    if not entries:
        return 0
    found = [sob is not None and entry.startswith(sob) for entry in entries]
    return 3 if found[-1] else 2 if any(found) else 1


def _complete_line(message: str) -> str:
    return message if not message or message.endswith("\n") else message + "\n"


def append_signoff(message: str, sob: str) -> str:
    """`message` with the trailer line `sob` ("Signed-off-by: ...") appended unless it is
    already the last trailer; a blank line first when there is no trailer block."""
    message, sob = _complete_line(message), sob + "\n"
    found = 3 if message == sob else _footer(message, sob)
    if not found and not message.endswith("\n\n"):
        message += "\n" if message else "\n\n"
    return message if found == 3 else message + sob


def append_origin(message: str, sha: str) -> str:
    """cherry-pick -x: "(cherry picked from commit <sha>)", in the trailer block if any."""
    message = _complete_line(message)
    separator = "" if _footer(message, None) else "\n"
    return f"{message}{separator}(cherry picked from commit {sha})\n"
