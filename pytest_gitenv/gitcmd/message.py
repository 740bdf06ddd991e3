"""git's stripspace: message cleanup for commits, tags and merges."""

from __future__ import annotations


def stripspace(text: str, strip_comments: bool = False) -> str:
    """Trailing blanks removed, '#' lines dropped (optionally), blank runs collapsed to one,
    no leading/trailing blank lines, and a final newline unless the result is empty."""
    out: list[str] = []
    blank = False
    for line in text.split("\n"):
        if strip_comments and line.startswith("#"):
            continue
        line = line.rstrip()
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out) + "\n" if out else ""
