"""A small Gitea REST client on requests: repos, orgs, users, migrations.

Every request has a timeout; an unreachable server raises GiteaUnavailable quickly and an
error answer raises GiteaError (method, endpoint, status, Gitea's message; never the token).
"""

from __future__ import annotations

from typing import Any

import requests

from .launcher import (
    START_HINT,
    GiteaError,
    GiteaUnavailable,
    error_message,
    http_session,
    normalize_url,
)

__all__ = ["GiteaClient", "GiteaError", "GiteaUnavailable"]

PAGE_SIZE = 50  # Gitea's default [api] MAX_RESPONSE_ITEMS


class GiteaClient:
    """REST calls against ``url`` authenticated with an API ``token``."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        if not token or any(ch.isspace() for ch in token):
            raise ValueError("GiteaClient needs a non-empty API token without whitespace")
        self.url = normalize_url(url)
        self.timeout = timeout
        self._session = http_session(self.url)
        self._session.headers["Authorization"] = f"token {token}"
        self._session.headers["Accept"] = "application/json"

    def __repr__(self) -> str:
        return f"GiteaClient(url={self.url!r})"

    def _request(
        self,
        method: str,
        endpoint: str,
        *,
        ok: tuple[int, ...] = (200, 201, 204),
        timeout: float | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        wait = timeout or self.timeout
        try:
            resp = self._session.request(
                method, self.url + endpoint.lstrip("/"), timeout=(min(wait, 5.0), wait), **kwargs
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            reason = type(exc).__name__
            raise GiteaUnavailable(
                f"Gitea at {self.url.rstrip('/')} is not answering ({method} {endpoint}: {reason}): {START_HINT}"
            ) from None
        if resp.status_code not in ok:
            raise GiteaError(method, endpoint, resp.status_code, error_message(resp))
        return resp

    def _json(self, method: str, endpoint: str, **kwargs: Any) -> Any:
        return self._request(method, endpoint, **kwargs).json()

    def _get_or_none(self, endpoint: str) -> dict[str, Any] | None:
        resp = self._request("GET", endpoint, ok=(200, 404))
        return None if resp.status_code == 404 else dict(resp.json())

    def _paged(self, endpoint: str) -> list[dict[str, Any]]:
        """All items of a paged list: follow Link rel=next, else page until an empty page."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            resp = self._request("GET", endpoint, params={"page": page, "limit": PAGE_SIZE})
            batch = resp.json()
            items.extend(batch)
            has_next = "next" in resp.links if "Link" in resp.headers else bool(batch)
            if not has_next:
                return items
            page += 1

    # -- server / users -----------------------------------------------------------------

    def version(self) -> str:
        """Gitea's version string."""
        return str(self._json("GET", "/api/v1/version")["version"])

    def whoami(self) -> dict[str, Any]:
        """The token's user (``GET /api/v1/user``)."""
        return dict(self._json("GET", "/api/v1/user"))

    def create_user(self, username: str, email: str, password: str, *, admin: bool = False) -> dict[str, Any]:
        """Create a user (needs an admin token); it does not have to change its password."""
        user = dict(
            self._json(
                "POST",
                "/api/v1/admin/users",
                json={
                    "username": username,
                    "email": email,
                    "password": password,
                    "must_change_password": False,
                },
            )
        )
        if admin:
            self._request(
                "PATCH",
                f"/api/v1/admin/users/{username}",
                json={"admin": True, "login_name": username, "source_id": 0},
            )
        return user

    # -- organizations ------------------------------------------------------------------

    def create_org(self, name: str, *, description: str = "") -> dict[str, Any]:
        """Create an organization owned by the token's user."""
        body = {"username": name, "description": description, "visibility": "public"}
        return dict(self._json("POST", "/api/v1/orgs", json=body))

    def ensure_org(self, name: str, *, description: str = "") -> dict[str, Any]:
        """The organization ``name``, created if missing."""
        return self._get_or_none(f"/api/v1/orgs/{name}") or self.create_org(name, description=description)

    # -- repositories -------------------------------------------------------------------

    def list_repos(self, owner: str | None = None) -> list[dict[str, Any]]:
        """Every repository of ``owner`` (user or org), or every one the token can see."""
        if owner is None:
            return self._paged("/api/v1/user/repos")
        return self._paged(f"/api/v1/users/{owner}/repos")

    def get_repo(self, owner: str, name: str) -> dict[str, Any] | None:
        """The repository, or None when it does not exist."""
        return self._get_or_none(f"/api/v1/repos/{owner}/{name}")

    def create_repo(
        self, name: str, *, owner: str | None = None, private: bool = False, description: str = ""
    ) -> dict[str, Any]:
        """Create an empty repository for the token's user, or in organization ``owner``."""
        endpoint = f"/api/v1/orgs/{owner}/repos" if owner else "/api/v1/user/repos"
        body = {"name": name, "private": private, "description": description}
        return dict(self._json("POST", endpoint, json=body))

    def migrate_repo(
        self,
        clone_addr: str,
        owner: str,
        name: str,
        description: str = "",
        private: bool = False,
        mirror: bool = False,
        *,
        timeout: float = 300.0,
    ) -> dict[str, Any]:
        """Import a repository from a URL or (admin + IMPORT_LOCAL_PATHS) a local path."""
        body = {
            "clone_addr": clone_addr,
            "repo_owner": owner,
            "repo_name": name,
            "description": description,
            "private": private,
            "mirror": mirror,
            "service": "git",
        }
        return dict(self._json("POST", "/api/v1/repos/migrate", json=body, timeout=timeout))

    def delete_repo(self, owner: str, name: str) -> bool:
        """Delete a repository; False when it did not exist."""
        resp = self._request("DELETE", f"/api/v1/repos/{owner}/{name}", ok=(204, 404))
        return resp.status_code == 204
