"""git fetch [-q] [-p|--prune] [-t|--tags] [-f] [<remote> [<refspec>...]]: over the environment's remotes.

Objects come over smart HTTP into the workspace repository; remote-tracking refs, auto-followed
tags, FETCH_HEAD, reflogs and the "From ..." report follow git 2.39.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor
from ..options import Opt, OptionParser
from ..registry import command
from ..remotes import endpoint, remote_url, short_url, transport
from ..repo import GitRepo
from .ls_remote import default_remote

_PARSER = OptionParser("fetch", (
    Opt("quiet", "q", "quiet"), Opt("prune", "p", "prune"), Opt("tags", "t", "tags"),
    Opt("force", "f", "force"), Opt("verbose", "v", "verbose"),
))
SUMMARY_WIDTH = 17  # 2 * abbrev (7) + 3
_RULES = ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")


MERGE, NOT_FOR_MERGE, IGNORE = 0, 1, 2  # FETCH_HEAD status, also the display order


@dataclass
class Update:
    """One remote ref fetched into `local` (None: only FETCH_HEAD)."""

    remote: str
    sha: str
    local: str | None
    force: bool
    status: int


def _refspecs(repo: GitRepo, remote: str | None) -> list[str]:
    if remote is None:
        return []
    try:
        values = list(repo.config.get_multivar((b"remote", remote.encode()), b"fetch"))
    except KeyError:
        values = []
    return [v.decode() for v in values]


def _expand(spec: str, remote_refs: dict[str, str], status: int) -> list[Update]:
    force = spec.startswith("+")
    src, _, dst = spec.lstrip("+").partition(":")
    if "*" in src:
        head, tail = src.split("*", 1)
        out = []
        for ref, sha in remote_refs.items():
            if ref.startswith(head) and ref.endswith(tail) and len(ref) >= len(head) + len(tail):
                middle = ref[len(head):len(ref) - len(tail)] if tail else ref[len(head):]
                out.append(Update(ref, sha, dst.replace("*", middle, 1) if dst else None, force, status))
        return out
    for rule in _RULES:
        ref = rule.format(src)
        if ref in remote_refs:
            local = dst if not dst or dst.startswith("refs/") else f"refs/heads/{dst}"
            return [Update(ref, remote_refs[ref], local or None, force, MERGE)]
    raise fatal(f"couldn't find remote ref {src}")


def _kind(ref: str) -> tuple[str, str]:
    """(kind, name) as fetch describes a remote ref: ("branch", "main"), ("", "refs/x")."""
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag"),
                         ("refs/remotes/", "remote-tracking branch")):
        if ref.startswith(prefix):
            return kind, ref[len(prefix):]
    return ("", "") if ref == "HEAD" else ("", ref)


def pretty(ref: str) -> str:
    """git's prettify_refname."""
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


@dataclass
class FetchOutcome:
    stderr: str
    exit_code: int
    remote: str | None
    url: str
    updates: list[Update]


def do_fetch(repo: GitRepo, ctx: CommandContext, args: list[str], rla: str) -> FetchOutcome:
    """Run `git fetch <args>` (also used by pull); `rla` is the reflog action ("fetch ...")."""
    opts = _PARSER.parse(args)
    name = opts.args[0] if opts.args else default_remote(repo)
    if name is None:
        raise fatal("No remote repository specified.  Please, specify either a URL or a\n"
                    "remote name from which new revisions should be fetched.")
    remote, url = remote_url(repo, name)
    explicit = opts.args[1:]
    specs = explicit or _refspecs(repo, remote)
    if opts["tags"]:
        specs = [*specs, "refs/tags/*:refs/tags/*"]
    target = endpoint(ctx, url)
    (repo.git_dir / "FETCH_HEAD").write_text("")  # git truncates it before talking to the remote
    plan: list[Update] = []

    def wants(refs: dict[bytes, bytes], depth: int | None = None) -> list[bytes]:
        remote_refs = {k.decode(): v.decode() for k, v in refs.items() if v and not k.endswith(b"^{}")}
        for spec in specs:
            plan.extend(_expand(spec, remote_refs, MERGE if explicit else NOT_FOR_MERGE))
        if explicit:  # also update the configured remote-tracking refs ("opportunistic" updates)
            for update in list(plan):
                for spec in _refspecs(repo, remote):
                    plan.extend(u for u in _expand(spec, {update.remote: update.sha}, IGNORE)
                                if u.local and u.local not in {p.local for p in plan})
        else:
            _mark_merge(repo, remote, plan)
        head = repo.head_target()
        if head and any(u.local == head for u in plan):
            raise fatal(f"refusing to fetch into branch '{head}' checked out at '{repo.worktree}'")
        return sorted({u.sha.encode() for u in plan} - _present(repo, {u.sha for u in plan}))

    with transport(ctx, url):
        listing = target.client.get_refs(target.path.encode())  # ls-refs with peeled tags, for auto-follow
        target.client.fetch(target.path, repo.dulwich, determine_wants=wants)
        peeled = {k[:-3].decode(): v.decode() for k, v in listing.refs.items() if k.endswith(b"^{}") and v}
        followed = _follow_tags(repo, listing.refs, peeled, {u.local for u in plan})
        missing = {u.sha.encode() for u in followed} - _present(repo, {u.sha for u in followed})
        if missing:
            target.client.fetch(target.path, repo.dulwich, determine_wants=lambda refs, depth=None: sorted(missing))
    plan.extend(followed)
    lines, code = _apply(repo, plan, rla, specs, prune=opts["prune"], force=opts["force"])
    short = short_url(url)
    _write_fetch_head(repo, plan, short)
    text = "" if opts["quiet"] or not lines else f"From {short}\n" + "".join(lines)
    return FetchOutcome(text, code, remote, url, plan)


