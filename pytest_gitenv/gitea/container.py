"""Run Gitea in a Docker container with testcontainers (the "container" backend).

Image: ``image=`` if given, else ``$GITENV_GITEA_IMAGE``, else the locally built
``pytest-gitenv/gitea:<version>`` (``scripts/build_gitea_image.sh``) when the engine has it,
else the official ``gitea/gitea:<version>`` (needs a registry). Both run Gitea as uid 1000
with ``/usr/local/bin/gitea`` and pass a given command through their entrypoint, so the same
start sequence works for either.

Start sequence (all as the unprivileged uid 1000, never root):

1. create + start the container with a tiny shell loop as its command that waits for
   ``/etc/gitea/.ready``; the port 3000 is published on ``127.0.0.1`` only, on a free host
   port picked beforehand so that ``ROOT_URL`` (and so every ``clone_url``) is right;
2. copy ``app.ini`` (secrets inside, mode 0600, owned by uid 1000) into the container with
   ``put_archive``: nothing secret is in the container's command, environment or labels;
3. the loop then runs ``gitea migrate`` and ``exec gitea web`` (docker-init reaps git
   children); testcontainers' ``HttpWaitStrategy`` waits for ``/api/healthz``, failing fast
   when the container exits;
4. ``docker exec`` ``gitea admin user create --random-password --access-token`` makes the
   admin and an all-scopes token; the password and token are kept in memory only.

``stop()`` removes the container and its anonymous volumes. testcontainers' Ryuk reaper is
pulled from Docker Hub, so when its image is not present locally it is disabled; instead an
``atexit`` hook removes containers this process forgot to stop, and each start removes the
containers of processes that died without stopping theirs (``reap_orphans``: containers are
labelled with the owner's pid and boot id).

The published port is bound on 127.0.0.1 of the Docker host: this backend expects a local
engine (the unix socket), not a remote ``DOCKER_HOST``.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import re
import tarfile
import threading
import time
from typing import Any

from pytest_gitenv.processes import pid_alive

from .appini import generate_secret, render_app_ini
from .install import GITEA_VERSION
from .launcher import GiteaServer, GiteaUnavailable, wait_healthy

__all__ = [
    "LOCAL_IMAGE",
    "OFFICIAL_IMAGE",
    "ContainerGitea",
    "default_image",
    "docker_available",
    "reap_orphans",
]

LOCAL_IMAGE = "pytest-gitenv/gitea"
OFFICIAL_IMAGE = "gitea/gitea"
LABEL_NS = "io.github.pytest-gitenv"
START_DOCKER_HINT = "start one with `sudo scripts/start_dockerd.sh`"
BUILD_IMAGE_HINT = "build it with `scripts/build_gitea_image.sh`"

GITEA_PORT = 3000
UID = 1000
CONF_DIR = "/etc/gitea"
APP_INI = f"{CONF_DIR}/app.ini"
READY_FLAG = f"{CONF_DIR}/.ready"
WORK_DIR = "/var/lib/gitea"
DATA_DIR = f"{WORK_DIR}/data"
REPO_DIR = f"{WORK_DIR}/repos"
GITEA_BIN = "/usr/local/bin/gitea"

# Waits (bounded) for the launcher to copy app.ini in, then migrates and becomes `gitea web`.
_BOOT_SCRIPT = f"""\
i=0
while [ ! -e {READY_FLAG} ]; do
  i=$((i+1)); [ $i -gt 1200 ] && {{ echo "gitenv: no app.ini after 60s" >&2; exit 3; }}
  sleep 0.05
done
{GITEA_BIN} migrate --config {APP_INI} --work-path {WORK_DIR} || exit 4
exec {GITEA_BIN} web --config {APP_INI} --work-path {WORK_DIR}
"""
_ENV = {"USER": "git", "HOME": WORK_DIR, "GITEA_WORK_DIR": WORK_DIR, "LANG": "C.UTF-8"}

_live: set[ContainerGitea] = set()
_live_lock = threading.Lock()


def _docker_client(**kwargs: Any) -> Any:
    """A docker SDK client that has answered a ping, else GiteaUnavailable."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - docker is a testcontainers dependency
        raise GiteaUnavailable(f"the `docker` Python package is missing ({exc})") from None
    try:
        client = docker.from_env(timeout=kwargs.pop("timeout", 10), **kwargs)
        client.ping()
    except Exception as exc:
        where = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
        raise GiteaUnavailable(
            f"no Docker engine answers at {where} ({type(exc).__name__}); {START_DOCKER_HINT}"
        ) from None
    return client


