"""tasks.yaml (schema version 1) -> typed, validated `TaskSuite`.

Every problem in the file is collected and reported at once, each with its line
and a hint, before anything is imported or run.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pytest_gitenv import sources
from pytest_gitenv.checks import CheckSpec, parse_check
from pytest_gitenv.yamlnodes import DuplicateKeyError, Located, load_located

SCHEMA_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TOP_KEYS = {"version", "defaults", "repos", "tasks"}
_REPO_KEYS = {"source", "description"}
_TASK_KEYS = {"repo", "ref", "branch", "prompt", "max_steps", "setup", "checks", "all_or_nothing",
              "description"}
_DEFAULT_KEYS = {"max_steps", "all_or_nothing"}
_SETUP_KINDS = {"write", "remove", "git"}


@dataclass(frozen=True)
class RepoSpec:
    name: str
    source: str
    description: str = ""


@dataclass(frozen=True)
class SetupStep:
    """One setup step: `write` (path, content), `remove` (path) or `git` (command)."""

    kind: str
    path: str = ""
    content: str = ""
    command: str = ""
    expect_exit: int = 0
    expect_output: str = ""  # a regex the command's stdout+stderr must match (empty: anything)
    executable: bool = False


@dataclass(frozen=True)
class Task:
    name: str
    repo: str
    ref: str
    branch: str | None
    prompt: str
    max_steps: int
    setup: tuple[SetupStep, ...] = ()
    checks: tuple[CheckSpec, ...] = ()
    all_or_nothing: bool = False
    description: str = ""


@dataclass
class TaskSuite:
    path: Path | None
    repos: dict[str, RepoSpec] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)

    def task(self, name: str) -> Task:
        """The task called `name`; an unknown name lists the known ones."""
        try:
            return self.tasks[name]
        except KeyError:
            raise UnknownTaskError(name, sorted(self.tasks)) from None


class TasksFileError(ValueError):
    """tasks.yaml has problems; `problems` holds one line per problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{self.path}: {count}:\n" + "\n".join(f"  {p}" for p in problems))


