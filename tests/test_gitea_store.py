"""Migrations into a real Gitea and the GiteaStore's local object cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_gitenv.gitea import BinaryGitea, GiteaClient, GiteaUnavailable
from pytest_gitenv.gitea.binary import free_port
from pytest_gitenv.gitea.migrate import MigrationError, Migrator
from pytest_gitenv.gitea.smarthttp import git_client, remote_state
from pytest_gitenv.store.factory import open_store
from pytest_gitenv.store.gitea import GiteaStore
from pytest_gitenv.tasks import RepoSpec, load_tasks

pytest_plugins = ["tests.gitea_fixtures"]
pytestmark = pytest.mark.gitea
MakeRepo = Callable[[Path, dict[str, str]], Path]
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "T",
           "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@x",
           "PATH": "/usr/bin:/bin"}


def _owner() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def _migrator(server: BinaryGitea, owner: str, tmp: Path, *, local_import: bool = True,
              lines: list[str] | None = None) -> Migrator:
    client = GiteaClient(server.url, server.token)
    git = git_client(server.url, server.token)
    return Migrator(client, git, owner=owner, local_import=local_import, lock_dir=tmp / "locks",
                    progress=lines.append if lines is not None else None)


def _gitea_refs(server: BinaryGitea, owner: str, name: str) -> dict[bytes, bytes]:
    state = remote_state(git_client(server.url, server.token), f"{owner}/{name}.git")
    return state.published


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("local_import", [True, False], ids=["migrate-api", "push"])
def test_migration_is_idempotent_and_follows_source_changes(binary_gitea: BinaryGitea, tmp_path: Path,
                                                           local_import: bool, make_git_repo: MakeRepo) -> None:
    source = make_git_repo(tmp_path / "src", {"a.txt": "one\n"})
    owner, lines = _owner(), []
    migrator = _migrator(binary_gitea, owner, tmp_path, local_import=local_import, lines=lines)
    spec = RepoSpec("lib", str(source), "a library")
    assert migrator.migrate(spec).action == "created"
    assert migrator.migrate(spec).action == "unchanged"
    _git(source, "commit", "--allow-empty", "-qm", "two")
    _git(source, "branch", "extra")
    assert migrator.migrate(spec).action == "updated"
    assert migrator.migrate(spec).action == "unchanged"
    _git(source, "branch", "-D", "extra")
    assert migrator.migrate(spec).action == "updated"
    refs = _gitea_refs(binary_gitea, owner, "lib")
    assert refs == {b"refs/heads/main": _git(source, "rev-parse", "main").strip().encode()}
    assert all(line.startswith("lib: ") and line.endswith("s)") for line in lines)
    assert GiteaClient(binary_gitea.url, binary_gitea.token).get_repo(owner, "lib")["description"] == "a library"


def test_bundle_sources(binary_gitea: BinaryGitea, tmp_path: Path, make_git_repo: MakeRepo) -> None:
    source = make_git_repo(tmp_path / "src", {"a.txt": "one\n"})
    _git(source, "tag", "v1")
    bundle = tmp_path / "lib.bundle"
    _git(source, "bundle", "create", str(bundle), "--all")
    owner = _owner()
    for local_import in (True, False):
        name = f"b{int(local_import)}"
        migrator = _migrator(binary_gitea, owner, tmp_path, local_import=local_import)
        assert migrator.migrate(RepoSpec(name, str(bundle))).action == "created"
        assert migrator.migrate(RepoSpec(name, str(bundle))).action == "unchanged"
        assert set(_gitea_refs(binary_gitea, owner, name)) == {b"refs/heads/main", b"refs/tags/v1"}


def test_failure_names_the_repository_and_giteas_reason(binary_gitea: BinaryGitea, tmp_path: Path,
                                                        sample_tasks: Path) -> None:
    migrator = _migrator(binary_gitea, _owner(), tmp_path)
    with pytest.raises(MigrationError) as info:
        migrator.migrate(RepoSpec("bad name!", str(sample_tasks.parent / "examples/repos/demo-lib.git")))
    assert "'bad name!'" in str(info.value) and "Gitea says" in str(info.value)
    with pytest.raises(MigrationError, match=r"'gone'.*does not exist"):
        migrator.migrate(RepoSpec("gone", str(tmp_path / "nowhere")))


_CHILD = """
import json, sys
from pytest_gitenv.gitea import GiteaClient
from pytest_gitenv.gitea.migrate import Migrator
from pytest_gitenv.gitea.smarthttp import git_client
from pytest_gitenv.tasks import RepoSpec
url, token, user, owner, source, locks = sys.argv[1:]
m = Migrator(GiteaClient(url, token), git_client(url, token), owner=owner, local_import=True, lock_dir=locks)
print(json.dumps(m.migrate(RepoSpec("shared", source)).action))
"""


def test_concurrent_migrations_from_processes(binary_gitea: BinaryGitea, tmp_path: Path,
                                              make_git_repo: MakeRepo) -> None:
    source = make_git_repo(tmp_path / "src", {"a.txt": "one\n"})
    owner = _owner()
    args = [binary_gitea.url, binary_gitea.token, binary_gitea.admin_user, owner, str(source), str(tmp_path / "l")]
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent) for _ in range(4)]
    actions = sorted(json.loads(p.communicate(timeout=120)[0]) for p in procs)
    assert actions == ["created", "unchanged", "unchanged", "unchanged"]
    client = GiteaClient(binary_gitea.url, binary_gitea.token)
    assert [r["name"] for r in client.list_repos(owner)] == ["shared"]


def test_store_caches_each_repository_version_once(binary_gitea: BinaryGitea, sample_tasks: Path,
                                                   tmp_path: Path) -> None:
    suite = load_tasks(sample_tasks)
    lines: list[str] = []
    first = GiteaStore(binary_gitea, suite.repos, tmp_path, owner=_owner(), progress=lines.append)
    stored = first.ensure("demo-lib")
    assert stored.path.is_dir() and stored.clone_url.endswith(f"/{first.owner}/demo-lib.git")
    assert stored.default_branch == "main" and "fetching" in " ".join(lines)
    lines.clear()
    second = GiteaStore(binary_gitea, suite.repos, tmp_path, owner=first.owner, progress=lines.append)
    assert second.ensure("demo-lib").path == stored.path
    assert not [line for line in lines if "fetching" in line]
    assert [r.name for r in second.list_repos()] == ["demo-lib", "docs-site"]
    with pytest.raises(KeyError, match="unknown repository 'nope'"):
        second.ensure("nope")


def test_list_repos_follows_every_page(binary_gitea: BinaryGitea, tmp_path: Path) -> None:
    owner = _owner()
    client = GiteaClient(binary_gitea.url, binary_gitea.token)
    client.ensure_org(owner)
    for number in range(53):
        client.create_repo(f"r{number:02d}", owner=owner)
    store = GiteaStore(binary_gitea, {}, tmp_path, owner=owner)
    listing = [r.to_listing() for r in store.list_repos()]
    assert len(listing) == 53 and listing[52]["name"] == "r52"
    assert all(r["clone_url"].startswith(binary_gitea.url) and binary_gitea.token not in str(r) for r in listing)


def test_gitea_down_at_start_says_how_to_start_it(sample_tasks: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITEA_URL", raising=False)
    suite = load_tasks(sample_tasks)
    with pytest.raises(GiteaUnavailable, match=r"setup_shared_gitea\.sh"):
        open_store("url", suite, store_dir=tmp_path, gitea_url=f"http://127.0.0.1:{free_port()}",
                   gitea_token="x" * 40)


def test_open_store_backends(binary_gitea: BinaryGitea, sample_tasks: Path, tmp_path: Path) -> None:
    suite = load_tasks(sample_tasks)
    store = open_store("gitea", suite, store_dir=tmp_path, server=binary_gitea)
    assert store.kind == "gitea" and isinstance(store, GiteaStore) and store.migrator.local_import
    url_store = open_store("url", suite, store_dir=tmp_path, gitea_url=binary_gitea.url,
                           gitea_token=binary_gitea.token)
    assert url_store.ensure("docs-site").name == "docs-site"
    with pytest.raises(ValueError, match="server="):
        open_store("gitea", suite)


def test_shared_gitea_script_and_migrate_command(gitea_binary: Path, sample_tasks: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from pytest_gitenv.cli import main

    script = Path(__file__).parent.parent / "scripts" / "setup_shared_gitea.sh"
    args = [str(script), "--data-dir", str(tmp_path / "data"), "--port", str(free_port()),
            "--env-file", str(tmp_path / ".env")]
    env = {**os.environ, "PYTHON": sys.executable}
    try:
        url = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=True).stdout.strip()
        assert (tmp_path / ".env").stat().st_mode & 0o777 == 0o600
        assert f"GITEA_URL={url}" in (tmp_path / ".env").read_text()
        assert main(["migrate", str(sample_tasks), "--env-file", str(tmp_path / ".env")]) == 0
        assert main(["migrate", str(sample_tasks), "--env-file", str(tmp_path / ".env")]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert [line.split(" (")[0] for line in lines if not line.startswith("2 ")] == [
            "demo-lib: created", "docs-site: created", "demo-lib: unchanged", "docs-site: unchanged"]
        again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=True)
        assert again.stdout.strip() == url and "already running" in again.stderr
    finally:
        subprocess.run([*args, "--stop"], env=env, capture_output=True, timeout=60)
    assert main(["migrate", str(sample_tasks), "--url", url, "--token", "x" * 40, "--env-file", ""]) == 1
    assert "setup_shared_gitea.sh" in capsys.readouterr().err


_ENSURE_CHILD = """
import sys
from pytest_gitenv.gitea import ExternalGitea
from pytest_gitenv.store.gitea import GiteaStore
from pytest_gitenv.tasks import load_tasks
url, token, tasks, root, owner = sys.argv[1:]
lines = []
store = GiteaStore(ExternalGitea(url, token=token, env_file=None).start(), load_tasks(tasks).repos, root,
                   owner=owner, progress=lines.append)
print(store.ensure("demo-lib").path, sum("fetching" in line for line in lines))
"""


def test_processes_share_one_fetch_into_the_object_cache(binary_gitea: BinaryGitea, sample_tasks: Path,
                                                          tmp_path: Path) -> None:
    args = [binary_gitea.url, binary_gitea.token, str(sample_tasks), str(tmp_path), _owner()]
    procs = [subprocess.Popen([sys.executable, "-c", _ENSURE_CHILD, *args], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent) for _ in range(4)]
    results = [p.communicate(timeout=120)[0].split() for p in procs]
    assert len({path for path, _ in results}) == 1
    assert sorted(int(count) for _, count in results) == [0, 0, 0, 1]