def docker_available() -> bool:
    """True when a Docker engine answers."""
    try:
        _docker_client().close()
    except GiteaUnavailable:
        return False
    return True


def _image_exists(client: Any, name: str) -> bool:
    import docker.errors

    try:
        client.images.get(name)
    except docker.errors.ImageNotFound:
        return False
    return True


def default_image(version: str = GITEA_VERSION, client: Any | None = None) -> str:
    """``$GITENV_GITEA_IMAGE``, else the local build if present, else the official image."""
    if env := os.environ.get("GITENV_GITEA_IMAGE"):
        return env
    local = f"{LOCAL_IMAGE}:{version}"
    own = client is None
    client = client or _docker_client()
    try:
        return local if _image_exists(client, local) else f"{OFFICIAL_IMAGE}:{version}"
    finally:
        if own:
            client.close()


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def reap_orphans(client: Any) -> list[str]:
    """Remove Gitea containers whose owning process (on this host, this boot) is gone.

    Stands in for testcontainers' Ryuk (which needs a registry): a test run killed with
    SIGKILL leaves its containers behind, and the next ContainerGitea start removes them.
    Containers of live processes (e.g. other xdist workers) are left alone.
    """
    removed = []
    boot = _boot_id()
    for container in client.containers.list(all=True, filters={"label": f"{LABEL_NS}.role=gitea"}):
        labels = container.labels or {}
        if labels.get(f"{LABEL_NS}.boot") != boot:
            continue  # another host or an earlier boot: not ours to judge by pid
        try:
            pid = int(labels.get(f"{LABEL_NS}.pid", ""))
        except ValueError:
            continue
        if pid != os.getpid() and not pid_alive(pid):
            with contextlib.suppress(Exception):
                container.remove(force=True, v=True)
                removed.append(str(container.id))
    return removed


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config_tar(app_ini: str) -> bytes:
    """A tar for put_archive("/"): config/data dirs and app.ini, owned by uid 1000."""
    buf = io.BytesIO()
    now = time.time()
    with tarfile.open(fileobj=buf, mode="w") as tar:

        def add(name: str, mode: int, data: bytes | None = None) -> None:
            info = tarfile.TarInfo(name.lstrip("/"))
            info.uid = info.gid = UID
            info.uname = info.gname = "git"
            info.mtime = int(now)
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

        for d in (CONF_DIR, WORK_DIR, DATA_DIR, f"{DATA_DIR}/log", REPO_DIR):
            add(d, 0o750)
        add(APP_INI, 0o600, app_ini.encode())
        add(READY_FLAG, 0o600, b"")  # last: the boot script starts once this exists
    return buf.getvalue()


def _redact(text: str, *secrets: str) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = re.sub(r"(password is ')[^']*'", r"\1***'", text)
    return re.sub(r"(successfully created\.\.\. )\S+", r"\1***", text)


def _exit_watching_http_wait(url: str, path: str, timeout: float) -> Any:
    """testcontainers' HttpWaitStrategy on ``url``, failing fast when the container exits.

    The URL is fixed (the 127.0.0.1 port we published) instead of testcontainers' guess: it
    treats any host with ``/.dockerenv`` as Docker-in-Docker and dials the bridge gateway,
    where a port published on 127.0.0.1 is not reachable.
    """
    from testcontainers.core.wait_strategies import HttpWaitStrategy

    class _Strategy(HttpWaitStrategy):
        def _build_url(self, container: Any) -> str:
            return url.rstrip("/") + path

        def _try_http_request(self, url: str, headers: dict[str, str], ssl_context: Any) -> bool:
            if self._target is not None:
                wrapped = self._target.get_wrapped_container()
                wrapped.reload()
                if wrapped.status in ("exited", "dead"):
                    raise _ContainerExited(wrapped.attrs.get("State", {}).get("ExitCode"))
            return bool(super()._try_http_request(url, headers, ssl_context))

        def wait_until_ready(self, container: Any) -> None:
            self._target = container
            super().wait_until_ready(container)

        _target: Any = None

    strategy = _Strategy(GITEA_PORT, path).for_status_code(200)
    strategy.with_startup_timeout(int(timeout))
    strategy.with_poll_interval(0.1)
    return strategy


class _ContainerExited(Exception):
    def __init__(self, code: Any) -> None:
        super().__init__(f"the container exited with status {code}")


