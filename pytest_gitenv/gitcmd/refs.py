"""Refs and reflogs, read and written the way git does (loose + packed refs, symrefs).

Reflog lines are git's "<old> <new> Name <email> <ts> <tz>\t<msg>"; updating the branch
HEAD points to also logs HEAD, and unchanged refs are not rewritten.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .context import CommandContext
from .errors import GitError, fatal
from .paths import prune_empty_dirs

_REFLOG_SPACE = re.compile("[ \t\n\r]+")  # git's copy_reflog_msg: isspace() in git's own ctype

ZERO_SHA = "0" * 40
_MAX_SYMREF_DEPTH = 5
_LOGGED_PREFIXES = ("refs/heads/", "refs/remotes/", "refs/notes/")


def format_tz(offset: int) -> str:
    """Seconds east of UTC as git's `+HHMM`."""
    sign = "-" if offset < 0 else "+"
    minutes = abs(offset) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def is_valid_ref_name(name: str) -> bool:
    """git check-ref-format rules (the subset that matters for safety and fidelity)."""
    if not name or name.startswith("/") or name.endswith(("/", ".", ".lock")) or name == "@":
        return False
    if any(s in name for s in ("..", "//", "@{", "\\")):
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in " ~^:?*[" for c in name):
        return False
    return all(part and not part.startswith(".") for part in name.split("/"))


