"""Command implementations; importing a module registers its commands (one line each)."""
from . import status  # noqa: F401
from . import log  # noqa: F401
from . import diff  # noqa: F401
