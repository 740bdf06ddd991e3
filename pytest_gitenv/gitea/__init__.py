"""Real Gitea servers: install, launch (binary / external; container elsewhere) and a client."""

from .binary import BinaryGitea
from .client import GiteaClient
from .install import GITEA_VERSION, ensure_gitea
from .launcher import ExternalGitea, GiteaError, GiteaServer, GiteaUnavailable, wait_healthy

__all__ = [
    "GITEA_VERSION",
    "BinaryGitea",
    "ExternalGitea",
    "GiteaClient",
    "GiteaError",
    "GiteaServer",
    "GiteaUnavailable",
    "ensure_gitea",
    "wait_healthy",
]
