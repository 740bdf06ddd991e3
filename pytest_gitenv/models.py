"""Wire models: actions, observations, state and step results (JSON round-trippable)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T", bound="_Model")

ACTION_TYPES = (
    "list_repos",
    "clone_repo",
    "execute_git_command",
    "read_file",
    "write_file",
    "list_files",
    "submit",
)


class _Model:
    """`to_dict` / `from_dict` for plain dataclasses; unknown keys are refused."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown field(s) {', '.join(unknown)}")
        return cls(**data)


@dataclass
class GitAction(_Model):
    """One agent action. The seed's fields come first and keep their meaning."""

    action_type: str
    repo_name: str | None = None
    target_dir: str | None = None
    command: str | None = None
    working_dir: str | None = None
    path: str | None = None
    content: str | None = None


@dataclass
class GitObservation(_Model):
    """What the agent sees after an action."""

    success: bool
    message: str = ""
    output: str = ""
    error: str = ""
    repos: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    exit_code: int | None = None
    done: bool = False
    reward: float | None = None


@dataclass
class GitState(_Model):
    """Episode bookkeeping (the seed's fields plus the task's)."""

    episode_id: str | None = None
    step_count: int = 0
    gitea_ready: bool = False
    workspace_path: str = ""
    task_id: str | None = None
    seed: int | None = None
    backend: str = "local"
    done: bool = False
    max_steps: int | None = None


@dataclass
class StepResult(_Model):
    """The result of `reset()` and `step()`."""

    observation: GitObservation
    reward: float | None = None
    done: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        data = dict(data)
        data["observation"] = GitObservation.from_dict(data["observation"])
        return super().from_dict(data)