class ContainerGitea(GiteaServer):
    """A private Gitea in a container, published on ``127.0.0.1:<free port>``.

    ``startup_seconds`` holds the last start's time from ``start()`` to healthy + token.
    """

    def __init__(
        self,
        image: str | None = None,
        *,
        version: str = GITEA_VERSION,
        port: int | None = None,
        admin_user: str = "gitenv-admin",
        startup_timeout: float = 120.0,
        docker_client_kw: dict[str, Any] | None = None,
    ) -> None:
        self.image = image
        self.version = version
        self.admin_user = admin_user
        self.startup_timeout = startup_timeout
        self.url = ""
        self.token = ""
        self.startup_seconds: float | None = None
        self._port = port
        self._fixed_port = port is not None
        self._password = ""
        self._docker_client_kw = dict(docker_client_kw or {})
        self._container: Any = None  # testcontainers DockerContainer

    # -- public -----------------------------------------------------------------------

    @property
    def container_id(self) -> str | None:
        """The Docker container id while it exists."""
        if self._container is None or self._container._container is None:
            return None
        return str(self._container.get_wrapped_container().id)

    @property
    def host_port(self) -> int | None:
        """The port on 127.0.0.1 that forwards to Gitea's 3000."""
        return self._port if self._container is not None else None

    def start(self) -> ContainerGitea:
        if self._container is not None and self.token and self.healthy():
            return self
        if self._container is not None:
            self.stop()
        t0 = time.monotonic()
        client = _docker_client(**self._docker_client_kw)
        try:
            image = self.image or default_image(self.version, client)
            labels = self._image_labels(client, image)
            self._disable_ryuk_if_unavailable(client)
            reap_orphans(client)
        finally:
            client.close()
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            port = self._port if self._fixed_port else _free_port()
            try:
                self._start_container(image, int(port or 0), labels)
                break
            except _PortTaken:
                self._discard()
                if attempt == attempts - 1:
                    raise GiteaUnavailable(f"host port 127.0.0.1:{port} is taken") from None
            except BaseException:
                self._discard()  # a created-but-not-started container must not linger
                raise
        try:
            self._boot(labels)
        except BaseException:
            self._discard()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        self._discard()
        self.token = ""
        self._password = ""
        self.url = ""
        if not self._fixed_port:
            self._port = None

    def logs(self, lines: int = 40) -> str:
        """The tail of Gitea's own log and the container output, secrets redacted."""
        if self._container is None or self._container._container is None:
            return ""
        parts = []
        with contextlib.suppress(Exception):
            out, err = self._container.get_logs()
            parts.append((out + err).decode(errors="replace"))
        with contextlib.suppress(Exception):
            code, out = self._exec(["tail", "-n", str(lines), f"{DATA_DIR}/log/gitea.log"])
            if code == 0:
                parts.append(out)
        text = "\n".join(p.strip() for p in parts if p.strip())
        return _redact("\n".join(text.splitlines()[-lines:]), self._password, self.token)

    # -- internals --------------------------------------------------------------------

    def _image_labels(self, client: Any, image: str) -> dict[str, str]:
        import docker.errors

        try:
            return dict(client.images.get(image).labels or {})
        except docker.errors.ImageNotFound:
            if image.startswith(f"{LOCAL_IMAGE}:"):
                raise GiteaUnavailable(f"Docker image {image} is not built yet; {BUILD_IMAGE_HINT}") from None
        try:  # e.g. the official image: only a registry has it
            return dict(client.images.pull(image).labels or {})
        except Exception as exc:
            raise GiteaUnavailable(
                f"Docker image {image} is not present and cannot be pulled "
                f"({type(exc).__name__}); {BUILD_IMAGE_HINT} (tags {LOCAL_IMAGE}:<version>)"
            ) from None

    @staticmethod
    def _disable_ryuk_if_unavailable(client: Any) -> None:
        from testcontainers.core.config import testcontainers_config as tc

        if not tc.ryuk_disabled and not _image_exists(client, tc.ryuk_image):
            # Pulling it would fail without a registry; our atexit hook does its job.
            tc.ryuk_disabled = True

    def _start_container(self, image: str, port: int, labels: dict[str, str]) -> None:
        import docker.errors
        from testcontainers.core.container import DockerContainer

        try:
            container = DockerContainer(image, docker_client_kw=self._docker_client_kw)
        except docker.errors.DockerException as exc:
            raise GiteaUnavailable(f"no Docker engine answers ({type(exc).__name__}); {START_DOCKER_HINT}") from None
        container.with_command(["/bin/sh", "-c", _BOOT_SCRIPT])
        container.with_envs(**_ENV)
        # docker-py's (host_ip,) binding form: DockerContainer.with_bind_ports has no host ip.
        container.ports[f"{GITEA_PORT}/tcp"] = ("127.0.0.1", port)  # type: ignore[assignment]
        container.with_kwargs(
            user=f"{UID}:{UID}",
            init=True,
            labels={
                f"{LABEL_NS}.role": "gitea",
                f"{LABEL_NS}.pid": str(os.getpid()),
                f"{LABEL_NS}.boot": _boot_id(),
            },
        )
        self._container = container
        self._port = port
        self.url = f"http://127.0.0.1:{port}/"
        with _live_lock:
            _live.add(self)
        try:
            container.start()
        except docker.errors.APIError as exc:
            text = str(exc)
            if "port is already allocated" in text or "address already in use" in text:
                raise _PortTaken from None
            raise GiteaUnavailable(f"could not start a container from {image}: {text}") from None

    def _boot(self, labels: dict[str, str]) -> None:
        static = labels.get(f"{LABEL_NS}.static-root")
        has_static = labels.get(f"{LABEL_NS}.has-static") == "true"
        ini = render_app_ini(
            app_data_path=DATA_DIR,
            repo_root=REPO_DIR,
            http_port=GITEA_PORT,
            root_url=self.url,
            run_user="git",
            secret_key=generate_secret(),
            internal_token=generate_secret(48),
            static_root=static if (static and has_static) else None,
            http_addr="0.0.0.0",  # inside the container; the host side is 127.0.0.1 only
        )
        wrapped = self._container.get_wrapped_container()
        if not wrapped.put_archive("/", _config_tar(ini)):
            raise GiteaUnavailable("could not copy app.ini into the Gitea container")

        try:
            try:
                strategy = _exit_watching_http_wait(self.url, "/api/healthz", self.startup_timeout)
            except ImportError:  # testcontainers before wait_strategies.HttpWaitStrategy
                wait_healthy(self.url, self.startup_timeout, alive=self._running)
            else:
                strategy.wait_until_ready(self._container)
            wait_healthy(self.url, timeout=10.0)  # the exact URL we hand out
        except (_ContainerExited, TimeoutError, GiteaUnavailable) as exc:
            reason = str(exc).split(". Endpoint")[0]
            raise GiteaUnavailable(
                f"Gitea container did not become healthy: {reason}; its output ends with:\n{self.logs()}"
            ) from None

        code, out = self._exec(
            [GITEA_BIN, "admin", "user", "create", "--config", APP_INI, "--work-path", WORK_DIR,
             "--admin", "--username", self.admin_user, "--email",
             f"{self.admin_user}@gitenv.invalid", "--random-password",
             "--must-change-password=false", "--access-token",
             "--access-token-name", f"gitenv-{generate_secret(6)}",
             "--access-token-scopes", "all"],
        )  # fmt: skip
        password = re.search(r"generated random password is '([^']+)'", out)
        token = re.search(r"successfully created\.\.\. ([0-9a-f]{40})", out)
        if code != 0 or not password:
            raise GiteaUnavailable(f"`gitea admin user create` failed: {_redact(out)[-1500:]}")
        self._password = password.group(1)
        if token:
            self.token = token.group(1)
        else:  # older CLIs without --access-token output
            code, out = self._exec(
                [GITEA_BIN, "admin", "user", "generate-access-token", "--config", APP_INI,
                 "--work-path", WORK_DIR, "--username", self.admin_user,
                 "--token-name", f"gitenv-{generate_secret(6)}", "--scopes", "all", "--raw"],
            )  # fmt: skip
            if code != 0 or not out.strip():
                raise GiteaUnavailable(f"`gitea admin user generate-access-token` failed: {_redact(out)[-500:]}")
            self.token = out.strip().splitlines()[-1]

    def _running(self) -> bool:
        wrapped = self._container.get_wrapped_container()
        wrapped.reload()
        return wrapped.status not in ("exited", "dead")

    def _exec(self, argv: list[str]) -> tuple[int, str]:
        wrapped = self._container.get_wrapped_container()
        result = wrapped.exec_run(argv, user=f"{UID}:{UID}", environment=_ENV, workdir=WORK_DIR)
        return int(result.exit_code or 0), result.output.decode(errors="replace")

    def _discard(self) -> None:
        container, self._container = self._container, None
        with _live_lock:
            _live.discard(self)
        if container is None:
            return
        with contextlib.suppress(Exception):
            if container._container is not None:
                container._container.remove(force=True, v=True)
        with contextlib.suppress(Exception):
            container.get_docker_client().client.close()


class _PortTaken(Exception):
    pass


@atexit.register
def _remove_forgotten() -> None:
    with _live_lock:
        servers = list(_live)
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()
