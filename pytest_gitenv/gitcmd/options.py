"""A small parser with git's parse-options behaviour and error texts.

Supports combined short flags (`-sb`), attached values (`-n5`, `-uall`), numeric
options (`-5`), `--opt=value`, `--opt value`, `--no-opt`, unambiguous long-option
abbreviations, `--`, and options mixed with positional arguments.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import GitError
from .usage_text import USAGE

Kind = Literal["flag", "count", "value", "optional", "lastarg", "list"]


@dataclass(frozen=True)
class Opt:
    """One option. `kind`: flag (bool), count (int), value (required arg),
    optional (arg only via `=`/attached; `const` when absent), lastarg (like value, but
    `const` when it is the last argument), list (repeatable value)."""

    dest: str
    short: str | None = None
    long: str | None = None
    kind: Kind = "flag"
    const: Any = True
    negatable: bool = True


@dataclass
class Parsed:
    """Parsed options (by `dest`), positional args, and whether `--` was seen."""

    values: dict[str, Any]
    args: list[str]
    dashdash: int | None = None  # index in `args` where the `--` separator was
    order: list[str] = field(default_factory=list)  # dests in the order they were given

    def __getitem__(self, dest: str) -> Any:
        return self.values[dest]

    def before_dashdash(self) -> list[str]:
        return self.args if self.dashdash is None else self.args[: self.dashdash]

    def after_dashdash(self) -> list[str]:
        return [] if self.dashdash is None else self.args[self.dashdash :]


_USAGE_OPTION = re.compile(r"^\s{2,}(?:-([A-Za-z0-9]),? ?)?(?:--(?:\[no-\])?([a-z][\w-]*))?", re.M)


@functools.cache
def documented_options(command: str) -> tuple[frozenset[str], frozenset[str]]:
    """Short and long option names git's usage text lists for `command`."""
    shorts, longs = set(), set()
    for match in _USAGE_OPTION.finditer(USAGE.get(command, "")):
        if match.group(1):
            shorts.add(match.group(1))
        if match.group(2):
            longs.add(match.group(2))
    return frozenset(shorts), frozenset(longs)


def not_supported(command: str, flag: str) -> GitError:
    return GitError(f"fatal: git {command} {flag} is not supported in this environment\n", 128)


def usage_error(command: str, message: str) -> GitError:
    """`error: <message>` followed by the command's usage, exit 129 (git's usage_with_options)."""
    return GitError(f"error: {message}\n{USAGE.get(command, '')}", 129)


