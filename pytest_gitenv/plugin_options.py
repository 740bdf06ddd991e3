"""The plugin's command-line options, each paired with an ini key of the same name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

BACKENDS = ("auto", "local", "docker", "binary", "url")

# name -> (help, kind, default); the ini key is the option name with "_" for "-" and no dashes.
_OPTIONS: dict[str, tuple[str, str, str | bool | None]] = {
    "gitenv-tasks": ("tasks file (default: tasks.yaml in the rootdir)", "string", None),
    "gitenv-task": ("task(s) to run: a name, a comma list, or 'all' (default: all)", "string", None),
    "gitenv-backend": (f"where repositories live: {'|'.join(BACKENDS)} (default: auto)", "string", "auto"),
    "gitenv-url": ("URL of an already-running Gitea (backend 'url')", "string", None),
    "gitenv-image": ("Docker image for the 'docker' backend", "string", None),
    "gitenv-binary": ("gitea binary for the 'binary' backend", "string", None),
    "gitenv-report": ("write the episode report as JSON to this path", "string", None),
    "gitenv-keep-workspaces": ("keep each test's workspaces after it ends", "bool", False),
}


def ini_name(option: str) -> str:
    """``gitenv-keep-workspaces`` -> ``gitenv_keep_workspaces``."""
    return option.replace("-", "_")


def add_options(parser: pytest.Parser) -> None:
    """Register every option in the ``gitenv`` group and its ini key."""
    group = parser.getgroup("gitenv", "git environments for agents (pytest-gitenv)")
    for name, (help_text, kind, default) in _OPTIONS.items():
        if kind == "bool":
            group.addoption(f"--{name}", action="store_true", default=None, dest=ini_name(name), help=help_text)
        else:
            group.addoption(f"--{name}", default=None, dest=ini_name(name), metavar=name.split("-")[-1].upper(),
                            help=help_text)
        parser.addini(ini_name(name), help_text, type=kind, default=default)  # type: ignore[arg-type]


def _value(config: pytest.Config, option: str) -> str | bool | None:
    """The command line value, else the ini value (which carries the default)."""
    value = config.getoption(ini_name(option))
    return value if value is not None else config.getini(ini_name(option))


def _path(config: pytest.Config, option: str) -> Path | None:
    """A path option: relative to the current directory, or to the ini file's directory."""
    given = config.getoption(ini_name(option))
    if given is not None:
        return config.invocation_params.dir / given
    value = config.getini(ini_name(option))
    base = config.inipath.parent if config.inipath else config.rootpath
    return base / value if value else None


@dataclass(frozen=True)
class GitenvConfig:
    """The plugin's settings for this run (command line over ini over defaults)."""

    tasks_path: Path
    task: str | None
    backend: str
    url: str | None
    image: str | None
    binary: str | None
    report: Path | None
    keep_workspaces: bool

    @classmethod
    def from_pytest(cls, config: pytest.Config) -> GitenvConfig:
        """Read and check the settings; a bad backend name is a usage error."""
        backend = str(_value(config, "gitenv-backend") or "auto")
        if backend not in BACKENDS:
            raise pytest.UsageError(f"--gitenv-backend={backend!r}: choose one of {', '.join(BACKENDS)}")
        return cls(
            tasks_path=_path(config, "gitenv-tasks") or config.rootpath / "tasks.yaml",
            task=str(_value(config, "gitenv-task") or "") or None,
            backend=backend,
            url=str(_value(config, "gitenv-url") or "") or None,
            image=str(_value(config, "gitenv-image") or "") or None,
            binary=str(_value(config, "gitenv-binary") or "") or None,
            report=_path(config, "gitenv-report"),
            keep_workspaces=bool(_value(config, "gitenv-keep-workspaces")),
        )