class RefStore:
    """Ref and reflog operations of GitRepo (which provides `git_dir` and `ctx`)."""

    git_dir: Path
    ctx: CommandContext | None

    def _ref_file(self, name: str) -> Path:
        special = name in ("HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD",
                           "FETCH_HEAD")
        if not special and not (name.startswith("refs/") and is_valid_ref_name(name)):
            raise fatal(f"invalid ref name '{name}'")
        return self.git_dir / name

    def packed_refs(self) -> dict[str, str]:
        try:
            text = (self.git_dir / "packed-refs").read_text(errors="replace")
        except FileNotFoundError:
            return {}
        refs: dict[str, str] = {}
        for line in text.splitlines():
            if line and line[0] not in "#^":
                sha, _, name = line.partition(" ")
                refs[name] = sha
        return refs

    def read_raw_ref(self, name: str) -> str | None:
        """Contents of a ref: a hex id, or "ref: <target>" for a symbolic ref."""
        try:
            path = self._ref_file(name)
        except GitError:
            return None
        try:
            if path.is_file():
                return path.read_text(errors="replace").strip()
        except OSError:
            return None
        return self.packed_refs().get(name)

    def resolve_ref(self, name: str) -> str | None:
        """Follow symbolic refs to a hex id; None for missing or unborn refs."""
        for _ in range(_MAX_SYMREF_DEPTH):
            raw = self.read_raw_ref(name)
            if raw is None:
                return None
            if not raw.startswith("ref: "):
                return raw
            name = raw[5:]
        return None

    def head_target(self) -> str | None:
        """The ref HEAD points at (e.g. "refs/heads/main"), or None when detached."""
        raw = self.read_raw_ref("HEAD") or ""
        return raw[5:] if raw.startswith("ref: ") else None

    def head_sha(self) -> str | None:
        return self.resolve_ref("HEAD")

    def current_branch(self) -> str | None:
        target = self.head_target()
        return target[len("refs/heads/"):] if target and target.startswith("refs/heads/") else None

    def refs(self, prefix: str = "refs/") -> dict[str, str]:
        """Every ref under `prefix` (loose over packed) -> hex id, sorted by name."""
        result = {k: v for k, v in self.packed_refs().items() if k.startswith(prefix)}
        base = self.git_dir / prefix.rstrip("/")
        if base.is_dir():
            for dirpath, _dirs, files in os.walk(base):
                for filename in files:
                    full = Path(dirpath, filename)
                    name = full.relative_to(self.git_dir).as_posix()
                    if not is_valid_ref_name(name):
                        continue
                    value = self.resolve_ref(name)
                    if value is not None:
                        result[name] = value
        return dict(sorted(result.items()))

    def _now(self) -> tuple[int, int]:
        assert self.ctx is not None, "GitRepo.ctx must be set by the runner"
        return self.ctx.clock.now()

    def ident(self, when: tuple[int, int] | None = None) -> bytes:
        """git's ident line "Name <email> <ts> <+tz>" for the context identity."""
        assert self.ctx is not None
        ts, tz = when if when is not None else self._now()
        who = self.ctx.identity
        return f"{who.name} <{who.email}> {ts} {format_tz(tz)}".encode()

    def append_reflog(self, name: str, old: str | None, new: str | None, message: str,
                      when: tuple[int, int] | None = None, force: bool = False) -> None:
        """Append one line to logs/<name> in git's format, if git would log this ref."""
        path = self.git_dir / "logs" / name
        if not (force or name == "HEAD" or name.startswith(_LOGGED_PREFIXES) or path.exists()):
            return
        message = _REFLOG_SPACE.sub(" ", message).strip(" ")
        line = f"{old or ZERO_SHA} {new or ZERO_SHA} ".encode() + self.ident(when)
        if message:
            line += b"\t" + message.encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(line + b"\n")

    def _write_ref_file(self, name: str, content: str) -> None:
        path = self._ref_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise fatal(f"cannot lock ref '{name}': there is a non-empty directory in the way")
        lock = path.with_name(path.name + ".lock")
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise fatal(
                f"cannot lock ref '{name}': Unable to create '{lock}': File exists."
            ) from None
        with os.fdopen(fd, "w") as handle:
            handle.write(content + "\n")
        os.replace(lock, path)

    def update_ref(self, name: str, new: str, message: str | None, *,
                   when: tuple[int, int] | None = None, force_log: bool = False) -> None:
        """Point `name` (a full ref or HEAD, symrefs followed) at `new`, logging like git.

        `message` None writes the ref without any reflog entry."""
        target = name
        if name == "HEAD":
            target = self.head_target() or "HEAD"
        old = self.resolve_ref(target)
        if old != new:  # like git, an unchanged ref is neither rewritten nor logged ...
            self._write_ref_file(target, new)
            if message is not None:
                self.append_reflog(target, old, new, message, when, force_log)
        if message is not None and target != "HEAD" and self.head_target() == target:
            self.append_reflog("HEAD", old, new, message, when)  # ... but HEAD still is

    def write_symref(self, name: str, target: str) -> None:
        """Make `name` a symbolic ref to `target` (no reflog entry)."""
        self._write_ref_file(name, f"ref: {target}")

    def set_head(self, target: str, message: str, *, detach: bool = False) -> None:
        """Make HEAD a symref to `target`, or detach it at commit `target`; log to HEAD."""
        old = self.head_sha()
        if detach:
            if self.head_target() is None and old == target:
                return  # like git: an unchanged detached HEAD is neither written nor logged
            self._write_ref_file("HEAD", target)
            new: str | None = target
        else:
            self.write_symref("HEAD", target)
            new = self.resolve_ref(target)
        if message and new is not None:
            self.append_reflog("HEAD", old, new, message)

    def delete_ref(self, name: str) -> None:
        """Remove a ref (loose and packed) and its reflog."""
        path = self._ref_file(name)
        if path.is_file():
            path.unlink()
            prune_empty_dirs(path.parent, self.git_dir / "refs")
        packed = self.git_dir / "packed-refs"
        if name in self.packed_refs():
            lines = packed.read_text().splitlines(keepends=True)
            kept: list[str] = []
            skipping = False
            for line in lines:
                if line.startswith("^"):
                    if not skipping:
                        kept.append(line)
                    continue
                skipping = line.rstrip("\n").endswith(" " + name)
                if not skipping:
                    kept.append(line)
            lock = packed.with_name("packed-refs.lock")
            lock.write_text("".join(kept))
            os.replace(lock, packed)
        log = self.git_dir / "logs" / name
        if log.is_file():
            log.unlink()
            prune_empty_dirs(log.parent, self.git_dir / "logs" / "refs")

    def move_ref(self, old: str, new: str, message: str, *, copy: bool = False) -> None:
        """Rename (or copy) ref `old` to `new` with its reflog, then log `message` on `new`."""
        sha = self.resolve_ref(old)
        assert sha is not None, old
        logs = self.git_dir / "logs"
        self.delete_ref(new)
        if (logs / old).is_file():
            (logs / new).parent.mkdir(parents=True, exist_ok=True)
            (shutil.copyfile if copy else os.replace)(logs / old, logs / new)
        if not copy:
            self.delete_ref(old)
        self.update_ref(new, sha, None)
        self.append_reflog(new, sha, sha, message)

    def read_reflog(self, name: str) -> list[tuple[str, str, str]]:
        """Reflog of `name`, oldest first: (old, new, "ident<TAB>message" tail)."""
        try:
            data = (self.git_dir / "logs" / name).read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return []
        entries = []
        for line in data.split("\n"):  # messages may hold \v, \f and other line breaks of str
            if len(line) > 82:
                entries.append((line[:40], line[41:81], line[82:]))
        return entries
