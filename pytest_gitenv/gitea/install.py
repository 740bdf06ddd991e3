"""Get a Gitea binary of a pinned version: PATH, cache, build from source with Go, or download.

Cache layout: ``<cache>/gitea/<version>/gitea`` (binary) and ``<cache>/gitea/<version>/src``
(module source; a build without the ``bindata`` tag reads templates/options/public from it, so
launchers point ``STATIC_ROOT_PATH`` at it). ``<cache>`` is ``$GITENV_CACHE_DIR``, else
``$XDG_CACHE_HOME/pytest-gitenv``, else ``~/.cache/pytest-gitenv``. Go's own module and build
caches stay at their defaults so a rebuild is fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import requests

from pytest_gitenv.cachedir import cache_dir, file_lock

from .launcher import GiteaUnavailable

__all__ = [
    "GITEA_MODULE",
    "GITEA_VERSION",
    "binary_version",
    "cache_dir",
    "ensure_gitea",
    "find_gitea",
    "gitea_dir",
    "static_root_for",
]

# 1.27.x is on the module proxy but several of its dependencies (gitea.dev/*) are not, so
# it cannot be built here; 1.26.0 builds with cgo and the mattn sqlite driver.
GITEA_VERSION = "1.26.0"
GITEA_MODULE = "code.gitea.io/gitea"
DOWNLOAD_URL = "https://dl.gitea.com/gitea/{v}/gitea-{v}-linux-{arch}"

Progress = Callable[[str], object]


def gitea_dir(version: str = GITEA_VERSION) -> Path:
    """``<cache>/gitea/<version>``."""
    return cache_dir() / "gitea" / version


def static_root_for(binary: Path) -> Path | None:
    """The source tree next to a cached binary (for STATIC_ROOT_PATH), if there is one."""
    src = binary.parent / "src"
    return src if (src / "templates").is_dir() else None


def binary_version(binary: str | os.PathLike[str]) -> str | None:
    """The version ``gitea --version`` reports, or None if it cannot be run."""
    try:
        out = subprocess.run([os.fspath(binary), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"gitea version (\S+)", out, re.I)
    return match.group(1) if match else None


def _build_settings(version: str) -> tuple[str, str]:
    """(CGO_ENABLED, build tags): 1.27+ has a pure-Go sqlite; older needs cgo + mattn."""
    major, minor = (int(p) for p in version.split(".")[:2])
    return ("0", "") if (major, minor) >= (1, 27) else ("1", "sqlite sqlite_unlock_notify")


class _Phases:
    """Prints one line per phase with the elapsed seconds since the start."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.t0 = progress, time.monotonic()

    def __call__(self, message: str) -> None:
        self.progress(f"[gitea {time.monotonic() - self.t0:6.1f}s] {message}")


def find_gitea(version: str = GITEA_VERSION) -> Path | None:
    """A ``gitea`` of ``version`` on PATH or in the cache, without building or downloading."""
    on_path = shutil.which("gitea")
    for candidate in ([Path(on_path)] if on_path else []) + [gitea_dir(version) / "gitea"]:
        if binary_version(candidate) == version:
            return candidate
    return None


def ensure_gitea(version: str = GITEA_VERSION, *, progress: Progress = print) -> Path:
    """Return a Gitea binary of ``version``: PATH, cache, a Go build, or a download.

    Raises GiteaUnavailable with what to do when none of them works.
    """
    phase = _Phases(progress)
    found = find_gitea(version)
    if found is not None:
        phase(f"using {found}")
        return found
    target = gitea_dir(version) / "gitea"
    waiting = "another process is installing gitea; waiting for it"
    with file_lock(target.parent / ".lock", on_wait=lambda: phase(waiting)):
        if binary_version(target) == version:  # built by another process meanwhile
            phase(f"using cached {target}")
            return target
        if shutil.which("go"):
            _build(version, target, phase)
        else:
            phase("go not found on PATH; downloading the release binary")
            _download(version, target, phase)
    phase(f"ready: {target}")
    return target


def _run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise GiteaUnavailable(f"`{' '.join(argv[:3])} ...` failed ({proc.returncode}):\n{tail}")
    return proc.stdout


def _build(version: str, target: Path, phase: _Phases) -> None:
    cgo, tags = _build_settings(version)
    if cgo == "1" and not shutil.which(os.environ.get("CC") or "gcc") and not shutil.which("cc"):
        raise GiteaUnavailable(
            f"building Gitea {version} needs a C compiler for its cgo sqlite driver: install gcc "
            "(e.g. `apt-get install gcc`) or put a gitea binary on PATH"
        )
    module = f"{GITEA_MODULE}@v{version}"
    phase(f"downloading {module} with the Go module proxy")
    info = json.loads(_run(["go", "mod", "download", "-json", module]))
    if "Error" in info:
        raise GiteaUnavailable(f"go mod download {module}: {info['Error']}")
    src, tmp = target.parent / "src", target.parent / "src.tmp"
    phase(f"copying source to {src}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(info["Dir"], tmp)
    for root, dirs, files in os.walk(tmp):  # the module cache is read-only
        for name in dirs + files:
            path = os.path.join(root, name)
            os.chmod(path, os.lstat(path).st_mode | 0o200)
    shutil.rmtree(src, ignore_errors=True)
    tmp.rename(src)
    phase(f"building (CGO_ENABLED={cgo}, tags={tags!r}); minutes on a first run")
    partial = target.with_name("gitea.partial")
    ldflags = f"-s -w -X main.Version={version} -X 'main.Tags={tags}'"
    env = {**os.environ, "CGO_ENABLED": cgo}
    try:
        _run(
            ["go", "build", "-trimpath", "-tags", tags, "-ldflags", ldflags, "-o", str(partial)],
            cwd=src,
            env=env,
        )
    except GiteaUnavailable as exc:
        raise GiteaUnavailable(
            f"building Gitea {version} failed (go.mod needs {_go_directive(src)}, "
            f"installed {_run(['go', 'env', 'GOVERSION']).strip()}): {exc}"
        ) from None
    partial.replace(target)


def _go_directive(src: Path) -> str:
    match = re.search(r"^go (\S+)", (src / "go.mod").read_text(), re.M)
    return f"go {match.group(1)}" if match else "an unknown go"


def _download(version: str, target: Path, phase: _Phases) -> None:
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    url = DOWNLOAD_URL.format(v=version, arch=arch)
    advice = (
        f"Install Go (https://go.dev/dl/) and rerun `scripts/install_gitea.sh` to build "
        f"Gitea {version} from source, or put a gitea {version} binary on PATH or at {target}."
    )
    partial = target.with_name("gitea.partial")
    try:
        phase(f"downloading {url}")
        expected = requests.get(url + ".sha256", timeout=(5, 30))
        expected.raise_for_status()
        digest = hashlib.sha256()
        with requests.get(url, stream=True, timeout=(5, 60)) as resp, open(partial, "wb") as out:
            resp.raise_for_status()
            for chunk in resp.iter_content(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except requests.RequestException as exc:
        raise GiteaUnavailable(f"cannot download Gitea {version} ({exc}). {advice}") from None
    if digest.hexdigest() != expected.text.split()[0]:
        partial.unlink()
        raise GiteaUnavailable(f"checksum mismatch for {url}. {advice}")
    partial.chmod(0o755)
    partial.replace(target)
