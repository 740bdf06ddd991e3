#!/usr/bin/env python3
"""Build the sample repositories used by tasks.yaml (deterministic: same SHAs everywhere)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pytest_gitenv.samples import make_samples

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", nargs="?", type=Path, default=ROOT / "examples" / "repos")
    parser.add_argument("--force", action="store_true", help="rebuild repositories that exist")
    args = parser.parse_args()
    for name, path in make_samples(args.dest, force=args.force).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
