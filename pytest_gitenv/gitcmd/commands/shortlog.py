"""git shortlog: commits grouped by author (-s counts, -n by count, -e with email)."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..logselect import all_ref_commits, revision_ranges
from ..message import SPACE, split_message
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revwalk import walk

_PARSER = OptionParser("shortlog", (
    Opt("summary", "s", "summary"), Opt("numbered", "n", "numbered"), Opt("email", "e", "email"),
    Opt("all", None, "all"),
))


def _oneline(message: bytes) -> str:
    """The subject as shortlog lists it: leading blanks and a "[PATCH ...]" prefix dropped."""
    subject = split_message(message)[0].lstrip(SPACE)
    if subject.startswith("[PATCH") and "]" in subject:
        subject = subject[subject.index("]") + 1:]
    return subject.strip(SPACE)


@command("shortlog")
def shortlog(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    """Without revisions this summarises HEAD (git would read a log from a non-tty stdin)."""
    parsed = _PARSER.parse(args)
    split = split_args(repo, parsed)
    include, exclude = revision_ranges(repo, split.revs or (["HEAD"] if repo.head_sha() else []))
    if parsed["all"]:
        include += all_ref_commits(repo)
    groups: dict[str, list[str]] = {}
    for _sha, commit in walk(repo, include, exclude):
        name, _, email = commit.author.decode("utf-8", "replace").partition(" <")
        key = f"{name} <{email}" if parsed["email"] else name
        groups.setdefault(key, []).append(_oneline(commit.message))
    order = sorted(groups, key=lambda k: (-len(groups[k]), k) if parsed["numbered"] else k)
    if parsed["summary"]:
        return CommandResult(0, "".join(f"{len(groups[k]):>6}\t{k}\n" for k in order))
    return CommandResult(0, "".join(
        f"{k} ({len(groups[k])}):\n" + "".join(f"      {s}\n" for s in reversed(groups[k])) + "\n"
        for k in order))
