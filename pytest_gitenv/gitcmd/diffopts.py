"""Diff output options shared by diff, log, show and stash show, and their rendering."""

from __future__ import annotations

from collections.abc import Sequence

from .diffing import (
    Abbrev,
    Blobs,
    FilePair,
    file_stats,
    format_change_summary,
    format_name_only,
    format_name_status,
    format_numstat,
    format_patch,
    format_stat,
    format_summary,
)
from .errors import GitError, fatal
from .options import Opt, Parsed

DIFF_OPTIONS = (
    Opt("patch", "p", "patch"),
    Opt("patch", "u", None),
    Opt("no_patch", "s", "no-patch", negatable=False),
    Opt("stat", None, "stat", "optional", const=""),
    Opt("shortstat", None, "shortstat"),
    Opt("numstat", None, "numstat"),
    Opt("name_only", None, "name-only"),
    Opt("name_status", None, "name-status"),
    Opt("unified", "U", "unified", "value"),
    Opt("summary", None, "summary"),
    Opt("color", None, "color", "optional", const="always"),
    Opt("ext_diff", None, "ext-diff"),  # no external diff driver is ever configured
)


def diff_formats(parsed: Parsed, default: Sequence[str] = ()) -> list[str]:
    """Selected output formats in git's print order; `default` when none was given."""
    color = parsed.values.get("color")
    if color not in (None, False, "never", "auto"):  # output is never a terminal
        raise fatal(f"--color={color} is not supported in this environment")
    exclusive = [name for name in ("name_only", "name_status", "no_patch")
                 if parsed.values.get(name)]
    if len(exclusive) > 1:
        raise fatal("options '--name-only', '--name-status', '--check', and '-s' cannot be "
                    "used together")
    if exclusive:  # like git's diff_setup_done, these drop every other format
        return [] if exclusive[0] == "no_patch" else exclusive
    chosen = [name for name in ("name_only", "name_status", "numstat", "stat", "shortstat",
                                "summary", "patch")
              if parsed.values.get(name) not in (None, False)]
    if parsed.values.get("unified") is not None and "patch" not in chosen:
        chosen.append("patch")
    return chosen or list(default)


def diff_context(parsed: Parsed) -> int:
    """Context lines for patches (-U<n>, default 3)."""
    value = parsed.values.get("unified")
    try:
        return 3 if value is None else max(int(value), 0)
    except ValueError:
        raise GitError("error: switch `U' expects a numerical value\n", 129) from None


def render(pairs: list[FilePair], formats: Sequence[str], blobs: Blobs, abbrev: Abbrev,
           context: int = 3, prefixes: tuple[str, str] = ("a/", "b/"),
           whitespace: str | None = None, null: bool = False) -> str:
    """The diff output for `pairs` in the chosen formats (stat and patch separated by a line);
    `null` (-z) ends names with NUL in the name and numstat formats."""
    if not pairs:
        return ""
    out: list[str] = []
    if "name_only" in formats:
        out.append(format_name_only(pairs, null))
    if "name_status" in formats:
        out.append(format_name_status(pairs, null))
    stats = file_stats(pairs, blobs, whitespace) \
        if {"numstat", "stat", "shortstat"} & set(formats) else []
    if "numstat" in formats:
        out.append(format_numstat(stats, null))
    if "stat" in formats:
        out.append(format_stat(stats))
    elif "shortstat" in formats:
        out.append(format_summary(stats))
    if "summary" in formats:
        out.append(format_change_summary(pairs))
    if "patch" in formats:
        if out:
            out.append("\n")
        out.append(format_patch(pairs, blobs, abbrev, context, prefixes, whitespace))
    return "".join(out)
