"""Open the repository store a backend name asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_gitenv.store import RepoStore
from pytest_gitenv.tasks import TaskSuite

BACKENDS = ("local", "gitea", "binary", "docker", "url")


def open_store(backend: str, suite: TaskSuite, *, store_dir: Path | None = None, **options: Any) -> RepoStore:
    """A store holding `suite`'s repositories; `backend` is one of BACKENDS.

    Gitea backends: "gitea" uses the started server given as `server=`; "binary" and "docker"
    start a private one (`gitea_binary=`, `gitea_image=`), stopped by the store's close() or at
    exit; "url" uses a running one (`gitea_url=`, `gitea_token=`, else GITEA_* / .env).
    """
    if backend == "local":
        from pytest_gitenv.store.local import LocalStore

        return LocalStore(suite.repos, store_dir, **options)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; available: {', '.join(BACKENDS)}")
    from pytest_gitenv.gitea.launcher import GiteaServer
    from pytest_gitenv.store.gitea import GiteaStore

    url, token = options.pop("gitea_url", None), options.pop("gitea_token", None)
    binary, image = options.pop("gitea_binary", None), options.pop("gitea_image", None)
    server: GiteaServer | None = options.pop("server", None)
    own = server is None
    if backend == "gitea" and server is None:
        raise ValueError('backend "gitea" needs server=<a started GiteaServer>; or use "binary", "docker", "url"')
    if backend == "binary":
        from pytest_gitenv.gitea.binary import BinaryGitea

        server = BinaryGitea(binary).start()
    elif backend == "docker":
        from pytest_gitenv.gitea.container import ContainerGitea

        server = ContainerGitea(image).start()
    elif backend == "url":
        from pytest_gitenv.gitea.launcher import ExternalGitea

        server, own = ExternalGitea(url, token=token).start(), False
    assert server is not None
    options.setdefault("local_import", backend == "binary" or _is_binary(server))
    return GiteaStore(server, suite.repos, store_dir, own_server=own, **options)


def _is_binary(server: object) -> bool:
    from pytest_gitenv.gitea.binary import BinaryGitea

    return isinstance(server, BinaryGitea)
