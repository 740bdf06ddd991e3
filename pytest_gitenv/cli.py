"""The ``gitenv`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _install_gitea(args: argparse.Namespace) -> int:
    from .gitea.install import ensure_gitea
    from .gitea.launcher import GiteaUnavailable

    def progress(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    try:
        path = ensure_gitea(args.version, progress=progress)
    except GiteaUnavailable as exc:
        print(f"gitenv install-gitea: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def _serve_gitea(args: argparse.Namespace) -> int:
    """Run a BinaryGitea in the foreground until SIGINT/SIGTERM; print its URL."""
    import os
    import signal

    from .gitea.binary import BinaryGitea
    from .gitea.install import ensure_gitea
    from .gitea.launcher import GiteaUnavailable

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        binary = ensure_gitea(progress=lambda line: print(line, file=sys.stderr))
        with BinaryGitea(binary, data_dir=args.data_dir, port=args.port) as server:
            if args.env_file:
                fd = os.open(args.env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(f"GITEA_URL={server.url}\nGITEA_USERNAME={server.admin_user}\n")
                    fh.write(f"GITEA_TOKEN={server.token}\n")
            print(server.url, flush=True)
            signal.pause()
    except GiteaUnavailable as exc:
        print(f"gitenv serve-gitea: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _migrate(args: argparse.Namespace) -> int:
    """Create or update the tasks' repositories in a running Gitea; one line per repository."""
    import time
    from urllib.parse import urlsplit

    from .gitea.launcher import ExternalGitea, GiteaUnavailable
    from .gitea.migrate import MigrationError
    from .store.gitea import GiteaStore
    from .tasks import load_tasks

    started = time.monotonic()
    try:
        suite = load_tasks(args.tasks)
        server = ExternalGitea(args.url, token=args.token, env_file=args.env_file).start()
        local = urlsplit(server.url).hostname in ("127.0.0.1", "localhost", "::1")  # it can read our paths
        store = GiteaStore(server, suite.repos, owner=args.owner, local_import=local,
                           progress=lambda line: print(line, flush=True))
        done = store.migrate()
        if args.prune_episodes is not None:
            from .gitea.isolation import prune_copies

            pruned = prune_copies(store, args.prune_episodes * 3600)
            print(f"pruned {len(pruned)} episode copies older than {args.prune_episodes:g} h", flush=True)
    except (GiteaUnavailable, MigrationError) as exc:
        print(f"gitenv migrate: {exc}", file=sys.stderr)
        return 1
    print(f"{len(done)} repositories in {server.url}{args.owner}/ "
          f"({time.monotonic() - started:.2f}s)", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from .gitea.install import GITEA_VERSION

    parser = argparse.ArgumentParser(prog="gitenv", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    install = sub.add_parser(
        "install-gitea",
        help="get a Gitea binary (PATH, cache, Go build or download) and print its path",
    )
    install.add_argument("--version", default=GITEA_VERSION, help="Gitea version (%(default)s)")
    install.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    install.set_defaults(func=_install_gitea)
    serve = sub.add_parser(
        "serve-gitea",
        help="run a private Gitea on 127.0.0.1 until interrupted; print its URL",
    )
    serve.add_argument("--data-dir", help="keep data here (default: a temporary dir, removed at exit)")
    serve.add_argument("--port", type=int, help="HTTP port (default: a free one)")
    serve.add_argument("--env-file", help="write GITEA_URL/GITEA_USERNAME/GITEA_TOKEN here (mode 0600)")
    serve.set_defaults(func=_serve_gitea)
    migrate = sub.add_parser(
        "migrate",
        help="create or update the tasks' repositories in a running Gitea (idempotent)",
    )
    migrate.add_argument("tasks", help="the tasks.yaml naming the repositories")
    migrate.add_argument("--url", help="Gitea URL (default: GITEA_URL, then the env file)")
    migrate.add_argument("--token", help="API token (default: GITEA_TOKEN, then the env file)")
    migrate.add_argument("--env-file", default=".env", help="credentials file (%(default)s)")
    migrate.add_argument("--owner", default="gitenv", help="organization for the repositories (%(default)s)")
    migrate.add_argument("--prune-episodes", type=float, metavar="HOURS",
                         help="also delete per-episode copies older than HOURS (left by killed runs)")
    migrate.set_defaults(func=_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gitenv`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
