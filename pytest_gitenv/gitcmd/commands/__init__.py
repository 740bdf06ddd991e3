"""Command implementations; importing a module registers its commands (one line each)."""
from . import status  # noqa: F401
