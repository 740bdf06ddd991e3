"""The embedded store: import once, refresh on change, every source kind, many processes at once."""

from __future__ import annotations

import multiprocessing
import subprocess
from pathlib import Path

import pytest

from pytest_gitenv.store.local import LocalStore, UnknownRepoError
from pytest_gitenv.tasks import RepoSpec
from tests.test_checks import git


@pytest.fixture
def source(tmp_path: Path) -> Path:
    repo = tmp_path / "source"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.txt").write_text("one\n")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "tag", "v1")
    return repo


def refs_of(path: Path) -> str:
    return git(path, "for-each-ref", "--format=%(refname) %(objectname)")


def importing(messages: list[str]) -> list[str]:
    return [m for m in messages if m.startswith("importing")]


def test_imports_once_and_reuses_across_instances(source: Path, tmp_path: Path) -> None:
    spec = {"r": RepoSpec("r", str(source))}
    first: list[str] = []
    stored = LocalStore(spec, tmp_path / "store", first.append).ensure("r")
    assert len(importing(first)) == 1
    assert refs_of(stored.path) == refs_of(source)
    assert git(stored.path, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    second: list[str] = []
    again = LocalStore(spec, tmp_path / "store", second.append).ensure("r")
    assert again.path == stored.path and importing(second) == []
    subprocess.run(["git", "fsck", "--strict"], cwd=stored.path, check=True, capture_output=True)


def test_refreshes_when_the_source_changes(source: Path, tmp_path: Path) -> None:
    spec = {"r": RepoSpec("r", str(source))}
    LocalStore(spec, tmp_path / "store").ensure("r")
    (source / "b.txt").write_text("two\n")
    git(source, "add", "b.txt")
    git(source, "commit", "-q", "-m", "second")
    git(source, "branch", "extra")
    git(source, "tag", "-d", "v1")
    messages: list[str] = []
    stored = LocalStore(spec, tmp_path / "store", messages.append).ensure("r")
    assert len(importing(messages)) == 1
    assert refs_of(stored.path) == refs_of(source)


def test_bundle_and_file_url_sources(source: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "r.bundle"
    git(source, "bundle", "create", str(bundle), "--all")
    specs = {"b": RepoSpec("b", str(bundle)), "u": RepoSpec("u", f"file://{source}")}
    store = LocalStore(specs, tmp_path / "store")
    for name in specs:
        assert refs_of(store.ensure(name).path) == refs_of(source)


def test_unknown_repository(tmp_path: Path) -> None:
    with pytest.raises(UnknownRepoError, match="unknown repository 'x'; known: a"):
        LocalStore({"a": RepoSpec("a", str(tmp_path))}, tmp_path).ensure("x")


def _ensure_in_process(args: tuple[str, str, str]) -> str:
    source, root, log = args
    with open(log, "a") as handle:
        stored = LocalStore({"r": RepoSpec("r", source)}, Path(root), lambda m: handle.write(m + "\n")).ensure("r")
    return str(stored.path)


def test_many_processes_share_one_import(source: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    args = [(str(source), str(tmp_path / "store"), str(log))] * 4
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        paths = pool.map(_ensure_in_process, args)
    assert len(set(paths)) == 1
    assert importing(log.read_text().splitlines()) == [f"importing r from {source}"]
    assert refs_of(Path(paths[0])) == refs_of(source)
