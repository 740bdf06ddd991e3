"""Run a real ``gitea web`` as a child process on 127.0.0.1 (the "binary" backend).

Root: Gitea refuses uid 0. When we run as root we write Gitea's explicit override
``I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true`` (with ``RUN_USER = root``) instead of switching
to an unprivileged user. Switching would mean creating a system user on the host
(``useradd``), chown-ing the cache, data and every repository a test hands to Gitea (local
``clone_addr`` migrations read the caller's files), and the test process could then no
longer read Gitea's repositories directly. The server listens on 127.0.0.1 only, has no
SSH, no registration, no mail, and lives only as long as the test run, so the override's
risk is small and confined to the environments (containers, CI) that already run as root.

Lifetime: the child gets its own process group and ``PR_SET_PDEATHSIG=SIGKILL``, so a
killed pytest takes Gitea down with it (set only when started from the main thread: the
kernel fires it when the forking *thread* exits; an atexit hook covers the rest).
``stop()`` sends SIGTERM to the group, SIGKILL after a timeout, and waits. The child's
environment is built from scratch (PATH, USER, LANG, HOME and TMPDIR inside the data dir,
no system git config), so no secrets are inherited.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .appini import generate_secret, render_app_ini
from .install import ensure_gitea, static_root_for
from .launcher import GiteaServer, GiteaUnavailable, wait_healthy

__all__ = ["BinaryGitea", "free_port"]

_PR_SET_PDEATHSIG = 1
_STATE_FILE = "gitenv-state.json"  # secrets + admin credentials, mode 0600
_FATAL_MARKERS = ("Command error:", "Failed to start server:", "[F] ")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _death_signal_hook() -> Callable[[], None] | None:
    """A preexec_fn that SIGKILLs the child when this process dies (main thread only:
    the kernel sends PDEATHSIG when the *thread* that forked exits)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()

    def hook() -> None:  # runs in the child between fork and exec
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