def _present(repo: GitRepo, shas: set[str]) -> set[bytes]:
    return {s.encode() for s in shas if repo.has(s)}


def _mark_merge(repo: GitRepo, remote: str | None, plan: list[Update]) -> None:
    """Default refspecs: only the current branch's configured upstream is for merging."""
    branch = repo.current_branch()
    merge = repo.config_get(("branch", branch), "merge") if branch else None
    same = branch is not None and repo.config_get(("branch", branch), "remote") == remote
    for update in plan:
        update.status = MERGE if same and merge == update.remote else NOT_FOR_MERGE


def _follow_tags(repo: GitRepo, refs: dict[bytes, bytes | None], peeled: dict[str, str],
                 locals_: set[str | None]) -> list[Update]:
    """Tags pointing into history we have (or fetch), not present locally: git's auto-follow."""
    out = []
    for raw, value in refs.items():
        ref = raw.decode()
        if value is None or not ref.startswith("refs/tags/") or ref.endswith("^{}"):
            continue
        if ref in locals_ or repo.resolve_ref(ref) is not None:
            continue
        target = peeled.get(ref, value.decode())
        if repo.has(target):
            out.append(Update(ref, value.decode(), ref, False, NOT_FOR_MERGE))
    return out


def _apply(repo: GitRepo, plan: list[Update], rla: str, specs: list[str], *, prune: bool,
           force: bool) -> tuple[list[str], int]:
    code = 0
    width = max([10] + [len(_kind(u.remote)[1] or "HEAD") for u in plan
                        if u.local is None or repo.resolve_ref(u.local) != u.sha])
    lines = _prune(repo, plan, specs, width) if prune else []
    for status in (MERGE, NOT_FOR_MERGE, IGNORE):
        for update in plan:
            if update.status == status:
                line, failed = _update(repo, update, width, rla, force)
                code |= failed
                lines.append(line)
    return [line for line in lines if line], code


def _line(flag: str, summary: str, remote: str, local: str, width: int, note: str = "") -> str:
    text = f" {flag} {summary:<{SUMMARY_WIDTH}} {remote:<{width}} -> {local}"
    return text + (f"  ({note})" if note else "") + "\n"


def _update(repo: GitRepo, u: Update, width: int, rla: str, force_all: bool) -> tuple[str, int]:
    kind, what = _kind(u.remote)
    if u.local is None:
        return _line("*", kind or "branch", what or "HEAD", "FETCH_HEAD", width), 0
    old = repo.resolve_ref(u.local)
    name, local = what or "HEAD", pretty(u.local)
    if old == u.sha:
        return "", 0
    if old is None:
        kind = "tag" if u.local.startswith("refs/tags/") else "head" if u.remote.startswith("refs/heads/") else "ref"
        summary = {"tag": "[new tag]", "head": "[new branch]", "ref": "[new ref]"}[kind]
        repo.update_ref(u.local, u.sha, f"{rla}: storing {kind}")
        return _line("*", summary, name, local, width), 0
    if u.local.startswith("refs/tags/"):
        if not (u.force or force_all):
            return _line("!", "[rejected]", name, local, width, "would clobber existing tag"), 1
        repo.update_ref(u.local, u.sha, f"{rla}: updating tag")
        return _line("t", "[tag update]", name, local, width), 0
    if repo.has(old) and is_ancestor(repo, old, u.sha):
        repo.update_ref(u.local, u.sha, f"{rla}: fast-forward")
        return _line(" ", f"{old[:7]}..{u.sha[:7]}", name, local, width), 0
    if not (u.force or force_all):
        return _line("!", "[rejected]", name, local, width, "non-fast-forward"), 1
    repo.update_ref(u.local, u.sha, f"{rla}: forced-update")
    return _line("+", f"{old[:7]}...{u.sha[:7]}", name, local, width, "forced update"), 0


def _prune(repo: GitRepo, plan: list[Update], specs: list[str], width: int) -> list[str]:
    fetched = {u.local for u in plan}
    lines = []
    for spec in specs:
        dst = spec.lstrip("+").partition(":")[2]
        if "*" not in dst:
            continue
        for ref in repo.refs(dst.split("*", 1)[0]):
            raw = repo.read_raw_ref(ref) or ""
            if fnmatch.fnmatchcase(ref, dst) and ref not in fetched and not raw.startswith("ref:"):
                repo.delete_ref(ref)
                lines.append(_line("-", "[deleted]", "(none)", pretty(ref), width))
    return lines


def _write_fetch_head(repo: GitRepo, plan: list[Update], short: str) -> None:
    rows = []
    for status in (MERGE, NOT_FOR_MERGE):
        for u in (u for u in plan if u.status == status):
            kind, what = _kind(u.remote)
            where = f"{kind} '{what}' of " if kind else (f"'{what}' of " if what else "")
            rows.append(f"{u.sha}\t{'not-for-merge' if status else ''}\t{where}{short}\n")
    (repo.git_dir / "FETCH_HEAD").write_text("".join(rows))


@command("fetch")
def fetch(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    outcome = do_fetch(repo, ctx, args, " ".join(["fetch", *args]))
    if outcome.exit_code:
        raise GitError(outcome.stderr, 1)
    return CommandResult(0, "", outcome.stderr)
