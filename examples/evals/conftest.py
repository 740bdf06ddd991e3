"""Evaluation suite setup: build the sample repositories that tasks.yaml points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_gitenv.samples import make_samples

EXAMPLES = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    make_samples(EXAMPLES / "repos")  # no-op once built
    if not config.getoption("gitenv_tasks") and not config.getini("gitenv_tasks"):
        config.option.gitenv_tasks = str(EXAMPLES.parent / "tasks.yaml")
