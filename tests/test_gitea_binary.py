"""BinaryGitea: a real ``gitea web`` child, its lifetime, restarts, secrets and environment."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pytest_gitenv.gitea import BinaryGitea, ExternalGitea, GiteaClient, GiteaUnavailable
from pytest_gitenv.gitea.install import GITEA_VERSION
from pytest_gitenv.gitea.launcher import is_healthy

pytestmark = pytest.mark.gitea

pytest_plugins = ["tests.gitea_fixtures"]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); it is dead for our purposes
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_healthy_and_token_works(binary_gitea: BinaryGitea) -> None:
    assert binary_gitea.healthy()
    assert binary_gitea.url.startswith("http://127.0.0.1:")
    resp = requests.get(
        binary_gitea.url + "api/v1/user",
        headers={"Authorization": f"token {binary_gitea.token}"},
        timeout=10,
    )
    assert resp.status_code == 200
    assert resp.json()["login"] == binary_gitea.admin_user
    assert resp.json()["is_admin"] is True
    assert binary_gitea.start() is binary_gitea  # idempotent


def test_cold_start_time_is_reported(
    binary_gitea: BinaryGitea,
    gitea_api: GiteaClient,
    record_property: pytest.RecordProperty,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seconds = binary_gitea.startup_seconds
    assert seconds is not None and seconds < 60
    assert gitea_api.version() == GITEA_VERSION
    record_property("gitea_cold_start_seconds", round(seconds, 2))
    with capsys.disabled():
        print(f"\n[gitea {GITEA_VERSION}] cold start (migrate+admin+token+healthy): {seconds:.2f}s")


def test_secrets_stay_out_of_reprs_and_logs(binary_gitea: BinaryGitea) -> None:
    state = json.loads((binary_gitea.data_dir / "gitenv-state.json").read_text())
    password, token = state["admin_password"], binary_gitea.token
    assert len(password) >= 8 and len(token) == 40
    texts = [repr(binary_gitea), str(binary_gitea), repr(GiteaClient(binary_gitea.url, token))]
    for log in (binary_gitea.data_dir / "log").iterdir():
        texts.append(log.read_text(errors="replace"))
    for text in texts:
        assert password not in text and token not in text
    assert (binary_gitea.data_dir / "gitenv-state.json").stat().st_mode & 0o077 == 0
    assert (binary_gitea.data_dir / "app.ini").stat().st_mode & 0o077 == 0


def test_kill_9_then_restart_keeps_data(
    binary_gitea: BinaryGitea,
    gitea_api: GiteaClient,
) -> None:
    gitea_api.ensure_org("survivors")
    gitea_api.create_repo("kept", owner="survivors")
    url, old_pid = binary_gitea.url, binary_gitea.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    assert _wait_gone(old_pid)
    assert not binary_gitea.healthy(timeout=1)
    with pytest.raises(GiteaUnavailable):
        gitea_api.list_repos("survivors")
    binary_gitea.restart()
    assert binary_gitea.url == url and binary_gitea.pid not in (None, old_pid)
    assert [r["name"] for r in gitea_api.list_repos("survivors")] == ["kept"]  # same token


def test_child_dies_with_the_test_process(gitea_binary: Path, tmp_path: Path) -> None:
    """PR_SET_PDEATHSIG: SIGKILL the Python process that started Gitea; Gitea goes too."""
    script = (
        "import sys, time\n"
        "from pytest_gitenv.gitea import BinaryGitea\n"
        f"s = BinaryGitea({str(gitea_binary)!r}, data_dir={str(tmp_path / 'data')!r}).start()\n"
        "print(s.pid, s.url, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pid_text, url = parent.stdout.readline().split()
        child = int(pid_text)
        assert _pid_alive(child) and is_healthy(url)
    finally:
        parent.kill()
        parent.wait()
    assert _wait_gone(child), "gitea outlived the process that started it"
    assert not is_healthy(url, timeout=1)


def test_fresh_server_clean_env_stop_and_persistent_data(
    gitea_binary: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITENV_PLANTED_SECRET", "do-not-leak")
    data = tmp_path / "data"
    with BinaryGitea(gitea_binary, data_dir=data) as server:
        pid = server.pid
        assert pid is not None
        environ = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
        env = dict(item.split("=", 1) for item in environ if "=" in item)
        assert "GITENV_PLANTED_SECRET" not in env
        assert set(env) <= {"PATH", "HOME", "USER", "LANG", "TMPDIR", "GITEA_WORK_DIR",
                            "GIT_CONFIG_NOSYSTEM"}  # fmt: skip
        assert Path(env["HOME"]).is_relative_to(data)
        GiteaClient(server.url, server.token).create_repo("persisted")
        first_token = server.token
        admin = server.admin_user
    assert _wait_gone(pid)
    assert data.is_dir()  # a given data_dir is kept
    with BinaryGitea(gitea_binary, data_dir=data) as again:
        assert again.token != first_token
        api = GiteaClient(again.url, again.token)
        assert api.get_repo(admin, "persisted") is not None


def test_temporary_data_dir_is_removed_on_stop(gitea_binary: Path) -> None:
    server = BinaryGitea(gitea_binary).start()
    data, pid = server.data_dir, server.pid
    assert pid is not None
    server.stop()
    server.stop()  # idempotent
    assert _wait_gone(pid) and not data.exists()


def test_serve_gitea_cli_runs_until_sigterm(
    gitea_binary: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`gitenv serve-gitea` prints the URL, writes a .env that ExternalGitea reads, stops on SIGTERM."""
    for key in ("GITEA_URL", "GITEA_TOKEN", "GITEA_USERNAME", "GITEA_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    env_file = tmp_path / "gitea.env"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest_gitenv.cli", "serve-gitea", "--env-file", str(env_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and is_healthy(url)
        assert env_file.stat().st_mode & 0o077 == 0
        with ExternalGitea(env_file=env_file) as external:
            assert external.url == url
            assert GiteaClient(url, external.token).whoami()["login"] == external.admin_user
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert not is_healthy(url, timeout=1)
    token = env_file.read_text().split("GITEA_TOKEN=")[1].strip()
    assert token not in out + err


def test_start_replaces_a_frozen_server(gitea_binary: Path) -> None:
    with BinaryGitea(gitea_binary, stop_timeout=1) as server:
        frozen = server.pid
        assert frozen is not None
        os.kill(frozen, signal.SIGSTOP)
        assert not server.healthy(timeout=0.5)
        assert server.start() is server  # SIGTERM is ignored while stopped: SIGKILL after 1 s
        assert _wait_gone(frozen) and server.pid not in (None, frozen) and server.healthy()


def test_failed_start_is_clear_and_leaves_nothing(gitea_binary: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        server = BinaryGitea(gitea_binary, port=taken.getsockname()[1], startup_timeout=30)
        started = time.monotonic()
        with pytest.raises(GiteaUnavailable, match="address already in use") as info:
            server.start()
    assert "failed before becoming healthy" in str(info.value)
    assert time.monotonic() - started < 15  # noticed from its output, not by timing out
    assert server.pid is None and server._data_dir is None  # temporary dir removed
