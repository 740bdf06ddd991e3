"""Command implementations; importing a module registers its commands (one line each)."""
from . import add  # noqa: F401
from . import branch  # noqa: F401
from . import checkout  # noqa: F401
from . import commit  # noqa: F401
from . import mv  # noqa: F401
from . import reset  # noqa: F401
from . import rm  # noqa: F401
from . import status  # noqa: F401
from . import log  # noqa: F401
from . import diff  # noqa: F401
from . import rev_parse  # noqa: F401
from . import cat_file  # noqa: F401
from . import tag  # noqa: F401
from . import show  # noqa: F401
from . import merge  # noqa: F401
from . import cherry_pick  # noqa: F401
from . import stash  # noqa: F401
