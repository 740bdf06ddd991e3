"""POSIX basic regular expressions (git's default for grep and log --grep) as Python regexes."""

from __future__ import annotations

import re

_BRE_SPECIAL = {"\\(": "(", "\\)": ")", "\\|": "|", "\\{": "{", "\\}": "}", "\\+": "+",
                "\\?": "?", "(": "\\(", ")": "\\)", "|": "\\|", "{": "\\{", "}": "\\}",
                "+": "\\+", "?": "\\?"}


def bre_to_python(pattern: str) -> str:
    """POSIX basic regex -> Python regex (grouping/alternation/intervals need a backslash)."""
    return re.sub(r"\\[()|{}+?]|[()|{}+?]", lambda m: _BRE_SPECIAL[m.group(0)], pattern)
