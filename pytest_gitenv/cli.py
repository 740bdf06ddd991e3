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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gitenv`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
