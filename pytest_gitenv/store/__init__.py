"""Repository stores: where the tasks' repositories live (embedded on disk, or Gitea)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class StoredRepo:
    """A repository as a store holds it; `path` is a local bare repository with its objects."""

    name: str
    path: Path
    clone_url: str
    description: str = ""
    default_branch: str = "main"

    def to_listing(self) -> dict[str, str]:
        """The seed's `list_repos` entry (never with credentials)."""
        return {"name": self.name, "full_name": self.name, "clone_url": self.clone_url,
                "description": self.description, "default_branch": self.default_branch}


class RepoStore(Protocol):
    """What GitEnv needs from a store."""

    kind: str

    def ensure(self, name: str) -> StoredRepo:
        """The repository `name`, imported or migrated on first use."""
        ...

    def list_repos(self) -> list[StoredRepo]:
        ...
