"""Remote access for clone/fetch/pull/push/ls-remote: which URLs may be reached, and how.

The environment puts a `RemoteAccess` in `CommandContext.remotes`. It maps a URL the agent
uses (never holding credentials) to an `Endpoint` whose client carries them; messages from
the transport go through `RemoteAccess.redact` before anything is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit, urlunsplit

from dulwich.client import GitClient

from .errors import GitError, fatal

if TYPE_CHECKING:
    from .context import CommandContext
    from .repo import GitRepo


class RemoteRefused(Exception):
    """The URL is not one this environment lets the agent reach."""


@dataclass(frozen=True)
class Endpoint:
    """A reachable repository: `client` (with credentials) at `path`; `url` is what is shown."""

    url: str
    client: GitClient
    path: str
    objects: Path | None = None  # a local object store holding (most of) its objects


class RemoteAccess(Protocol):
    def resolve(self, url: str, *, push: bool = False) -> Endpoint:
        """The endpoint for `url` (for a push: where this episode's pushes go); RemoteRefused."""
        ...

    def redact(self, text: str) -> str:
        """`text` without credentials or internal repository names."""
        ...

    def close(self) -> None:
        """The episode is over: drop whatever it created remotely."""
        ...


def anonymize(url: str) -> str:
    """The URL without any user:password@ part (as git shows it)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def short_url(url: str) -> str:
    """git fetch's "From" form: anonymized, without trailing slashes and ".git"."""
    url = anonymize(url).rstrip("/")
    return url[:-4] if url.endswith(".git") and len(url) > 8 else url


def remote_url(repo: GitRepo | None, name: str) -> tuple[str | None, str]:
    """(remote name or None, URL) for a configured remote or a URL given directly."""
    if repo is not None and not re.match(r"^[a-z][a-z0-9+.-]*://", name, re.I):
        url = repo.config_get(("remote", name), "url")
        if url is not None:
            return name, url
    if "://" in name:
        return None, name
    raise GitError(f"fatal: '{name}' does not appear to be a git repository\n"
                   "fatal: Could not read from remote repository.\n\n"
                   "Please make sure you have the correct access rights\n"
                   "and the repository exists.\n", 128)


def endpoint(ctx: CommandContext, url: str, *, push: bool = False) -> Endpoint:
    """Resolve `url` through the context's RemoteAccess, or fail like git cannot reach it."""
    shown = anonymize(url)
    if ctx.remotes is None:
        raise fatal(f"unable to access '{shown}': remote repositories are available only with the Gitea backend")
    try:
        return ctx.remotes.resolve(url, push=push)
    except RemoteRefused as exc:
        raise fatal(f"unable to access '{shown}': {exc}") from None
    except Exception as exc:  # the server is down or refused to set the remote up
        raise fatal(f"unable to access '{shown}': {_first_line(ctx.remotes.redact(str(exc)))}") from None


@contextmanager
def transport(ctx: CommandContext, url: str) -> Iterator[None]:
    """Turn transport failures (server down, timeout, refused) into git's fatal message."""
    try:
        yield
    except GitError:
        raise
    except Exception as exc:  # urllib3, dulwich protocol and HTTP errors alike
        reason = str(exc) or type(exc).__name__
        if ctx.remotes is not None:
            reason = ctx.remotes.redact(reason)
        raise fatal(f"unable to access '{anonymize(url)}': {_first_line(reason)}") from None


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "error"
    return re.sub(r"\s+", " ", line)[:300]
