"""git diff: worktree vs index, --cached, <commit>, A B, A..B, A...B, with paths."""

from __future__ import annotations

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..diffing import (
    Blobs,
    FilePair,
    PathFilter,
    compare_flat,
    index_flat,
    index_pairs,
    tree_pairs,
    worktree_pairs,
)
from ..diffopts import DIFF_OPTIONS, diff_context, diff_formats, render
from ..errors import GitError, fatal
from ..graph import merge_bases
from ..options import Opt, OptionParser, not_supported
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve_or_die
from ..usage_text import USAGE

_PARSER = OptionParser("diff", (
    *DIFF_OPTIONS,
    Opt("cached", None, "cached"),
    Opt("cached", None, "staged"),
    Opt("exit_code", None, "exit-code"),
    Opt("quiet", None, "quiet"),
    Opt("diff_filter", None, "diff-filter", "value"),
    Opt("reverse", "R", None),
    Opt("all", "w", "ignore-all-space"),
    Opt("change", "b", "ignore-space-change"),
    Opt("eol", None, "ignore-space-at-eol"),
    Opt("find_renames", "M", "find-renames", "optional", const="", negatable=False),
    Opt("src_prefix", None, "src-prefix", "value"),
    Opt("dst_prefix", None, "dst-prefix", "value"),
    Opt("no_prefix", None, "no-prefix", negatable=False),
    Opt("null", "z", None),
))


def _reversed(pairs: list[FilePair]) -> list[FilePair]:
    """-R: each pair from its new side to its old one (renames turned around)."""
    turned = [p if p.unmerged else FilePair(p.source, p.new, p.old,
                                            p.path if p.old_path else None, score=p.score)
              for p in pairs]
    return sorted(turned, key=lambda p: p.path)


def _diff_filter(pairs: list[FilePair], letters: str) -> list[FilePair]:
    """git's --diff-filter: upper-case status letters select, lower-case ones exclude."""
    for letter in letters:
        if letter.upper() not in "ACDMRTUXB*":
            raise GitError(f"error: unknown change class '{letter}' in --diff-filter="
                           f"{letters}\n", 129)
    include = {c for c in letters if c.isupper()}
    exclude = {c.upper() for c in letters if c.islower()}
    return [p for p in pairs if (not include or "*" in include or p.status[0] in include)
            and p.status[0] not in exclude]


def _tree_of(repo: GitRepo, spec: str) -> bytes:
    """The tree a revision names (commits and tags peeled)."""
    obj = repo.peel(resolve_or_die(repo, spec))
    tree = getattr(obj, "tree", None)
    if tree is not None:
        return tree
    if obj.type_name == b"tree":
        return obj.id
    raise fatal(f"'{spec}': not a tree-ish")


def _worktree_state(repo: GitRepo, blobs: Blobs, wanted: PathFilter | None) -> list[FilePair]:
    """Index vs worktree; like git, stat data found stale but unchanged is written back."""
    index = repo.index()
    pairs, refreshed = worktree_pairs(repo, index, blobs, wanted)
    if refreshed:
        repo.write_index(index)
    return pairs


def _worktree_vs_tree(repo: GitRepo, tree: bytes, blobs: Blobs,
                      wanted: PathFilter | None) -> list[FilePair]:
    current = index_flat(repo.index())
    for pair in _worktree_state(repo, blobs, wanted):
        if pair.new is None:
            current.pop(pair.path, None)
        else:
            current[pair.path] = (pair.new.mode, bytes.fromhex(pair.new.sha.decode()))
    return compare_flat(repo.flat_tree(tree.decode()), current, wanted, blobs)


def _sides(revs: list[str]) -> list[str]:
    """The revisions in from/to order: "A..B" is ^A B, and like git's builtin_diff_tree
    a negated second revision is the "from" side (`diff A ^B` is `diff B A`)."""
    named: list[tuple[str, bool]] = []
    for rev in revs:
        if ".." in rev:
            left, right = rev.split("..", 1)
            named += [(left or "HEAD", True), (right or "HEAD", False)]
        else:
            named.append((rev[1:], True) if rev.startswith("^") else (rev, False))
    if len(named) == 2 and named[1][1]:
        named.reverse()
    return [name for name, _negated in named]


def _pairs(repo: GitRepo, revs: list[str], cached: bool, blobs: Blobs,
                      wanted: PathFilter | None) -> list[FilePair]:
    if len(revs) == 1 and "..." in revs[0]:
        left, right = revs[0].split("...", 1)
        a, b = resolve_or_die(repo, left or "HEAD"), resolve_or_die(repo, right or "HEAD")
        bases = merge_bases(repo, repo.peel(a).id.decode(), repo.peel(b).id.decode())
        if not bases:
            raise fatal(f"{left or 'HEAD'}...{right or 'HEAD'}: no merge base")
        return tree_pairs(repo.objects, _tree_of(repo, bases[0]), _tree_of(repo, b), wanted)
    ranged = any(".." in rev for rev in revs)
    revs = _sides(revs)
    if len(revs) == 2:
        return tree_pairs(repo.objects, _tree_of(repo, revs[0]), _tree_of(repo, revs[1]), wanted)
    if len(revs) > 2:
        if ranged:
            raise GitError(USAGE["diff"], 129)
        raise fatal("git diff with more than two commits (a combined diff) is not supported in this environment")
    if cached:
        base = revs[0] if revs else "HEAD"
        tree = _tree_of(repo, base).decode() if revs or repo.head_sha() else None
        return index_pairs(repo.flat_tree(tree), repo.index(), wanted, blobs)
    if revs:
        return _worktree_vs_tree(repo, _tree_of(repo, revs[0]), blobs, wanted)
    return _worktree_state(repo, blobs, wanted)


@command("diff")
def diff(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    if parsed["find_renames"]:  # plain -M is the default (diff.renames); thresholds are not
        raise not_supported("diff", f"--find-renames={parsed['find_renames']}")
    split = split_args(repo, parsed)
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    blobs = Blobs(repo.objects)
    pairs = _pairs(repo, split.revs, bool(parsed["cached"]), blobs,
                   spec.matches if spec else None)
    if parsed["reverse"]:
        pairs = _reversed(pairs)
    if parsed["diff_filter"]:
        pairs = _diff_filter(pairs, parsed["diff_filter"])
    code = 1 if (parsed["exit_code"] or parsed["quiet"]) and pairs else 0
    if parsed["quiet"]:
        return CommandResult(code)
    prefixes = ("", "") if parsed["no_prefix"] else (
        parsed["src_prefix"] if parsed["src_prefix"] is not None else "a/",
        parsed["dst_prefix"] if parsed["dst_prefix"] is not None else "b/")
    if parsed["reverse"]:  # git swaps the prefixes along with the sides
        prefixes = prefixes[::-1]
    return CommandResult(code, render(pairs, diff_formats(parsed, ["patch"]), blobs,
                                      abbreviator(repo), diff_context(parsed), prefixes,
                                      next((w for w in ("all", "change", "eol") if parsed[w]),
                                           None), bool(parsed["null"])))