class OptionParser:
    """Parse one command's argv the way git's parse-options does."""

    def __init__(self, command: str, options: Sequence[Opt], numeric: str | None = None,
                 stop_at_non_option: bool = False) -> None:
        self.command = command
        self.options = list(options)
        self.numeric = numeric  # dest receiving `-<n>` (like log -5)
        self.stop_at_non_option = stop_at_non_option
        self._short = {o.short: o for o in self.options if o.short}

    def refuse(self, parsed: Parsed, *dests: str) -> None:
        """Fail clearly when an option git has, but this environment lacks, was given."""
        for o in self.options:
            if o.dest in dests and parsed.values.get(o.dest) not in (None, False, 0, []):
                flag = f"--{o.long}" if o.long else f"-{o.short}"
                raise not_supported(self.command, flag)

    def defaults(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for o in self.options:
            values[o.dest] = [] if o.kind == "list" else (0 if o.kind == "count" else None)
        if self.numeric:
            values.setdefault(self.numeric, None)
        return values

    def parse(self, argv: Sequence[str]) -> Parsed:
        parsed = Parsed(self.defaults(), [])
        i = 0
        while i < len(argv):
            arg = argv[i]
            i += 1
            if arg == "--":
                parsed.dashdash = len(parsed.args)
                parsed.args.extend(argv[i:])
                break
            if arg.startswith("--"):
                i = self._long(arg[2:], argv, i, parsed)
            elif arg.startswith("-") and len(arg) > 1:
                i = self._shorts(arg[1:], argv, i, parsed)
            else:
                parsed.args.append(arg)
                if self.stop_at_non_option:
                    parsed.args.extend(argv[i:])
                    break
        return parsed

    def _store(self, o: Opt, value: Any, parsed: Parsed, negated: bool = False) -> None:
        parsed.order.append(o.dest)
        if negated:
            parsed.values[o.dest] = [] if o.kind == "list" else (0 if o.kind == "count" else False)
        elif o.kind == "count":
            parsed.values[o.dest] = (parsed.values[o.dest] or 0) + 1
        elif o.kind == "list":
            parsed.values[o.dest].append(value)
        else:
            parsed.values[o.dest] = value

    def _shorts(self, cluster: str, argv: Sequence[str], i: int, parsed: Parsed) -> int:
        if self.numeric and cluster.isdigit():
            parsed.values[self.numeric] = int(cluster)
            return i
        if cluster == "h" and "h" not in self._short:
            raise GitError(USAGE.get(self.command, ""), 129) from None
        pos = 0
        while pos < len(cluster):
            ch = cluster[pos]
            o = self._short.get(ch)
            if o is None:
                if ch == "h":
                    raise GitError(USAGE.get(self.command, ""), 129)
                if ch in documented_options(self.command)[0]:
                    raise not_supported(self.command, f"-{ch}")
                raise usage_error(self.command, f"unknown switch `{ch}'")
            rest = cluster[pos + 1 :]
            if o.kind in ("value", "list"):
                if rest:
                    self._store(o, rest, parsed)
                elif i < len(argv):
                    self._store(o, argv[i], parsed)
                    i += 1
                else:
                    raise GitError(f"error: switch `{ch}' requires a value\n", 129)
                return i
            if o.kind == "optional" or (o.kind == "lastarg" and not rest and i >= len(argv)):
                self._store(o, rest if rest else o.const, parsed)
                return i
            if o.kind == "lastarg":
                self._store(o, rest or argv[i], parsed)
                return i + (0 if rest else 1)
            self._store(o, True if o.kind == "flag" else None, parsed)
            pos += 1
        return i

    def _find_long(self, name: str) -> tuple[Opt, bool]:
        exact = [o for o in self.options if o.long == name]
        if exact:
            return exact[0], False
        if name.startswith("no-"):
            neg = [o for o in self.options if o.long == name[3:] and o.negatable]
            if neg:
                return neg[0], True
        candidates: list[tuple[Opt, bool]] = []
        for o in self.options:
            if not o.long:
                continue
            if o.long.startswith(name):
                candidates.append((o, False))
            elif o.negatable and f"no-{o.long}".startswith(name) and len(name) > 2:
                candidates.append((o, True))
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            first, second = (("no-" if neg else "") + (o.long or "") for o, neg in candidates[-2:])
            raise usage_error(
                self.command, f"ambiguous option: {name} (could be --{first} or --{second})"
            )
        known = [o for o in documented_options(self.command)[1] if o.startswith(name)]
        if name in known or len(known) == 1:
            raise not_supported(self.command, f"--{name if name in known else known[0]}")
        raise usage_error(self.command, f"unknown option `{name}'")

    def _long(self, body: str, argv: Sequence[str], i: int, parsed: Parsed) -> int:
        name, eq, value = body.partition("=")
        if name == "help" and not any(o.long == "help" for o in self.options):
            raise GitError(USAGE.get(self.command, ""), 129)
        o, negated = self._find_long(name)
        if negated:
            if eq:
                raise GitError(f"error: option `no-{o.long}' takes no value\n", 129)
            self._store(o, None, parsed, negated=True)
            return i
        if o.kind in ("flag", "count"):
            if eq:
                raise GitError(f"error: option `{o.long}' takes no value\n", 129)
            self._store(o, True if o.kind == "flag" else None, parsed)
        elif o.kind == "optional" or (o.kind == "lastarg" and not eq and i >= len(argv)):
            self._store(o, value if eq else o.const, parsed)
        elif eq:
            self._store(o, value, parsed)
        elif i < len(argv):
            self._store(o, argv[i], parsed)
            i += 1
        else:
            raise GitError(f"error: option `{o.long}' requires a value\n", 129)
        return i
