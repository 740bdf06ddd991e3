#!/bin/sh
# Get the pinned Gitea binary (cache, Go build or download) and print its path.
# Usage: scripts/install_gitea.sh [--version X.Y.Z] [--quiet]
set -e
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" -m pytest_gitenv.cli install-gitea "$@"
