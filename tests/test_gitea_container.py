"""ContainerGitea: a real Gitea in a real Docker container (no mocks).

Needs a Docker engine (``scripts/start_dockerd.sh``) and the image
(``scripts/build_gitea_image.sh``); skipped otherwise, failed instead when GITENV_REQUIRE
names ``docker`` (CI).
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from pytest_gitenv.gitea.client import GiteaClient
from pytest_gitenv.gitea.container import (
    LOCAL_IMAGE,
    ContainerGitea,
    default_image,
    docker_available,
)
from pytest_gitenv.gitea.install import GITEA_VERSION
from pytest_gitenv.gitea.launcher import GiteaUnavailable
from tests.conftest import require


def _git(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Real git with an empty private global config (never the user's, never /dev/null)."""
    gitconfig = cwd / ".." / "empty-gitconfig"
    gitconfig.touch()
    env = {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(gitconfig.resolve()),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "HOME": str(cwd),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _docker_api() -> object:
    import docker

    return docker.from_env(timeout=10)


def _image_or_skip() -> str:
    if not docker_available():
        require("docker", "no Docker engine answers; run `sudo scripts/start_dockerd.sh`")
    image = default_image()
    client = _docker_api()
    try:
        client.images.get(image)  # type: ignore[attr-defined]
    except Exception:
        require("docker", f"image {image} missing; run `scripts/build_gitea_image.sh`")
    finally:
        client.close()  # type: ignore[attr-defined]
    return image


@pytest.fixture(scope="module")
def gitea_image() -> str:
    return _image_or_skip()


@pytest.fixture(scope="module")
def container_gitea(gitea_image: str) -> Iterator[ContainerGitea]:
    server = ContainerGitea(gitea_image)
    try:
        server.start()
    except GiteaUnavailable as exc:
        require("docker", str(exc))
    yield server
    server.stop()


@pytest.fixture
def container_api(container_gitea: ContainerGitea) -> GiteaClient:
    return GiteaClient(container_gitea.url, container_gitea.token)


@pytest.mark.docker
def test_local_image_is_the_default_here(gitea_image: str) -> None:
    # no registry on this machine / CI: the locally built image must be chosen
    assert gitea_image == f"{LOCAL_IMAGE}:{GITEA_VERSION}"


@pytest.mark.docker
def test_healthz_and_token(container_gitea: ContainerGitea) -> None:
    assert container_gitea.healthy()
    health = requests.get(container_gitea.url + "api/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "pass"
    resp = requests.get(
        container_gitea.url + "api/v1/user",
        headers={"Authorization": f"token {container_gitea.token}"},
        timeout=10,
    )
    assert resp.status_code == 200
    assert resp.json()["login"] == container_gitea.admin_user
    assert resp.json()["is_admin"] is True
    anonymous = requests.get(container_gitea.url + "api/v1/user", timeout=10)
    assert anonymous.status_code == 401
    assert container_gitea.start() is container_gitea  # idempotent while healthy


@pytest.mark.docker
def test_cold_start_is_measured(
    container_gitea: ContainerGitea,
    container_api: GiteaClient,
    record_property: pytest.RecordProperty,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seconds = container_gitea.startup_seconds
    assert seconds is not None and seconds < 60
    assert container_api.version() == GITEA_VERSION
    record_property("gitea_container_cold_start_seconds", round(seconds, 2))
    with capsys.disabled():
        print(f"\n[gitea {GITEA_VERSION} container] cold start (create+migrate+healthy+admin+token): {seconds:.2f}s")


@pytest.mark.docker
def test_port_published_on_loopback_only(container_gitea: ContainerGitea) -> None:
    client = _docker_api()
    try:
        info = client.api.inspect_container(container_gitea.container_id)  # type: ignore[attr-defined]
    finally:
        client.close()  # type: ignore[attr-defined]
    bindings = info["NetworkSettings"]["Ports"]["3000/tcp"]
    assert bindings, "port 3000 is not published"
    assert {b["HostIp"] for b in bindings} == {"127.0.0.1"}
    assert {int(b["HostPort"]) for b in bindings} == {container_gitea.host_port}
    assert container_gitea.url == f"http://127.0.0.1:{container_gitea.host_port}/"
    # runs unprivileged, with an init reaping git children
    assert info["Config"]["User"] == "1000:1000"
    assert info["HostConfig"]["Init"] is True


@pytest.mark.docker
def test_push_then_migrate_via_rest(
    container_gitea: ContainerGitea, container_api: GiteaClient, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    assert _git("init", "-q", "-b", "main", cwd=src).returncode == 0
    (src / "README.md").write_text("hello from the host\n")
    assert _git("add", "README.md", cwd=src).returncode == 0
    assert _git("commit", "-qm", "initial", cwd=src).returncode == 0
    head = _git("rev-parse", "HEAD", cwd=src).stdout.strip()
    repo = container_api.create_repo("container-src", description="pushed from the host")
    assert repo["clone_url"].startswith(container_gitea.url)  # ROOT_URL matches the host port

    basic = base64.b64encode(f"{container_gitea.admin_user}:{container_gitea.token}".encode())
    push = _git(
        "-c", f"http.extraHeader=Authorization: Basic {basic.decode()}",
        "push", "-q", repo["clone_url"], "main:main", cwd=src,
    )  # fmt: skip
    assert push.returncode == 0, push.stderr
    # Gitea 1.26.0 clears the repo's "empty" flag asynchronously after the first push; until
    # then GET .../branches/main answers 500 (nil GitRepo panic). Wait for the flag.
    deadline = time.monotonic() + 30
    while (container_api.get_repo(container_gitea.admin_user, "container-src") or {}).get("empty", True):
        assert time.monotonic() < deadline, "repository still empty 30 s after the push"
        time.sleep(0.05)
    branch = requests.get(
        f"{container_gitea.url}api/v1/repos/{container_gitea.admin_user}/container-src/branches/main",
        headers={"Authorization": f"token {container_gitea.token}"},
        timeout=10,
    ).json()
    assert branch["commit"]["id"] == head

    # migrate: Gitea clones from itself (its own port inside the container)
    migrated = container_api.migrate_repo(
        f"http://127.0.0.1:3000/{container_gitea.admin_user}/container-src.git",
        container_gitea.admin_user,
        "container-copy",
        timeout=120,
    )
    assert migrated["name"] == "container-copy" and not migrated["empty"]
    copy_branch = requests.get(
        f"{container_gitea.url}api/v1/repos/{container_gitea.admin_user}/container-copy/branches/main",
        headers={"Authorization": f"token {container_gitea.token}"},
        timeout=10,
    ).json()
    assert copy_branch["commit"]["id"] == head
    names = {r["name"] for r in container_api.list_repos()}
    assert {"container-src", "container-copy"} <= names

    clone = _git("clone", "-q", migrated["clone_url"], str(tmp_path / "clone"), cwd=src)
    assert clone.returncode == 0, clone.stderr
    assert (tmp_path / "clone" / "README.md").read_text() == "hello from the host\n"


@pytest.mark.docker
def test_no_credentials_in_repr_config_or_logs(container_gitea: ContainerGitea) -> None:
    token, password = container_gitea.token, container_gitea._password
    assert len(token) == 40 and len(password) >= 8
    client = _docker_api()
    try:
        info = client.api.inspect_container(container_gitea.container_id)  # type: ignore[attr-defined]
        output = client.api.logs(container_gitea.container_id).decode(errors="replace")  # type: ignore[attr-defined]
    finally:
        client.close()  # type: ignore[attr-defined]
    texts = [repr(container_gitea), str(container_gitea), json.dumps(info), output,
             container_gitea.logs(200)]  # fmt: skip
    for text in texts:
        assert token not in text and password not in text


@pytest.mark.docker
def test_stop_removes_the_container(gitea_image: str) -> None:
    import docker.errors

    server = ContainerGitea(gitea_image)
    with server:
        cid = server.container_id
        url = server.url
        assert cid and server.healthy()
    assert server.container_id is None and server.token == "" and server.url == ""
    client = _docker_api()
    try:
        with pytest.raises(docker.errors.NotFound):
            client.containers.get(cid)  # type: ignore[attr-defined]
    finally:
        client.close()  # type: ignore[attr-defined]
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "api/healthz", timeout=3)
    server.stop()  # idempotent


def test_unreachable_docker_says_how_to_start_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/gitenv-docker.sock")
    assert docker_available() is False
    with pytest.raises(GiteaUnavailable, match=r"start_dockerd\.sh"):
        ContainerGitea().start()


@pytest.mark.docker
def test_missing_local_image_says_how_to_build_it() -> None:
    if not docker_available():
        require("docker", "no Docker engine answers; run `sudo scripts/start_dockerd.sh`")
    server = ContainerGitea(f"{LOCAL_IMAGE}:0.0.0-does-not-exist")
    with pytest.raises(GiteaUnavailable, match=r"build_gitea_image\.sh"):
        server.start()
    assert server.container_id is None


@pytest.mark.docker
def test_taken_port_is_reported_and_nothing_left(gitea_image: str) -> None:
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        server = ContainerGitea(gitea_image, port=held.getsockname()[1])
        with pytest.raises(GiteaUnavailable, match="is taken"):
            server.start()
    assert server.container_id is None


@pytest.mark.docker
def test_gitea_that_cannot_boot_fails_fast_with_its_output(gitea_image: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytest_gitenv.gitea.container as container_module

    monkeypatch.setattr(
        container_module, "render_app_ini", lambda **kw: "RUN_USER = git\n[database]\nDB_TYPE = nosuchdb\n"
    )
    server = ContainerGitea(gitea_image, startup_timeout=60)
    t0 = time.monotonic()
    with pytest.raises(GiteaUnavailable, match="exited with status") as info:
        server.start()
    assert time.monotonic() - t0 < 30  # did not sit out the startup timeout
    assert "its output ends with" in str(info.value) and "gitea" in str(info.value).lower()
    assert server.container_id is None


@pytest.mark.docker
def test_container_of_a_killed_run_is_reaped_by_the_next_start(gitea_image: str) -> None:
    import signal
    import sys

    import docker.errors

    # a "test run" that starts Gitea and is killed with SIGKILL: no stop(), no atexit
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pytest_gitenv.gitea.container import ContainerGitea\n"
         f"g = ContainerGitea({gitea_image!r}).start()\n"
         "print(g.container_id, flush=True)\n"
         "time.sleep(600)\n"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        orphan = child.stdout.readline().strip()
        assert orphan, "the child did not start its container"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    client = _docker_api()
    try:
        client.containers.get(orphan)  # type: ignore[attr-defined]  # left behind, as with any SIGKILL
        with ContainerGitea(gitea_image) as server:  # the next start cleans up
            assert server.healthy()
            with pytest.raises(docker.errors.NotFound):
                client.containers.get(orphan)  # type: ignore[attr-defined]
    finally:
        with contextlib.suppress(Exception):
            client.containers.get(orphan).remove(force=True)  # type: ignore[attr-defined]
        client.close()  # type: ignore[attr-defined]
