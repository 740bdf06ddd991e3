"""What agents may write into a repository's configuration: an allow-list of keys and URLs.

Every key that can make git (or dulwich) run a program, read files outside the workspace
or change how output looks is refused; so are `!` shell aliases and remote URLs that carry
credentials, run transports (ext::, ssh) or point outside the workspace.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import GitError

_ALLOWED = (
    re.compile(r"^user\.(name|email)$"),
    re.compile(r"^init\.defaultbranch$"),
    re.compile(r"^pull\.(rebase|ff)$"),
    re.compile(r"^push\.default$"),
    re.compile(r"^branch\.[^\n]+\.(remote|merge)$"),
    re.compile(r"^remote\.[^\n]+\.(url|fetch)$"),
    re.compile(r"^alias\.[A-Za-z0-9-]+$"),
)
# Keys (and patterns) known to run programs or load code: refused with a specific reason.
_DANGEROUS = re.compile(
    r"^(core\.(fsmonitor|hookspath|sshcommand|pager|editor|askpass|gitproxy|alternaterefscommand"
    r"|excludesfile|attributesfile|worktree)|sequence\.editor|pager\..*|diff\..*\.(textconv|command)"
    r"|diff\.external|merge\..*\.driver|filter\..*|gpg\..*|user\.signingkey|commit\.gpgsign"
    r"|tag\.gpgsign|credential(\..*)?|remote\..*\.(uploadpack|receivepack|proxy|vcs)"
    r"|uploadpack\..*|receivepack\..*|protocol\..*|http\..*|include\..*|includeif\..*"
    r"|ssh\..*|url\..*|gc\..*|instaweb\..*|mergetool\..*|difftool\..*|sendemail\..*"
    r"|browser\..*|web\..*|man\..*|help\..*|trailer\..*\.command|safe\..*)$")


def sandbox_error(message: str) -> GitError:
    return GitError(f"error: {message} (not allowed in this sandbox)\n", 1)


def check_config_key(key: str) -> None:
    """Refuse writes to any key outside the allow-list, naming program-running ones."""
    lowered = key.lower()
    if _DANGEROUS.match(lowered):
        raise sandbox_error(f"refusing to set '{key}': it can run programs or read files")
    if not any(p.match(lowered) for p in _ALLOWED):
        raise sandbox_error(f"refusing to set '{key}': only user.*, init.defaultBranch, "
                            "pull.*, push.default, branch.*.remote/merge, remote.*.url/fetch "
                            "and alias.* may be set")


def check_config_value(key: str, value: str, repo_root: Path, workspace: Path) -> None:
    lowered = key.lower()
    if lowered.startswith("alias.") and value.lstrip().startswith("!"):
        raise sandbox_error(f"refusing to set '{key}': shell aliases run programs")
    if lowered.startswith("remote.") and lowered.endswith(".url"):
        check_remote_url(value, repo_root, workspace)
    if "\n" in value or "\0" in value:
        raise sandbox_error("refusing a value containing a newline or NUL")


_SCP_LIKE = re.compile(r"^[^/:]+@[^/:]+:|^[A-Za-z0-9.-]+:(?!//)")


def check_remote_url(url: str, repo_root: Path, workspace: Path) -> None:
    """Only http(s) without credentials, or local paths inside the workspace."""
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")):
        authority = url.split("://", 1)[1].split("/", 1)[0]
        if "@" in authority:
            raise sandbox_error("refusing a remote URL with embedded credentials")
        return
    if "::" in url or "://" in url or _SCP_LIKE.match(url):
        raise sandbox_error(f"refusing remote URL '{url}': only http(s) URLs and paths "
                            "inside the workspace are allowed")
    target = Path(os.path.normpath(repo_root / url))
    root = workspace.resolve()
    if target != root and root not in target.parents:
        raise sandbox_error(f"refusing remote URL '{url}': it points outside the workspace")
