"""git show: commits (with their diff), annotated tags, trees and blobs (REV:path)."""

from __future__ import annotations

from dulwich.objects import Blob, Commit, Tag, Tree

from ..context import CommandContext, CommandResult
from ..diffing import Blobs, tree_pairs
from ..diffopts import diff_context, diff_formats
from ..errors import fatal
from ..logformat import LogFormatter, format_date
from ..options import OptionParser
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revisions import resolve_or_die
from .log import (
    LOG_OPTIONS,
    commit_diff,
    commit_style,
    format_entry,
    make_formatter,
    parse_log_args,
    record_end,
)

_PARSER = OptionParser("show", LOG_OPTIONS)


def _tag_header(tag: Tag, fmt: LogFormatter, style: str) -> str:
    """git's show_tag_object: the name, the tagger as the commit format shows people, the
    message as stored."""
    tagger = tag.tagger.decode("utf-8", "replace")
    date = format_date(tag.tag_time, tag.tag_timezone, fmt.date_mode)
    people = {"oneline": "", "medium": f"Tagger: {tagger}\nDate:   {date}\n",
              "fuller": f"Tagger:     {tagger}\nTaggerDate: {date}\n"}
    who = people.get(style, f"Tagger: {tagger}\n")
    message = tag.message.decode("utf-8", "replace")
    return f"tag {tag.name.decode()}\n{who}\n{message}"


def _tree_listing(spec: str, tree: Tree) -> str:
    names = [raw(item.path) + ("/" if item.mode == 0o040000 else "")
             for item in tree.iteritems()]
    return f"tree {spec}\n\n" + "".join(f"{n}\n" for n in names)


def _treesame(repo: GitRepo, commit: Commit, spec: Pathspec) -> bool:
    """Does the commit leave the pathspec's paths as one of its parents (or, for a root
    commit, the empty tree) had them? git's revision pruning then shows nothing for it."""
    parents = [repo.commit(p.decode()).tree for p in commit.parents] or [None]
    return any(not tree_pairs(repo.objects, tree, commit.tree, spec.matches) for tree in parents)


@command("show")
def show(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = parse_log_args(_PARSER, args)
    split = split_args(repo, parsed)
    style, user, terminated = commit_style(parsed)
    fmt = make_formatter(repo, parsed)
    formats = diff_formats(parsed, ["patch"])
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    blobs = Blobs(repo.objects)
    end = record_end(parsed)
    out: list[str] = []
    shown = False  # git's rev.shown_one: later tags and trees get a blank line first
    commits_shown: set[str] = set()
    if not split.revs and repo.head_sha() is None:
        raise fatal(f"your current branch '{repo.current_branch() or 'HEAD'}' does not have any "
                    "commits yet")
    for rev in split.revs or ["HEAD"]:
        sha = resolve_or_die(repo, rev)
        obj = repo.get(sha)
        while isinstance(obj, Tag):
            out.append(("\n" if shown else "") + _tag_header(obj, fmt, style))
            shown = True
            sha = obj.object[1].decode()
            obj = repo.get(sha)
        if isinstance(obj, Commit):
            if sha in commits_shown or (spec is not None and _treesame(repo, obj, spec)):
                continue  # git marks a shown commit SHOWN (tags and blobs print every time)
            commits_shown.add(sha)
            diff = commit_diff(repo, obj, formats, blobs, fmt.abbrev,
                               spec.matches if spec else None, combined=True,
                               context=diff_context(parsed), null=bool(parsed["null"]))
            entry = format_entry(fmt, style, user, terminated, sha, obj, diff,
                                 combined_merge=len(obj.parents) > 1 and bool(formats), end=end)
            if shown and not terminated:
                out.append(end)
            out.append(entry)
            shown = True
        elif isinstance(obj, Tree):
            out.append(("\n" if shown else "") + _tree_listing(rev, obj))
            shown = True
        elif isinstance(obj, Blob):
            out.append(obj.as_raw_string().decode("utf-8", "replace"))
    return CommandResult(0, "".join(out))
