"""git ls-tree: entries of a tree-ish (-r, -t, -d, --name-only, paths, cwd-relative)."""

from __future__ import annotations

from dulwich.objects import Commit, Tree

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..paths import display
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve

_LS_TREE = OptionParser("ls-tree", (
    Opt("recursive", "r", None), Opt("trees", "t", None), Opt("dirs_only", "d", None),
    Opt("name_only", None, "name-only"), Opt("name_only", None, "name-status"),
    Opt("long", "l", "long"), Opt("full_tree", None, "full-tree"),
))


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
