"""git rev-list, merge-base and ls-tree: small read-only helpers over the same machinery."""

from __future__ import annotations

from dulwich.objects import Commit, Tree

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor, merge_bases
from ..logselect import all_ref_commits, revision_ranges
from ..options import Opt, OptionParser
from ..paths import display
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve, resolve_commit
from ..revwalk import walk

_REV_LIST = OptionParser("rev-list", (
    Opt("count", None, "count"), Opt("all", None, "all"), Opt("reverse", None, "reverse"),
    Opt("max_count", "n", "max-count", "value"), Opt("first_parent", None, "first-parent"),
    Opt("merges", None, "merges", negatable=False),
    Opt("no_merges", None, "no-merges", negatable=False),
), numeric="max_count")
_MERGE_BASE = OptionParser("merge-base", (Opt("all", "a", "all"),
                                          Opt("is_ancestor", None, "is-ancestor")))
_LS_TREE = OptionParser("ls-tree", (
    Opt("recursive", "r", None), Opt("trees", "t", None), Opt("dirs_only", "d", None),
    Opt("name_only", None, "name-only"), Opt("name_only", None, "name-status"),
    Opt("long", "l", "long"), Opt("full_tree", None, "full-tree"),
))


@command("rev-list")
def rev_list(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _REV_LIST.parse(args)
    split = split_args(repo, parsed)
    include, exclude = revision_ranges(repo, split.revs)
    if parsed["all"]:
        include += all_ref_commits(repo)
    if not include:
        raise GitError("usage: git rev-list [<options>] <commit>... [--] [<path>...]\n", 129)
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    shas = [sha for sha, c in walk(repo, include, exclude, first_parent=bool(parsed["first_parent"]),
                                   wanted=spec.matches if spec else None)
            if not ((parsed["merges"] and len(c.parents) < 2)
                    or (parsed["no_merges"] and len(c.parents) > 1))]
    if parsed["max_count"] is not None:
        shas = shas[:int(parsed["max_count"])]
    if parsed["count"]:
        return CommandResult(0, f"{len(shas)}\n")
    if parsed["reverse"]:
        shas.reverse()
    return CommandResult(0, "".join(f"{sha}\n" for sha in shas))


@command("merge-base")
def merge_base(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _MERGE_BASE.parse(args)
    if len(parsed.args) != 2:
        raise GitError("usage: git merge-base [-a | --all] <commit> <commit>...\n", 129)
    a, b = (resolve_commit(repo, spec) for spec in parsed.args)
    for spec, sha in zip(parsed.args, (a, b), strict=True):
        if sha is None:
            raise fatal(f"Not a valid commit name {spec}" if parsed["is_ancestor"]
                        else f"Not a valid object name {spec}")
    assert a is not None and b is not None
    if parsed["is_ancestor"]:
        return CommandResult(0 if is_ancestor(repo, a, b) else 1)
    bases = merge_bases(repo, a, b)
    if not bases:
        return CommandResult(1)
    shown = bases if parsed["all"] else bases[:1]
    return CommandResult(0, "".join(f"{sha}\n" for sha in shown))


def _tree_of(repo: GitRepo, spec: str) -> Tree:
    sha = resolve(repo, spec)
    if sha is None:
        raise fatal(f"Not a valid object name {spec}")
    obj = repo.peel(sha)
    if isinstance(obj, Commit):
        obj = repo.get(obj.tree.decode())
    if not isinstance(obj, Tree):
        raise fatal("not a tree object")
    return obj


@command("ls-tree")
def ls_tree(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _LS_TREE.parse(args)
    if not parsed.args:
        raise GitError("usage: git ls-tree [<options>] <tree-ish> [<path>...]\n", 129)
    tree = _tree_of(repo, parsed.args[0])
    prefix = b"" if parsed["full_tree"] else repo.prefix(ctx.cwd)
    spec = Pathspec(repo, parsed.args[1:], ctx.cwd) if parsed.args[1:] else None
    out: list[str] = []

    def visit(node: Tree, base: bytes) -> None:
        for item in node.iteritems():
            path = base + item.path
            is_tree = item.mode == 0o040000
            inside = path.startswith(prefix) or prefix.startswith(path + b"/")
            if not inside:
                continue
            descend = is_tree and (prefix.startswith(path + b"/") or (
                parsed["recursive"] and (spec is None or spec.matches_dir(path))))
            if path.startswith(prefix) and (spec is None or spec.matches(path)) and not (
                    descend and not parsed["trees"]) and not (parsed["dirs_only"] and not is_tree):
                kind = "tree" if is_tree else "commit" if item.mode == 0o160000 else "blob"
                name = display(path, prefix)
                out.append(name + "\n" if parsed["name_only"] else
                           f"{item.mode:06o} {kind} {item.sha.decode()}\t{name}\n")
            if descend:
                child = repo.get(item.sha.decode())
                assert isinstance(child, Tree)
                visit(child, path + b"/")

    visit(tree, b"")
    return CommandResult(0, "".join(out))
