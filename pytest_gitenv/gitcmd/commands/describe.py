"""git describe: the nearest tag (annotated unless --tags) plus distance and abbreviated id."""

from __future__ import annotations

from dulwich.objects import Tag

from ..abbrev import MIN_ABBREV, abbreviate
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import ancestors
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve_commit
from ..revwalk import walk

_DESCRIBE = OptionParser("describe", (Opt("tags", None, "tags"), Opt("always", None, "always"),
                                      Opt("long", None, "long"),
                                      Opt("abbrev", None, "abbrev", "optional", const="")))


def _describe_candidates(repo: GitRepo, lightweight: bool) -> dict[str, str]:
    """commit id -> tag name describing it (annotated tags first, then by name)."""
    found: dict[str, tuple[bool, str]] = {}
    for ref, sha in repo.refs("refs/tags/").items():
        annotated = isinstance(repo.get(sha), Tag)
        if not (annotated or lightweight):
            continue
        target = repo.peel(sha)
        if target.type_name != b"commit":
            continue
        key = target.id.decode()
        rank = (not annotated, ref[len("refs/tags/"):])
        if key not in found or rank < found[key]:
            found[key] = rank
    return {sha: name for sha, (_lw, name) in found.items()}


@command("describe")
def describe(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _DESCRIBE.parse(args)
    abbrev = int(parsed["abbrev"]) if parsed["abbrev"] else MIN_ABBREV
    if abbrev == 0 and parsed["long"]:
        raise fatal("options '--long' and '--abbrev=0' cannot be used together")
    spec = parsed.args[0] if parsed.args else "HEAD"
    if not parsed["always"] and not repo.refs("refs/tags/"):  # git checks this first
        raise fatal("No names found, cannot describe anything.")
    target = resolve_commit(repo, spec)
    if target is None:
        raise fatal(f"Not a valid object name {spec}")
    names = _describe_candidates(repo, bool(parsed["tags"]))
    best: tuple[int, str] | None = None
    seen = 0
    for sha, _commit in walk(repo, [target]):
        if sha in names:
            depth = len(ancestors(repo, target) - ancestors(repo, sha))
            if best is None or depth < best[0]:
                best = (depth, names[sha])
            seen += 1
            if seen >= 10 or depth == 0:
                break
    if best is None:
        if parsed["always"]:
            return CommandResult(0, abbreviate(repo, target, abbrev or 40) + "\n")
        if not parsed["tags"] and _describe_candidates(repo, True):
            raise GitError(f"fatal: No annotated tags can describe '{target}'.\nHowever, there "
                           "were unannotated tags: try --tags.\n", 128)
        raise GitError(f"fatal: No tags can describe '{target}'.\nTry --always, or create some "
                       "tags.\n", 128)
    depth, name = best
    name, warning = _tag_name(repo, name)
    if abbrev == 0 or (depth == 0 and not parsed["long"]):
        return CommandResult(0, name + "\n", warning)
    return CommandResult(0, f"{name}-{depth}-g{abbreviate(repo, target, abbrev)}\n", warning)


def _tag_name(repo: GitRepo, ref_name: str) -> tuple[str, str]:
    """(name to print, warning): an annotated tag is shown by the name inside it, like git."""
    tag = repo.get(repo.resolve_ref(f"refs/tags/{ref_name}") or "")
    inner = tag.name.decode(errors="replace") if isinstance(tag, Tag) else ref_name
    if inner == ref_name:
        return ref_name, ""
    return inner, f"warning: tag '{ref_name}' is externally known as '{inner}'\n"
