"""git cat-file: -t, -s, -e, -p and `<type> <object>`."""

from __future__ import annotations

from dulwich.objects import Tree

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser, usage_error
from ..paths import quote_path
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve, tree_path_error

_PARSER = OptionParser("cat-file", (
    Opt("type", "t", None), Opt("size", "s", None), Opt("exists", "e", None),
    Opt("pretty", "p", None),
))


def pretty_tree(tree: Tree) -> str:
    """`cat-file -p <tree>` / `ls-tree` lines: "<mode> <type> <sha>\\t<name>"."""
    lines = []
    for item in tree.iteritems():
        kind = "tree" if item.mode == 0o040000 else "commit" if item.mode == 0o160000 else "blob"
        lines.append(f"{item.mode:06o} {kind} {item.sha.decode()}\t{quote_path(item.path)}\n")
    return "".join(lines)


@command("cat-file")
def cat_file(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _PARSER.parse(args)
    flags = [k for k in ("type", "size", "exists", "pretty") if parsed[k]]
    wanted_type = None
    if not flags:
        if len(parsed.args) != 2:
            raise GitError(usage_error("cat-file", "").stderr.split("\n", 1)[1], 129)
        wanted_type, spec = parsed.args
    elif len(parsed.args) != 1 or len(flags) > 1:
        raise usage_error("cat-file", "only one batch option may be specified"
                          if len(flags) > 1 else "too many arguments")
    else:
        spec = parsed.args[0]
    sha = resolve(repo, spec)
    if sha is None:
        raise tree_path_error(repo, spec) or fatal(f"Not a valid object name {spec}")
    obj = repo.get(sha)
    if parsed["exists"]:
        return CommandResult(0)
    if parsed["type"]:
        return CommandResult(0, obj.type_name.decode() + "\n")
    if parsed["size"]:
        return CommandResult(0, f"{len(obj.as_raw_string())}\n")
    if wanted_type is not None:
        if obj.type_name.decode() != wanted_type:
            peeled = repo.peel(sha) if wanted_type == "commit" else obj
            if peeled.type_name.decode() != wanted_type:
                raise fatal(f"git cat-file {spec}: bad file")
            obj = peeled
        return CommandResult(0, obj.as_raw_string().decode("utf-8", "replace"))
    if isinstance(obj, Tree):
        return CommandResult(0, pretty_tree(obj))
    return CommandResult(0, obj.as_raw_string().decode("utf-8", "replace"))
