"""Getting a Gitea binary: cache location, caching, the CLI, and a clear failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_gitenv.gitea import install
from pytest_gitenv.gitea.appini import generate_secret, render_app_ini
from pytest_gitenv.gitea.binary import free_port
from pytest_gitenv.gitea.launcher import GiteaUnavailable

REPO = Path(__file__).resolve().parents[1]

pytest_plugins = ["tests.gitea_fixtures"]


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GITENV_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert install.cache_dir() == tmp_path / "home" / ".cache" / "pytest-gitenv"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert install.cache_dir() == tmp_path / "xdg" / "pytest-gitenv"
    monkeypatch.setenv("GITENV_CACHE_DIR", str(tmp_path / "own"))
    assert install.gitea_dir("1.2.3") == tmp_path / "own" / "gitea" / "1.2.3"


def test_app_ini_is_headless_and_complete() -> None:
    ini = render_app_ini(
        app_data_path="/d", repo_root="/d/repos", http_port=4321, root_url="http://127.0.0.1:4321/",
        run_user="git", secret_key=generate_secret(), internal_token=generate_secret(),
        static_root="/src", allow_root=True,
    )  # fmt: skip
    head = ini.split("[", 1)[0]
    assert "I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true" in head
    assert "RUN_USER = git" in head
    for line in (
        "INSTALL_LOCK = true", "SQLITE_JOURNAL_MODE = WAL", "DISABLE_SSH = true",
        "OFFLINE_MODE = true", "DISABLE_REGISTRATION = true", "IMPORT_LOCAL_PATHS = true",
        "ALLOW_LOCALNETWORKS = true", "ENABLE_PUSH_CREATE_USER = true",
        "MAX_RESPONSE_ITEMS = 50", "HTTP_ADDR = 127.0.0.1", "HTTP_PORT = 4321",
        "STATIC_ROOT_PATH = /src", "LEVEL = Warn",
    ):  # fmt: skip
        assert line in ini.splitlines(), line
    assert "[mailer]\nENABLED = false" in ini
    unsafe = render_app_ini(
        app_data_path="/d", repo_root="/r", http_port=1, root_url="u", run_user="u",
        secret_key="s", internal_token="t",
    )  # fmt: skip
    assert "I_AM_BEING_UNSAFE" not in unsafe
    assert generate_secret() != generate_secret()


def test_download_failure_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Go and no reachable download: a quick error naming the ways out (no live download)."""
    monkeypatch.setenv("GITENV_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(install, "DOWNLOAD_URL", f"http://127.0.0.1:{free_port()}/{{v}}/{{arch}}")
    assert install.find_gitea("9.9.9") is None
    lines: list[str] = []
    started = time.monotonic()
    with pytest.raises(GiteaUnavailable) as info:
        install.ensure_gitea("9.9.9", progress=lines.append)
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert "Install Go" in message and "install_gitea.sh" in message
    assert str(tmp_path / "gitea" / "9.9.9" / "gitea") in message
    assert any("go not found" in line for line in lines)
    assert not (tmp_path / "gitea" / "9.9.9" / "gitea").exists()


@pytest.mark.gitea
def test_second_ensure_is_fast_and_cached(gitea_binary: Path) -> None:
    lines: list[str] = []
    started = time.monotonic()
    again = install.ensure_gitea(progress=lines.append)
    elapsed = time.monotonic() - started
    assert again == gitea_binary
    assert elapsed < 5, f"cached ensure_gitea took {elapsed:.1f}s"
    assert install.binary_version(again) == install.GITEA_VERSION
    assert install.find_gitea() == gitea_binary
    assert len(lines) == 1 and "using" in lines[0] and "s]" in lines[0]


@pytest.mark.gitea
def test_install_script_prints_the_binary_path(gitea_binary: Path) -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    proc = subprocess.run(
        [str(REPO / "scripts" / "install_gitea.sh"), "--quiet"],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    assert proc.stdout.strip() == str(gitea_binary)
    assert proc.stderr == ""


@pytest.mark.gitea
def test_parallel_installs_build_once(gitea_binary: Path, tmp_path: Path) -> None:
    """Two processes on an empty cache: one builds (Go's caches are warm), the other waits."""
    if shutil.which("go") is None:
        pytest.skip("needs go on PATH to build")
    env = {**os.environ, "GITENV_CACHE_DIR": str(tmp_path)}
    argv = [sys.executable, "-m", "pytest_gitenv.cli", "install-gitea"]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    target = tmp_path / "gitea" / install.GITEA_VERSION / "gitea"
    assert {out.strip() for out, _ in outputs} == {str(target)}
    logs = [err for _, err in outputs]
    assert sum("building" in log for log in logs) == 1, logs
    assert sum("using cached" in log for log in logs) == 1, logs
    assert install.binary_version(target) == install.GITEA_VERSION
