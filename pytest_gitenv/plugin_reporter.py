"""Where the run is summarized (the only process, or the xdist controller): episodes in, table and JSON out."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_gitenv.plugin_session import SESSION_KEY, USAGE_PREFIX, GitenvUsageError
from pytest_gitenv.report import table, write_json


class EpisodeReporter:
    """Gathers the episode records that teardown reports carry, from every xdist worker."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.episodes: list[dict[str, Any]] = []
        self.backend: dict[str, str] | None = None
        self.written: str | None = None
        self.usage_error = False

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Remember the plugin's own collection error (from this process or any xdist worker)."""
        if report.failed and str(report.longrepr).startswith(USAGE_PREFIX):
            self.usage_error = True

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        records = getattr(report, "gitenv_episodes", None)
        if records:
            self.episodes.extend(records)
            self.backend = report.gitenv_backend  # type: ignore[attr-defined]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Exit 4 after a gitenv usage error; write ``--gitenv-report`` (before the terminal summary)."""
        if self.usage_error:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        try:
            settings = self.config.stash[SESSION_KEY].settings
        except GitenvUsageError:
            return
        if settings.report is not None:
            write_json(settings.report, self.episodes, self.backend, settings.tasks_path)
            self.written = str(settings.report)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.episodes:
            return
        terminalreporter.write_sep("=", "gitenv episodes")
        if self.backend:
            terminalreporter.write_line(f"backend: {self.backend['name']} - {self.backend['reason']}")
        for line in table(self.episodes):
            terminalreporter.write_line(line)
        if self.written:
            terminalreporter.write_line(f"report: {self.written}")
