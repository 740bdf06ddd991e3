"""Command implementations; importing a module registers its commands (one line each)."""
from . import (
    add,  # noqa: F401
    blame,  # noqa: F401
    branch,  # noqa: F401
    cat_file,  # noqa: F401
    checkout,  # noqa: F401
    cherry_pick,  # noqa: F401
    clean,  # noqa: F401
    commit,  # noqa: F401
    config,  # noqa: F401
    diff,  # noqa: F401
    grep,  # noqa: F401
    log,  # noqa: F401
    ls_files,  # noqa: F401
    merge,  # noqa: F401
    mv,  # noqa: F401
    reflog,  # noqa: F401
    remote,  # noqa: F401
    reset,  # noqa: F401
    rev_parse,  # noqa: F401
    rm,  # noqa: F401
    show,  # noqa: F401
    stash,  # noqa: F401
    status,  # noqa: F401
    tag,  # noqa: F401
)
