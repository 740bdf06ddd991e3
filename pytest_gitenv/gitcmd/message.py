"""Commit messages as git reads and cleans them: stripspace, subject/body split, first line."""

from __future__ import annotations

SPACE = " \t\n\v\f\r"  # C isspace() in git's locale


def stripspace(text: str, strip_comments: bool = False) -> str:
    """Trailing blanks removed, '#' lines dropped (optionally), blank runs collapsed to one,
    no leading/trailing blank lines, and a final newline unless the result is empty."""
    out: list[str] = []
    blank = False
    for line in text.split("\n"):
        if strip_comments and line.startswith("#"):
            continue
        line = line.rstrip(SPACE)
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def _skip_blank_lines(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip(SPACE):
        i += 1
    return i


def message_lines(message: bytes) -> list[str]:
    """The message's lines (no newlines), without its leading blank lines."""
    lines = message.decode("utf-8", "replace").split("\n")
    return lines[_skip_blank_lines(lines, 0):]


def split_message(message: bytes) -> tuple[str, str]:
    """git's (%s, %b): the first paragraph's lines right-trimmed and joined with spaces (leading
    spaces kept), and everything after the blank lines that follow it, verbatim."""
    lines = message_lines(message)
    end = next((i for i, line in enumerate(lines) if not line.strip(SPACE)), len(lines))
    subject = " ".join(line.rstrip(SPACE) for line in lines[:end])
    return subject, "\n".join(lines[_skip_blank_lines(lines, end):])


def first_line(message: bytes) -> str:
    """The message's first non-blank line, verbatim: git's find_commit_subject(), used for
    cherry-pick/revert labels ("Revert \\"<line>\\"", "could not apply <sha>... <line>") and %f."""
    lines = message_lines(message)
    return lines[0] if lines else ""


def sanitized_subject(message: bytes) -> str:
    """%f: the first line with runs of characters other than [A-Za-z0-9._] turned into one '-',
    runs of dots into one, and trailing dots and dashes removed."""
    out: list[str] = []
    gap = False
    for char in first_line(message):
        if char.isascii() and (char.isalnum() or char in "._"):
            if gap and out:
                out.append("-")
            gap = False
            if not (char == "." and out and out[-1] == "."):
                out.append(char)
        else:
            gap = True
    return "".join(out).rstrip(".-")


def indented_message(message: bytes, subject_only: bool = False, expand_tabs: bool = True) -> str:
    """The message as git log's medium/short/raw formats print it: each line right-trimmed and
    indented by four spaces (tabs expanded), trailing blank lines dropped; `subject_only` stops
    at the first blank line."""
    lines = [line.rstrip(SPACE) for line in message_lines(message)]
    if subject_only:
        lines = lines[:next((i for i, line in enumerate(lines) if not line), len(lines))]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(f"    {line.expandtabs(8) if expand_tabs else line}\n" for line in lines)
