"""Render a headless Gitea ``app.ini`` (shared by the binary and container launchers)."""

from __future__ import annotations

import secrets

__all__ = ["generate_secret", "render_app_ini"]


def generate_secret(nbytes: int = 32) -> str:
    """A random URL-safe secret for SECRET_KEY / INTERNAL_TOKEN / passwords."""
    return secrets.token_urlsafe(nbytes)


def render_app_ini(
    *,
    app_data_path: str,
    repo_root: str,
    http_port: int,
    root_url: str,
    run_user: str,
    secret_key: str,
    internal_token: str,
    static_root: str | None = None,
    http_addr: str = "127.0.0.1",
    allow_root: bool = False,
) -> str:
    """Return app.ini text for an install-locked, offline, sqlite-backed Gitea.

    Paths are written as given, so a container launcher passes paths inside the container.
    ``allow_root`` sets Gitea's explicit override for running as uid 0.
    """
    top = ["APP_NAME = pytest-gitenv", f"RUN_USER = {run_user}", "RUN_MODE = prod"]
    if allow_root:
        top.insert(0, "I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true")
    server = [
        f"APP_DATA_PATH = {app_data_path}",
        "PROTOCOL = http",
        f"HTTP_ADDR = {http_addr}",
        f"HTTP_PORT = {http_port}",
        f"ROOT_URL = {root_url}",
        "DISABLE_SSH = true",
        "START_SSH_SERVER = false",
        "OFFLINE_MODE = true",
        "LFS_START_SERVER = false",
    ]
    if static_root:
        server.append(f"STATIC_ROOT_PATH = {static_root}")
    sections: dict[str, list[str]] = {
        "server": server,
        "database": [
            "DB_TYPE = sqlite3",
            f"PATH = {app_data_path}/gitea.db",
            "SQLITE_JOURNAL_MODE = WAL",
            "SQLITE_TIMEOUT = 5000",
            "LOG_SQL = false",
        ],
        "repository": [
            f"ROOT = {repo_root}",
            "ENABLE_PUSH_CREATE_USER = true",
            "ENABLE_PUSH_CREATE_ORG = true",
            "DEFAULT_BRANCH = main",
        ],
        "security": [
            "INSTALL_LOCK = true",
            f"SECRET_KEY = {secret_key}",
            f"INTERNAL_TOKEN = {internal_token}",
            "IMPORT_LOCAL_PATHS = true",
        ],
        "service": [
            "DISABLE_REGISTRATION = true",
            "REQUIRE_SIGNIN_VIEW = false",
            "ENABLE_NOTIFY_MAIL = false",
            "DEFAULT_KEEP_EMAIL_PRIVATE = true",
        ],
        "mailer": ["ENABLED = false"],
        "migrations": ["ALLOW_LOCALNETWORKS = true"],
        "api": ["MAX_RESPONSE_ITEMS = 50", "DEFAULT_PAGING_NUM = 30"],
        "log": ["MODE = file", "LEVEL = Warn", f"ROOT_PATH = {app_data_path}/log"],
        "session": ["PROVIDER = memory"],
        "cron": ["ENABLED = false"],
        "cron.update_checker": ["ENABLED = false"],
        "actions": ["ENABLED = false"],
        "indexer": ["ISSUE_INDEXER_TYPE = db", "REPO_INDEXER_ENABLED = false"],
        "other": ["SHOW_FOOTER_VERSION = false"],
    }
    lines = [*top, ""]
    for name, keys in sections.items():
        lines += [f"[{name}]", *keys, ""]
    return "\n".join(lines)