class BinaryGitea(GiteaServer):
    """A private Gitea: ``gitea web`` on a free 127.0.0.1 port with its own data dir.

    ``data_dir=None`` uses a temporary directory that ``stop()`` deletes; a given
    ``data_dir`` is kept and reused (same admin, new token per instance).
    ``startup_seconds`` holds the last start's time from ``start()`` to healthy + token.
    """

    def __init__(
        self,
        binary: str | os.PathLike[str] | None = None,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        port: int | None = None,
        admin_user: str = "gitenv-admin",
        startup_timeout: float = 90.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self._binary = Path(binary) if binary else None
        self._data_dir = Path(data_dir).resolve() if data_dir else None
        self._own_dir = data_dir is None
        self._port = port
        self.admin_user = admin_user
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.url = ""
        self.token = ""
        self.startup_seconds: float | None = None
        self._password = ""
        self._proc: subprocess.Popen[bytes] | None = None
        atexit.register(self._terminate)  # a library user who forgets stop()

    # -- public -----------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The data directory (app.ini, sqlite db, repositories, logs)."""
        if self._data_dir is None:
            raise GiteaUnavailable("BinaryGitea has no data directory before start()")
        return self._data_dir

    @property
    def pid(self) -> int | None:
        """The ``gitea web`` process id while it runs."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def start(self) -> BinaryGitea:
        if self.pid is not None and self.healthy():
            return self
        self._terminate()  # a hung or dead previous process
        if self._binary is None:
            self._binary = ensure_gitea()
        try:
            self._start()
        except BaseException:
            self.stop()  # no stray process or temporary directory after a failed start
            raise
        return self

    def _start(self) -> None:
        t0 = time.monotonic()
        if self._data_dir is None:
            self._data_dir = Path(tempfile.mkdtemp(prefix="gitenv-gitea-"))
        auto_port = self._port is None
        if self._port is None:
            self._port = free_port()
        self.url = f"http://127.0.0.1:{self._port}/"
        state = self._prepare()
        self._password = state["admin_password"]
        if not self.token:
            out = self._cli(
                "admin", "user", "generate-access-token", "--username", self.admin_user,
                "--token-name", f"gitenv-{generate_secret(6)}", "--scopes", "all", "--raw",
            )  # fmt: skip
            match = re.search(r"^([0-9a-f]{40})$", out, re.M)  # stdout also carries log lines
            if not match:
                raise GiteaUnavailable("`gitea admin user generate-access-token` printed no token")
            self.token = match.group(1)
        try:
            self._spawn()
        except GiteaUnavailable as exc:
            if not (auto_port and "address already in use" in str(exc)):
                raise
            self._port = free_port()  # lost the race for the port: once more on a new one
            self.url = f"http://127.0.0.1:{self._port}/"
            self._prepare()
            self._spawn()
        self.startup_seconds = time.monotonic() - t0

    def stop(self) -> None:
        self._terminate()
        if self._own_dir and self._data_dir is not None:
            shutil.rmtree(self._data_dir, ignore_errors=True)
            self._data_dir = None
            self.token = ""
            self._port = None

    def restart(self) -> BinaryGitea:
        """Stop the process (dead or alive) and start it again on the same port and data."""
        if self._data_dir is None or not self.url:
            return self.start()
        self._terminate()
        t0 = time.monotonic()
        self._spawn()
        self.startup_seconds = time.monotonic() - t0
        return self

    # -- internals --------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        home = self.data_dir / "home"
        home.mkdir(exist_ok=True)
        return {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": str(home),
            "USER": _run_user(),
            "LANG": "C.UTF-8",
            "TMPDIR": str(self.data_dir / "tmp"),
            "GITEA_WORK_DIR": str(self.data_dir),
            "GIT_CONFIG_NOSYSTEM": "1",
        }

    def _cli(self, *args: str) -> str:
        argv = [str(self._binary), *args, "--config", str(self.data_dir / "app.ini")]
        argv += ["--work-path", str(self.data_dir)]
        try:
            proc = subprocess.run(argv, env=self._env(), capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise GiteaUnavailable(f"`gitea {' '.join(args[:3])}` timed out") from None
        if proc.returncode != 0:
            out = _redact(proc.stdout + proc.stderr, self._password)
            raise GiteaUnavailable(f"`gitea {' '.join(args[:3])}` failed: {out[-1500:]}")
        return proc.stdout

    def _prepare(self) -> dict[str, str]:
        """Write app.ini; on a new data dir also migrate and create the admin user."""
        data = self.data_dir
        for sub in ("tmp", "log", "repos"):
            (data / sub).mkdir(parents=True, exist_ok=True)
        state_file = data / _STATE_FILE
        fresh = not state_file.exists()
        state: dict[str, str] = (
            {"secret_key": generate_secret(), "internal_token": generate_secret(48)}
            if fresh
            else json.loads(state_file.read_text())
        )
        static = static_root_for(self._binary) if self._binary else None
        ini = render_app_ini(
            app_data_path=str(data),
            repo_root=str(data / "repos"),
            http_port=int(self._port or 0),
            root_url=self.url,
            run_user=_run_user(),
            secret_key=state["secret_key"],
            internal_token=state["internal_token"],
            static_root=str(static) if static else None,
            allow_root=os.geteuid() == 0,
        )
        _write_private(data / "app.ini", ini)
        if fresh:
            self._cli("migrate")
            out = self._cli(
                "admin", "user", "create", "--admin", "--username", self.admin_user,
                "--email", f"{self.admin_user}@gitenv.invalid", "--random-password",
                "--must-change-password=false",
            )  # fmt: skip
            match = re.search(r"generated random password is '([^']+)'", out)
            if not match:
                raise GiteaUnavailable("`gitea admin user create` printed no password")
            state["admin_password"] = match.group(1)
            _write_private(state_file, json.dumps(state))
        return state

    def _spawn(self) -> None:
        logs = [self.data_dir / "log" / name for name in ("stdout.log", "gitea.log")]
        offsets = [path.stat().st_size if path.exists() else 0 for path in logs]
        with open(logs[0], "ab") as out:
            self._proc = subprocess.Popen(
                [str(self._binary), "web", "--config", str(self.data_dir / "app.ini"),
                 "--work-path", str(self.data_dir)],
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
                preexec_fn=_death_signal_hook(),
            )  # fmt: skip
        proc = self._proc

        def output() -> str:
            return "".join(_read_from(path, offset) for path, offset in zip(logs, offsets, strict=True))

        def running() -> bool:  # `gitea web` stays up after failing to listen
            return proc.poll() is None and not any(m in output() for m in _FATAL_MARKERS)

        try:
            wait_healthy(self.url, self.startup_timeout, alive=running)
        except GiteaUnavailable as exc:
            self._terminate()
            tail = "\n".join(output().splitlines()[-20:])
            raise GiteaUnavailable(f"{exc}; its output ends with:\n{_redact(tail, self._password)}") from None

    def _terminate(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        with contextlib.suppress(ProcessLookupError):  # git children left in the group
            os.killpg(proc.pid, signal.SIGKILL)


def _run_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _redact(text: str, *secrets: str) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"(password is ')[^']*'", r"\1***'", text)


def _read_from(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")
    except OSError:
        return ""