class UnknownTaskError(KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        self.message = f"unknown task {name!r}.{hint} Known tasks: {', '.join(known) or '(none)'}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path, self.items = path, []

    def add(self, line: int, message: str, hint: str = "") -> None:
        self.items.append(f"line {line}: {message}" + (f" (hint: {hint})" if hint else ""))

    def unknown_keys(self, node: Located, allowed: set[str], where: str) -> None:
        for key, value in node.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
                self.add(value.line, f"unknown key {key!r} in {where}", hint)


def load_tasks(path: str | os.PathLike[str]) -> TaskSuite:
    """Load and validate a tasks.yaml file; raises TasksFileError listing every problem."""
    path = Path(path)
    try:
        root = load_located(path)
    except FileNotFoundError:
        raise TasksFileError(path, ["file not found (hint: pass --gitenv-tasks or create tasks.yaml)"]) from None
    except DuplicateKeyError as exc:
        raise TasksFileError(path, [f"line {exc.line}: {exc}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise TasksFileError(path, [f"{where}invalid YAML: {getattr(exc, 'problem', exc)}"]) from None
    problems = _Problems(path)
    suite = _parse_suite(root, path.parent, problems)
    if problems.items:
        raise TasksFileError(path, problems.items)
    suite.path = path
    return suite


def suite_from_task_repos(value: str, source_dir: Path) -> TaskSuite:
    """The seed's TASK_REPOS JSON (`{"task": ["repo", "commit"]}`) as a suite.

    Repositories are looked up as `<source_dir>/<repo>` (a worktree or `<repo>.git`).
    """
    try:
        mapping = json.loads(value)
        if not isinstance(mapping, dict):
            raise ValueError("expected a JSON object")
    except ValueError as exc:
        form = '{"task": ["repo", "commit"]}'
        raise TasksFileError("TASK_REPOS", [f"not valid JSON of the form {form}: {exc}"]) from None
    suite = TaskSuite(path=None)
    problems: list[str] = []
    for task_name, pair in mapping.items():
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            problems.append(f"task {task_name!r}: expected [\"repo\", \"commit\"], got {pair!r}")
            continue
        repo, ref = pair
        source = source_dir / repo if (source_dir / repo).exists() else source_dir / f"{repo}.git"
        suite.repos.setdefault(repo, RepoSpec(repo, str(source)))
        suite.tasks[task_name] = Task(task_name, repo, ref, None, "", 30)
    if problems:
        raise TasksFileError("TASK_REPOS", problems)
    return suite


def _mapping(node: Located | None, problems: _Problems, what: str) -> dict[str, Located]:
    if node is None:
        return {}
    if not isinstance(node.value, dict):
        problems.add(node.line, f"{what} must be a mapping, got {type(node.value).__name__}")
        return {}
    return node.value


def _parse_suite(root: Located, base: Path, problems: _Problems) -> TaskSuite:
    top = _mapping(root, problems, "the file")
    problems.unknown_keys(Located(top, root.line), _TOP_KEYS, "the top level")
    version = top.get("version")
    if version is None:
        problems.add(root.line, "missing 'version'", f"add 'version: {SCHEMA_VERSION}' at the top")
    elif version.value != SCHEMA_VERSION:
        problems.add(version.line, f"unsupported version {version.value!r}",
                     f"this release reads version {SCHEMA_VERSION}")
    defaults = _mapping(top.get("defaults"), problems, "'defaults'")
    problems.unknown_keys(Located(defaults, 0), _DEFAULT_KEYS, "'defaults'")
    suite = TaskSuite(path=None)
    for name, node in _mapping(top.get("repos"), problems, "'repos'").items():
        repo = _parse_repo(str(name), node, base, problems)
        if repo:
            suite.repos[repo.name] = repo
    tasks_node = top.get("tasks")
    if tasks_node is None:
        problems.add(root.line, "missing 'tasks'", "add a 'tasks:' mapping with at least one task")
    refs: dict[str, dict[bytes, bytes] | None] = {}
    for name, node in _mapping(tasks_node, problems, "'tasks'").items():
        task = _parse_task(str(name), node, defaults, suite, refs, problems)
        if task:
            suite.tasks[task.name] = task
    return suite


def _string(node: Located | None, problems: _Problems, what: str, *, required: bool, line: int) -> str:
    if node is None:
        if required:
            problems.add(line, f"missing {what}")
        return ""
    if not isinstance(node.value, str) or (required and not node.value.strip()):
        problems.add(node.line, f"{what} must be a non-empty string, got {node.value!r}")
        return ""
    return node.value


def _parse_repo(name: str, node: Located, base: Path, problems: _Problems) -> RepoSpec | None:
    if not _NAME.match(name):
        problems.add(node.line, f"bad repository name {name!r}", "use letters, digits, '.', '_' and '-'")
    spec = _mapping(node, problems, f"repo {name!r}")
    problems.unknown_keys(Located(spec, node.line), _REPO_KEYS, f"repo {name!r}")
    source = _string(spec.get("source"), problems, f"'source' of repo {name!r}", required=True, line=node.line)
    if not source:
        return None
    resolved = sources.resolve(source, base)
    try:
        sources.describe(resolved)
    except sources.SourceError as exc:
        problems.add(spec["source"].line, f"repo {name!r}: {exc}", exc.hint)
        return None
    description = _string(spec.get("description"), problems, "'description'", required=False, line=node.line)
    return RepoSpec(name, resolved, description)


def _parse_task(name: str, node: Located, defaults: dict[str, Located], suite: TaskSuite,
                refs: dict[str, dict[bytes, bytes] | None], problems: _Problems) -> Task | None:
    """One task; `refs` caches each repository's refs so a source is read once per file."""
    if not _NAME.match(name):
        problems.add(node.line, f"bad task name {name!r}", "use letters, digits, '.', '_' and '-'")
    spec = _mapping(node, problems, f"task {name!r}")
    problems.unknown_keys(Located(spec, node.line), _TASK_KEYS, f"task {name!r}")
    repo = _string(spec.get("repo"), problems, f"'repo' of task {name!r}", required=True, line=node.line)
    ref = _string(spec.get("ref"), problems, f"'ref' of task {name!r}", required=True, line=node.line)
    branch = _string(spec.get("branch"), problems, "'branch'", required=False, line=node.line) or None
    if repo and repo not in suite.repos:
        close = difflib.get_close_matches(repo, sorted(suite.repos), n=1)
        problems.add(spec["repo"].line, f"task {name!r} uses unknown repo {repo!r}",
                     f"did you mean {close[0]!r}?" if close else "define it under 'repos:'")
    elif repo and ref:
        if repo not in refs:
            refs[repo] = sources.list_refs(suite.repos[repo].source)
        if refs[repo] is not None and not sources.ref_exists(refs[repo], ref):
            problems.add(spec["ref"].line, f"task {name!r}: ref {ref!r} not found in repo {repo!r}",
                         "use a branch, tag or full/short commit SHA that exists in the source")
    max_steps = _int_setting(spec, defaults, "max_steps", 30, problems)
    all_or_nothing = bool(_setting(spec, defaults, "all_or_nothing", False))
    setup = tuple(_parse_setup(name, spec.get("setup"), problems))
    checks: list[CheckSpec] = []
    checks_node = spec.get("checks")
    if checks_node is not None and not isinstance(checks_node.value, list):
        problems.add(checks_node.line, f"'checks' of task {name!r} must be a list")
    for item in checks_node.value if checks_node and isinstance(checks_node.value, list) else []:
        try:
            checks.append(parse_check(item.plain()))
        except ValueError as exc:
            problems.add(item.line, f"task {name!r}: bad check: {exc}")
    prompt = _string(spec.get("prompt"), problems, "'prompt'", required=False, line=node.line)
    description = _string(spec.get("description"), problems, "'description'", required=False, line=node.line)
    return Task(name, repo, ref, branch, prompt, max_steps, setup, tuple(checks), all_or_nothing, description)


def _setting(spec: dict[str, Located], defaults: dict[str, Located], key: str, fallback: Any) -> Any:
    node = spec.get(key) or defaults.get(key)
    return fallback if node is None else node.value


def _int_setting(spec: dict[str, Located], defaults: dict[str, Located], key: str, fallback: int,
                 problems: _Problems) -> int:
    value = _setting(spec, defaults, key, fallback)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        node = spec.get(key) or defaults[key]
        problems.add(node.line, f"'{key}' must be a positive integer, got {value!r}")
        return fallback
    return value


def _parse_setup(task: str, node: Located | None, problems: _Problems) -> list[SetupStep]:
    if node is None:
        return []
    if not isinstance(node.value, list):
        problems.add(node.line, f"'setup' of task {task!r} must be a list of steps")
        return []
    steps = []
    for item in node.value:
        raw = item.plain()
        kinds = [k for k in raw if k in _SETUP_KINDS] if isinstance(raw, dict) else []
        if len(kinds) != 1:
            problems.add(item.line, f"task {task!r}: a setup step needs exactly one of "
                         f"{', '.join(sorted(_SETUP_KINDS))}", "e.g. '- git: checkout -b feature'")
            continue
        kind = kinds[0]
        extra = set(raw) - {kind, "expect_exit", "expect_output", "content", "executable"}
        if extra:
            problems.add(item.line, f"task {task!r}: unknown key(s) in setup step: {', '.join(sorted(extra))}")
            continue
        arg = raw[kind]
        if not isinstance(arg, str) or not arg:
            problems.add(item.line, f"task {task!r}: setup '{kind}' needs a non-empty string")
            continue
        expect_output = raw.get("expect_output", "")
        try:
            re.compile(expect_output)
        except (re.error, TypeError) as exc:
            problems.add(item.line, f"task {task!r}: bad 'expect_output' regex {expect_output!r}: {exc}")
            continue
        if kind == "write" and not isinstance(raw.get("content"), str):
            problems.add(item.line, f"task {task!r}: setup 'write: {arg}' needs 'content:' text")
            continue
        steps.append(SetupStep(kind, path=arg if kind != "git" else "", command=arg if kind == "git" else "",
                               content=raw.get("content", ""), expect_exit=int(raw.get("expect_exit", 0)),
                               expect_output=expect_output, executable=bool(raw.get("executable", False))))
    return steps
