"""GiteaClient and ExternalGitea against a real Gitea: paging, migration, errors, dead servers."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from pytest_gitenv.gitea import (
    BinaryGitea,
    ExternalGitea,
    GiteaClient,
    GiteaError,
    GiteaUnavailable,
)
from pytest_gitenv.gitea.binary import free_port
from pytest_gitenv.gitea.launcher import read_env_file

FAKE_TOKEN = "0123456789abcdef0123456789abcdef01234567"

pytest_plugins = ["tests.gitea_fixtures"]


@pytest.mark.gitea
def test_list_repos_follows_every_page(
    gitea_api: GiteaClient,
    binary_gitea: BinaryGitea,
) -> None:
    """More repositories than Gitea's page maximum (MAX_RESPONSE_ITEMS = 50)."""
    gitea_api.ensure_org("paged")
    names = {f"repo-{i:02d}" for i in range(57)}
    for name in sorted(names):
        gitea_api.create_repo(name, owner="paged")
    one_page = requests.get(
        gitea_api.url + "api/v1/users/paged/repos",
        params={"limit": 100},
        headers={"Authorization": f"token {binary_gitea.token}"},
        timeout=10,
    )
    assert len(one_page.json()) == 50  # the server caps a page, so 57 needs two
    assert {r["name"] for r in gitea_api.list_repos("paged")} == names
    assert len(gitea_api.list_repos("paged")) == 57  # no duplicates across pages
    mine = {r["full_name"] for r in gitea_api.list_repos()}
    assert {f"paged/{n}" for n in names} <= mine


@pytest.mark.gitea
def test_migrate_local_repo_then_delete(
    gitea_api: GiteaClient,
    binary_gitea: BinaryGitea,
    tmp_path: Path,
    make_git_repo: Callable[[Path, dict[str, str]], Path],
) -> None:
    source = make_git_repo(tmp_path / "src", {"README.md": "hello gitea\n"})
    gitea_api.ensure_org("imports")
    repo = gitea_api.migrate_repo(str(source), "imports", "demo-lib", description="a demo")
    assert repo["full_name"] == "imports/demo-lib" and not repo["empty"]
    assert repo["description"] == "a demo" and repo["default_branch"] == "main"
    fetched = gitea_api.get_repo("imports", "demo-lib")
    assert fetched is not None and fetched["clone_url"].startswith(binary_gitea.url)
    assert "demo-lib" in {r["name"] for r in gitea_api.list_repos("imports")}
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", fetched["clone_url"], str(clone)],
        check=True, timeout=60, env={"PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1",
                                     "HOME": str(tmp_path), "GIT_TERMINAL_PROMPT": "0"},
    )  # fmt: skip
    assert (clone / "README.md").read_text() == "hello gitea\n"
    assert gitea_api.delete_repo("imports", "demo-lib") is True
    assert gitea_api.get_repo("imports", "demo-lib") is None
    assert gitea_api.delete_repo("imports", "demo-lib") is False


@pytest.mark.gitea
def test_orgs_users_and_version(gitea_api: GiteaClient) -> None:
    assert gitea_api.ensure_org("team")["username"] == "team"
    assert gitea_api.ensure_org("team")["username"] == "team"  # idempotent
    with pytest.raises(GiteaError) as info:
        gitea_api.create_org("team")
    assert info.value.status == 422 and info.value.endpoint == "/api/v1/orgs"
    user = gitea_api.create_user("carol", "carol@example.invalid", "Carol-Pass-1234", admin=True)
    assert user["login"] == "carol"
    assert gitea_api.version().count(".") >= 2


@pytest.mark.gitea
def test_error_names_endpoint_never_token(binary_gitea: BinaryGitea) -> None:
    bad = GiteaClient(binary_gitea.url, FAKE_TOKEN)
    with pytest.raises(GiteaError) as info:
        bad.whoami()
    err = info.value
    assert err.status == 401 and err.endpoint == "/api/v1/user" and err.method == "GET"
    assert FAKE_TOKEN not in str(err) and FAKE_TOKEN not in repr(err)
    assert FAKE_TOKEN not in repr(bad)
    with pytest.raises(ValueError, match="token"):
        GiteaClient(binary_gitea.url, "bad token\n")


def test_dead_server_fails_fast_and_clearly() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    client = GiteaClient(url, FAKE_TOKEN, timeout=30)
    started = time.monotonic()
    with pytest.raises(GiteaUnavailable) as info:
        client.list_repos()
    assert time.monotonic() - started < 2
    message = str(info.value)
    assert url in message and "not answering" in message and "--gitenv-backend=binary" in message
    assert FAKE_TOKEN not in message and info.value.__cause__ is None


def test_silent_server_times_out_instead_of_hanging() -> None:
    with socket.socket() as listener:  # accepts TCP connections, never answers HTTP
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(GiteaUnavailable, match="Timeout"):
            GiteaClient(url, FAKE_TOKEN, timeout=1).version()
        assert time.monotonic() - started < 5


def test_external_gitea_down_says_how_to_start_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITEA_URL", raising=False)
    server = ExternalGitea(f"http://127.0.0.1:{free_port()}", token=FAKE_TOKEN, env_file=None)
    with pytest.raises(GiteaUnavailable, match=r"scripts/setup_shared_gitea\.sh"):
        server.start()
    assert FAKE_TOKEN not in repr(server)


def test_read_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("# seed\nGITEA_URL=http://127.0.0.1:3000\nexport GITEA_USERNAME='gitea'\n"
                   'GITEA_PASSWORD="p w=1"\n\nnot a pair\n')  # fmt: skip
    assert read_env_file(env) == {
        "GITEA_URL": "http://127.0.0.1:3000",
        "GITEA_USERNAME": "gitea",
        "GITEA_PASSWORD": "p w=1",
    }


@pytest.mark.gitea
def test_external_gitea_makes_a_token_from_dotenv_credentials(
    binary_gitea: BinaryGitea,
    gitea_api: GiteaClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in ("GITEA_URL", "GITEA_TOKEN", "GITEA_USERNAME", "GITEA_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    password = "Ext-Pass-98765"
    gitea_api.create_user("ext-admin", "ext@example.invalid", password, admin=True)
    env = tmp_path / ".env"
    env.write_text(f"GITEA_URL={binary_gitea.url}\nGITEA_USERNAME=ext-admin\nGITEA_PASSWORD={password}\n")
    with ExternalGitea(env_file=env) as server:
        assert server.url == binary_gitea.url and server.admin_user == "ext-admin"
        assert GiteaClient(server.url, server.token).whoami()["login"] == "ext-admin"
        assert password not in repr(server) and server.token not in repr(server)
    assert binary_gitea.healthy()  # stop() leaves someone else's server alone
    monkeypatch.setenv("GITEA_PASSWORD", "wrong-password")
    with pytest.raises(GiteaError) as info:
        ExternalGitea(env_file=env).start()
    assert info.value.status == 401 and "wrong-password" not in str(info.value)
