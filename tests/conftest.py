"""Shared test helpers: skip-or-fail for real services, sample repositories."""

from __future__ import annotations

import os

import pytest


def require(service: str, reason: str) -> None:
    """Skip when `service` is missing; fail instead when GITENV_REQUIRE names it (CI).

    GITENV_REQUIRE is a comma list such as ``gitea,docker``.
    """
    demanded = {s.strip() for s in os.environ.get("GITENV_REQUIRE", "").split(",") if s.strip()}
    if service in demanded:
        pytest.fail(f"{service} is required here (GITENV_REQUIRE) but unavailable: {reason}")
    pytest.skip(f"{service} unavailable: {reason}")
