"""git shortlog: commits grouped by author or committer (-c, --group), -s counts, -n by count,
-e with email, --format for the listed lines."""

from __future__ import annotations

from dulwich.objects import Commit

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..errors import GitError
from ..logformat import BUILTIN_FORMATS, LogFormatter
from ..logselect import all_ref_commits, revision_ranges
from ..message import SPACE, split_message
from ..options import Opt, OptionParser, not_supported
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revwalk import walk

_PARSER = OptionParser("shortlog", (
    Opt("summary", "s", "summary"), Opt("numbered", "n", "numbered"), Opt("email", "e", "email"),
    Opt("all", None, "all"), Opt("committer", "c", "committer"), Opt("group", None, "group", "value"),
    Opt("format", None, "format", "value"),
))


def _oneline(text: str) -> str:
    """A listed line as shortlog shows it: "<none>" for nothing, else leading blanks and a
    "[PATCH ...]" prefix dropped."""
    if not text:
        return "<none>"
    text = text.lstrip(SPACE)
    if text.startswith("[PATCH") and "]" in text:
        text = text[text.index("]") + 1:]
    return split_message(text.lstrip(SPACE).encode())[0]


def _by_committer(parsed_group: str | None, committer_flag: bool) -> bool:
    if parsed_group not in (None, "author", "committer"):
        raise GitError(f"error: unknown group type: {parsed_group}\n", 129)
    return committer_flag or parsed_group == "committer"


@command("shortlog")
def shortlog(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    """Without revisions this summarises HEAD (git would read a log from a non-tty stdin)."""
    parsed = _PARSER.parse(args)
    committer = _by_committer(parsed["group"], bool(parsed["committer"]))
    split = split_args(repo, parsed)
    include, exclude = revision_ranges(repo, split.revs or (["HEAD"] if repo.head_sha() else []))
    if parsed["all"]:
        include += all_ref_commits(repo)
    if parsed["format"] in BUILTIN_FORMATS:
        raise not_supported("shortlog", f"--format={parsed['format']}")
    formatter = LogFormatter(repo, abbreviator(repo)) if parsed["format"] is not None else None

    def listed(sha: str, commit: Commit) -> str:
        if formatter is None:
            return split_message(commit.message)[0]
        return formatter.expand(parsed["format"].removeprefix("format:"), sha, commit)

    groups: dict[str, list[str]] = {}
    for sha, commit in walk(repo, include, exclude):
        ident = commit.committer if committer else commit.author
        name, _, email = ident.decode("utf-8", "replace").partition(" <")
        key = f"{name} <{email}" if parsed["email"] else name
        groups.setdefault(key, []).append(_oneline(listed(sha, commit)))
    order = sorted(groups, key=lambda k: (-len(groups[k]), k) if parsed["numbered"] else k)
    if parsed["summary"]:
        return CommandResult(0, "".join(f"{len(groups[k]):>6}\t{k}\n" for k in order))
    return CommandResult(0, "".join(
        f"{k} ({len(groups[k])}):\n" + "".join(f"      {s}\n" for s in reversed(groups[k])) + "\n"
        for k in order))
