"""The interface every Gitea backend shares, health polling, and an external-URL backend."""

from __future__ import annotations

import abc
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import requests

__all__ = [
    "ExternalGitea",
    "GiteaError",
    "GiteaServer",
    "GiteaUnavailable",
    "error_message",
    "http_session",
    "is_healthy",
    "read_env_file",
    "wait_healthy",
]

START_HINT = "start it with `scripts/setup_shared_gitea.sh` or pass --gitenv-backend=binary"


class GiteaUnavailable(Exception):
    """Gitea cannot be reached, started or installed; the message says what to do."""


class GiteaError(Exception):
    """Gitea answered a request with an error; carries the endpoint, never the token."""

    def __init__(self, method: str, endpoint: str, status: int, message: str) -> None:
        self.method, self.endpoint, self.status, self.message = method, endpoint, status, message
        super().__init__(f"{method} {endpoint} -> HTTP {status}: {message}")


def error_message(resp: requests.Response) -> str:
    """Gitea's ``message`` field from an error response, else a short body excerpt."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return resp.text.strip()[:200] or str(resp.reason)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def http_session(url: str) -> requests.Session:
    """A session that ignores proxy/netrc environment settings for loopback URLs."""
    session = requests.Session()
    session.trust_env = not _is_loopback(url)
    return session


def normalize_url(url: str) -> str:
    """``http://host:port`` -> ``http://host:port/``."""
    return url.rstrip("/") + "/"


def is_healthy(url: str, timeout: float = 2.0, session: requests.Session | None = None) -> bool:
    """True when ``GET /api/healthz`` answers 200 within ``timeout`` seconds."""
    session = session or http_session(url)
    try:
        return session.get(normalize_url(url) + "api/healthz", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def wait_healthy(url: str, timeout: float = 60.0, *, alive: Callable[[], bool] | None = None) -> None:
    """Poll ``/api/healthz`` until it answers; raise GiteaUnavailable after ``timeout``.

    ``alive`` (e.g. "is the child process still running") stops the wait early.
    """
    session = http_session(url)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        if is_healthy(url, timeout=min(2.0, timeout), session=session):
            return
        if alive is not None and not alive():
            raise GiteaUnavailable(f"Gitea at {url} failed before becoming healthy")
        if time.monotonic() >= deadline:
            raise GiteaUnavailable(f"Gitea at {url} did not become healthy within {timeout:.0f}s")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


class GiteaServer(abc.ABC):
    """A Gitea reachable at ``url`` with an all-scopes API ``token`` for ``admin_user``."""

    url: str
    token: str
    admin_user: str

    @abc.abstractmethod
    def start(self) -> GiteaServer:
        """Make the server available (idempotent) and return self once healthy."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Release the server (idempotent)."""

    def healthy(self, timeout: float = 2.0) -> bool:
        """True when the server answers its health check."""
        return is_healthy(self.url, timeout)

    def __enter__(self) -> GiteaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        url = getattr(self, "url", "?")
        user = getattr(self, "admin_user", "?")
        return f"{type(self).__name__}(url={url!r}, admin_user={user!r})"


def read_env_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """Parse a ``.env`` file of ``KEY=VALUE`` lines (``#`` comments, optional quotes/export)."""
    values: dict[str, str] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


class ExternalGitea(GiteaServer):
    """An already-running Gitea (e.g. the shared one); never started or stopped by us.

    Settings come from arguments, else the environment (``GITEA_URL``, ``GITEA_TOKEN``,
    ``GITEA_USERNAME``, ``GITEA_PASSWORD``), else a ``.env`` file. With only a username and
    password, ``start()`` creates a token through the API with basic auth.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        env_file: str | os.PathLike[str] | None = ".env",
        timeout: float = 10.0,
    ) -> None:
        file_values = read_env_file(env_file) if env_file and Path(env_file).is_file() else {}

        def pick(arg: str | None, key: str) -> str | None:
            return arg or os.environ.get(key) or file_values.get(key) or None

        self.url = normalize_url(pick(url, "GITEA_URL") or "http://127.0.0.1:3000")
        self.token = pick(token, "GITEA_TOKEN") or ""
        self.admin_user = pick(username, "GITEA_USERNAME") or ""
        self._password = pick(password, "GITEA_PASSWORD")
        self.timeout = timeout

    def start(self) -> ExternalGitea:
        if not self.healthy(self.timeout):
            raise GiteaUnavailable(f"Gitea at {self.url.rstrip('/')} is not answering: {START_HINT}")
        if not self.token:
            self.token = self._create_token()
        return self

    def stop(self) -> None:
        """Nothing to do: the server belongs to someone else."""

    def _create_token(self) -> str:
        if not (self.admin_user and self._password):
            raise GiteaUnavailable(
                f"no credentials for Gitea at {self.url}: set GITEA_TOKEN, or GITEA_USERNAME "
                "and GITEA_PASSWORD (environment or .env)"
            )
        endpoint = f"/api/v1/users/{self.admin_user}/tokens"
        session = http_session(self.url)
        try:
            resp = session.post(
                self.url + endpoint.lstrip("/"),
                json={"name": f"gitenv-{secrets.token_hex(6)}", "scopes": ["all"]},
                auth=(self.admin_user, self._password),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise GiteaUnavailable(f"Gitea at {self.url} is not answering: {START_HINT}") from exc
        if resp.status_code != 201:
            raise GiteaError("POST", endpoint, resp.status_code, error_message(resp))
        return str(resp.json()["sha1"])
