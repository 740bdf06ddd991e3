"""Check kinds that score an episode, and the reward computed from them.

A check in tasks.yaml is a one-key mapping: `- file_contains: {path: a.py, text: fix}`.
Kinds with one main parameter also take a scalar: `- branch_exists: feature`.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dulwich.objects import Commit, Tag
from dulwich.repo import Repo

from pytest_gitenv import sources
from pytest_gitenv.gitcmd import CommandContext, run_git

_MARKER = re.compile(rb"^(<{7}|>{7})( |$)|^={7}$", re.MULTILINE)


@dataclass(frozen=True)
class CheckSpec:
    kind: str
    params: dict[str, Any] = field(hash=False)

    @property
    def label(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.kind}({args})"


@dataclass(frozen=True)
class CheckResult:
    check: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "passed": self.passed, "detail": self.detail}


@dataclass
class CheckContext:
    """The finished episode: its repository and a way to run read-only git commands."""

    repo_dir: Path
    command_context: CommandContext
    base_dir: Path | None = None  # where `python:` checks' modules are looked up first

    def repo(self) -> Repo:
        return Repo(str(self.repo_dir))

    def git(self, command: str) -> str:
        result = run_git(command, self.command_context)
        if not result.ok:
            raise CheckError(result.stderr.strip() or f"'git {command}' failed")
        return result.stdout


class CheckError(Exception):
    """A check could not be evaluated (it then fails with this reason)."""


@dataclass(frozen=True)
class _Kind:
    evaluate: Callable[[CheckContext, dict[str, Any]], tuple[bool, str]]
    params: dict[str, type | tuple[type, ...]]
    required: tuple[str, ...] = ()
    scalar: str | None = None  # the parameter a scalar shorthand fills
    one_of: tuple[str, ...] = ()


KINDS: dict[str, _Kind] = {}


def _kind(name: str, params: dict[str, Any], required: tuple[str, ...] = (), scalar: str | None = None,
          one_of: tuple[str, ...] = ()) -> Callable:
    def register(fn: Callable[[CheckContext, dict[str, Any]], tuple[bool, str]]) -> Callable:
        KINDS[name] = _Kind(fn, params, required, scalar, one_of)
        return fn

    return register


def parse_check(raw: Any) -> CheckSpec:
    """Validate one `checks:` item; raises ValueError naming what is wrong."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ValueError(f"a check is a one-key mapping such as '- branch_exists: main', got {raw!r}")
    [(kind_name, value)] = raw.items()
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValueError(f"unknown check kind {kind_name!r}; known kinds: {', '.join(sorted(KINDS))}")
    if not isinstance(value, dict):
        if kind.scalar is None:
            if value is not True:
                raise ValueError(f"{kind_name} takes a mapping of {', '.join(kind.params) or 'no'} parameters")
            value = {}
        else:
            value = {kind.scalar: value}
    unknown = set(value) - set(kind.params)
    if unknown:
        raise ValueError(f"{kind_name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"allowed: {', '.join(kind.params)}")
    missing = [p for p in kind.required if p not in value]
    if missing:
        raise ValueError(f"{kind_name}: missing parameter(s) {', '.join(missing)}")
    if kind.one_of and sum(p in value for p in kind.one_of) != 1:
        raise ValueError(f"{kind_name}: give exactly one of {', '.join(kind.one_of)}")
    for name, expected in kind.params.items():
        given = value.get(name)
        if name in value and (not isinstance(given, expected) or (expected is int and isinstance(given, bool))):
            raise ValueError(f"{kind_name}: parameter {name!r} has the wrong type ({given!r})")
    for name in ("pattern", "message"):
        if name in value:
            try:
                re.compile(value[name])
            except re.error as exc:
                raise ValueError(f"{kind_name}: bad regular expression {value[name]!r}: {exc}") from None
    if kind_name == "python" and ":" not in value["function"]:
        raise ValueError("python: expected 'module:function'")
    return CheckSpec(kind_name, dict(value))


def evaluate(checks: tuple[CheckSpec, ...], ctx: CheckContext) -> list[CheckResult]:
    """Run every check; an error inside one makes it fail with the reason."""
    results = []
    for spec in checks:
        try:
            passed, detail = KINDS[spec.kind].evaluate(ctx, spec.params)
        except CheckError as exc:
            passed, detail = False, str(exc)
        except Exception as exc:  # a user's python check, or an unreadable repository
            passed, detail = False, f"error: {type(exc).__name__}: {exc}"
        results.append(CheckResult(spec.label, bool(passed), detail))
    return results


def reward(results: list[CheckResult], all_or_nothing: bool) -> float:
    """Fraction of checks passed (1.0 or 0.0 with all_or_nothing; 1.0 with no checks)."""
    if not results:
        return 1.0
    passed = sum(r.passed for r in results)
    if all_or_nothing:
        return 1.0 if passed == len(results) else 0.0
    return passed / len(results)


# --- helpers -------------------------------------------------------------------------------

def _commit(repo: Repo, rev: str) -> Commit:
    if rev == "HEAD":
        try:
            sha = repo.refs[b"HEAD"]
        except KeyError:
            raise CheckError("HEAD does not point at a commit") from None
        return repo[sha]
    sha = sources.resolve_commit(repo, rev)
    if sha is None:
        raise CheckError(f"revision {rev!r} not found")
    return repo[sha]


def _file_bytes(ctx: CheckContext, path: str, ref: str | None) -> bytes:
    if ref is None:
        target = (ctx.repo_dir / path).resolve()
        if not target.is_relative_to(ctx.repo_dir.resolve()) or not target.is_file():
            raise CheckError(f"{path} does not exist in the worktree")
        return target.read_bytes()
    with ctx.repo() as repo:
        tree = repo[_commit(repo, ref).tree]
        try:
            _, sha = tree.lookup_path(repo.object_store.__getitem__, path.encode())
        except KeyError:
            raise CheckError(f"{path} does not exist at {ref}") from None
        return repo[sha].data


def _where(ref: str | None) -> str:
    return f"at {ref}" if ref else "in the worktree"


# --- check kinds -------------------------------------------------------------------------

@_kind("file_contains", {"path": str, "text": str, "pattern": str, "ref": str}, ("path",),
       one_of=("text", "pattern"))
def _file_contains(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    data = _file_bytes(ctx, p["path"], p.get("ref")).decode("utf-8", "replace")
    found = p["text"] in data if "text" in p else re.search(p["pattern"], data, re.MULTILINE) is not None
    what = repr(p.get("text", p.get("pattern")))
    return found, f"{p['path']} {_where(p.get('ref'))} {'contains' if found else 'does not contain'} {what}"


@_kind("file_equals", {"path": str, "content": str, "same_as": str, "ref": str}, ("path",),
       one_of=("content", "same_as"))
def _file_equals(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    actual = _file_bytes(ctx, p["path"], p.get("ref"))
    if "content" in p:
        expected = p["content"].encode()
    else:
        rev, _, other = p["same_as"].partition(":")
        expected = _file_bytes(ctx, other or p["path"], rev)
    same = actual == expected
    return same, f"{p['path']} {_where(p.get('ref'))} {'matches' if same else 'differs from'} the expected content"


@_kind("branch_exists", {"name": str, "at": str}, ("name",), scalar="name")
def _branch_exists(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    with ctx.repo() as repo:
        ref = b"refs/heads/" + p["name"].encode()
        if ref not in repo.refs:
            return False, f"branch {p['name']!r} does not exist"
        if "at" in p and repo.refs[ref] != _commit(repo, p["at"]).id:
            return False, f"branch {p['name']!r} exists but is not at {p['at']}"
        return True, f"branch {p['name']!r} exists"


@_kind("branch_absent", {"name": str}, ("name",), scalar="name")
def _branch_absent(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    with ctx.repo() as repo:
        present = b"refs/heads/" + p["name"].encode() in repo.refs
    return not present, f"branch {p['name']!r} {'still exists' if present else 'is absent'}"


@_kind("head_on_branch", {"name": str}, ("name",), scalar="name")
def _head_on_branch(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    with ctx.repo() as repo:
        chain, _ = repo.refs.follow(b"HEAD")
    current = chain[-1].decode() if len(chain) > 1 else "(detached HEAD)"
    current = current.removeprefix("refs/heads/")
    return current == p["name"], f"HEAD is on {current}"


@_kind("commit_count", {"ref": str, "equals": int, "min": int, "max": int})
def _commit_count(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    if not {"equals", "min", "max"} & set(p):
        raise CheckError("commit_count needs one of equals, min, max")
    ref = p.get("ref", "HEAD")
    with ctx.repo() as repo:
        count = sum(1 for _ in repo.get_walker(include=[_commit(repo, ref).id]))
    ok = (count == p.get("equals", count)) and count >= p.get("min", count) and count <= p.get("max", count)
    return ok, f"{ref} has {count} commits"


@_kind("last_commit_message_matches", {"pattern": str, "ref": str}, ("pattern",), scalar="pattern")
def _last_message(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    ref = p.get("ref", "HEAD")
    with ctx.repo() as repo:
        message = _commit(repo, ref).message.decode("utf-8", "replace")
    first = message.splitlines()[0] if message else ""
    ok = re.search(p["pattern"], message, re.MULTILINE) is not None
    return ok, f"last commit on {ref}: {first!r}"


@_kind("clean_worktree", {})
def _clean_worktree(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    status = ctx.git("status --porcelain")
    lines = status.splitlines()
    return not lines, "worktree and index are clean" if not lines else f"{len(lines)} change(s): {', '.join(lines[:5])}"


@_kind("merged_into", {"branch": str, "commit": str, "into": str}, ("into",), one_of=("branch", "commit"))
def _merged_into(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    source = p.get("branch") or p["commit"]
    with ctx.repo() as repo:
        tip, into = _commit(repo, source).id, _commit(repo, p["into"]).id
        merged = any(entry.commit.id == tip for entry in repo.get_walker(include=[into]))
    return merged, f"{source} is {'' if merged else 'not '}merged into {p['into']}"


@_kind("no_conflict_markers", {"paths": list})
def _no_conflict_markers(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    unmerged = ctx.git("ls-files -u")
    if unmerged.strip():
        return False, "the index has unmerged paths"
    paths = p.get("paths") or ctx.git("ls-files").splitlines()
    marked = [path for path in paths if (ctx.repo_dir / path).is_file()
              and _MARKER.search((ctx.repo_dir / path).read_bytes())]
    return not marked, f"conflict markers in {', '.join(marked)}" if marked else "no conflict markers"


@_kind("tag_exists", {"name": str, "annotated": bool, "points_to": str, "message": str}, ("name",), scalar="name")
def _tag_exists(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    with ctx.repo() as repo:
        ref = b"refs/tags/" + p["name"].encode()
        if ref not in repo.refs:
            return False, f"tag {p['name']!r} does not exist"
        obj = repo[repo.refs[ref]]
        if "annotated" in p and isinstance(obj, Tag) != p["annotated"]:
            return False, f"tag {p['name']!r} is {'' if isinstance(obj, Tag) else 'not '}annotated"
        if "points_to" in p and sources.resolve_commit(repo, p["name"]) != _commit(repo, p["points_to"]).id:
            return False, f"tag {p['name']!r} does not point at {p['points_to']}"
        if "message" in p:
            text = obj.message.decode("utf-8", "replace") if isinstance(obj, Tag) else ""
            if re.search(p["message"], text, re.MULTILINE) is None:
                return False, f"tag {p['name']!r} message {text.strip()!r} does not match {p['message']!r}"
    return True, f"tag {p['name']!r} exists"


@_kind("tree_equals", {"ref": str, "expected": str}, ("expected",))
def _tree_equals(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    ref = p.get("ref", "HEAD")
    with ctx.repo() as repo:
        actual, expected = _commit(repo, ref).tree, _commit(repo, p["expected"]).tree
    same = actual == expected
    return same, f"tree of {ref} {'equals' if same else 'differs from'} the tree of {p['expected']}"


@_kind("python", {"function": str}, ("function",), scalar="function")
def _python(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    module_name, _, attr = p["function"].partition(":")
    if ctx.base_dir and str(ctx.base_dir) not in sys.path:
        sys.path.insert(0, str(ctx.base_dir))
    function = getattr(importlib.import_module(module_name), attr)
    outcome = function(ctx)
    if isinstance(outcome, tuple):
        return bool(outcome[0]), str(outcome[1])
    return bool(outcome), f"{p['function']} returned {outcome!r}"


# Kinds about the remote register themselves; import them so every tasks file can use them.
from pytest_gitenv import remote_checks  # noqa: E402, F401
