"""git push [-u] [-f] [--tags] [-d] [-q] [-n] [<remote> [<refspec>...]] over the environment's remotes.

Status lines, rejections (non-fast-forward, fetch first, tag already exists), hints, the
"remote:" lines Gitea sends, remote-tracking updates and `-u` tracking follow git 2.39.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor
from ..options import Opt, OptionParser, Parsed
from ..registry import command
from ..remotes import anonymize, endpoint, remote_url, transport
from ..repo import GitRepo
from ..revisions import dwim_ref, resolve
from .fetch import pretty

ZERO = "0" * 40
_PARSER = OptionParser("push", (
    Opt("set_upstream", "u", "set-upstream"), Opt("force", "f", "force"), Opt("tags", None, "tags"),
    Opt("delete", "d", "delete"), Opt("quiet", "q", "quiet"), Opt("verbose", "v", "verbose"),
    Opt("dry_run", "n", "dry-run"),
))
_HINTS = {
    "non-fast-forward": (
        "Updates were rejected because the tip of your current branch is behind\n"
        "its remote counterpart. Integrate the remote changes (e.g.\n"
        "'git pull ...') before pushing again.\n"
        "See the 'Note about fast-forwards' in 'git push --help' for details."),
    "non-fast-forward other": (
        "Updates were rejected because a pushed branch tip is behind its remote\n"
        "counterpart. Check out this branch and integrate the remote changes\n"
        "(e.g. 'git pull ...') before pushing again.\n"
        "See the 'Note about fast-forwards' in 'git push --help' for details."),
    "fetch first": (
        "Updates were rejected because the remote contains work that you do\n"
        "not have locally. This is usually caused by another repository pushing\n"
        "to the same ref. You may want to first integrate the remote changes\n"
        "(e.g., 'git pull ...') before pushing again.\n"
        "See the 'Note about fast-forwards' in 'git push --help' for details."),
    "already exists": "Updates were rejected because the tag already exists in the remote.",
}


@dataclass
class RefPush:
    """Push `src` (a local ref or None for a deletion) with value `new` to remote ref `dst`."""

    src: str | None
    dst: str
    new: str
    force: bool
    old: str | None = None
    flag: str = ""
    summary: str = ""
    note: str = ""


def _push_remote(repo: GitRepo, branch: str | None) -> str:
    remote = repo.config_get(("branch", branch), "remote") if branch else None
    return remote if remote and remote != "." else "origin"


def _default_refspec(repo: GitRepo, remote: str, branch: str | None) -> str:
    """push.default=simple: the current branch to its same-named upstream."""
    if branch is None:
        raise fatal("You are not currently on a branch.\n"
                    "To push the history leading to the current (detached HEAD)\nstate now, use\n\n"
                    f"    git push {remote} HEAD:<name-of-remote-branch>\n")
    merge = repo.config_get(("branch", branch), "merge")
    if merge is None or repo.config_get(("branch", branch), "remote") != remote:
        raise GitError(f"fatal: The current branch {branch} has no upstream branch.\n"
                       "To push the current branch and set the remote as upstream, use\n\n"
                       f"    git push --set-upstream {remote} {branch}\n\n"
                       "To have this happen automatically for branches without a tracking\n"
                       "upstream, see 'push.autoSetupRemote' in 'git help config'.\n\n", 128)
    if merge != f"refs/heads/{branch}":
        up = merge.removeprefix("refs/heads/")
        raise fatal("The upstream branch of your current branch does not match\n"
                    "the name of your current branch.  To push to the upstream branch\n"
                    "on the remote, use\n\n"
                    f"    git push {remote} HEAD:{up}\n\n"
                    "To push to the branch of the same name on the remote, use\n\n"
                    f"    git push {remote} HEAD\n\n"
                    "To choose either option permanently, see push.default in 'git help config'.\n\n"
                    "To avoid automatically configuring an upstream branch when its name\n"
                    "won't match the local branch, see option 'track' of --track\n"
                    "in 'git help branch'.")
    return f"refs/heads/{branch}"


def _parse(repo: GitRepo, spec: str, delete: bool, remote_refs: dict[str, str]) -> RefPush:
    force = spec.startswith("+")
    spec = spec.lstrip("+")
    src, colon, dst = spec.partition(":")
    if delete or (colon and not src):
        name = dst if colon else src
        full = name if name.startswith("refs/") else _remote_dwim(name, remote_refs) or f"refs/heads/{name}"
        return RefPush(None, full, ZERO, force)
    local = "HEAD" if src == "HEAD" else dwim_ref(repo, src)
    sha = resolve(repo, src) if local is None else resolve(repo, local)
    if sha is None:
        raise GitError(f"error: src refspec {src} does not match any\n", 1)
    if local == "HEAD":
        head = repo.head_target()
        local = head if head and not colon else local
        if not colon and head is None:
            raise fatal("HEAD cannot be resolved to branch.")  # pragma: no cover
    if not colon:
        dst = local or src
    if not dst.startswith("refs/"):
        found = _remote_dwim(dst, remote_refs)
        if found:
            dst = found
        elif local and local.startswith(("refs/heads/", "refs/tags/")):
            dst = local[: local.index("/", 5) + 1] + dst
        else:
            raise GitError(f"error: The destination you provided is not a full refname (i.e.,\n"
                           f"starting with \"refs/\"). We tried to guess what you meant by:\n\n"
                           f"- Looking for a ref that matches '{dst}' on the remote side.\n"
                           f"- Checking if the <src> being pushed ('{src}')\n"
                           f"  is a ref in \"refs/{{heads,tags}}/\". If so we add a corresponding\n"
                           f"  refs/{{heads,tags}}/ prefix on the remote side.\n\n"
                           f"Neither worked, so we gave up. You must fully qualify the ref.\n", 1)
    return RefPush(local or src, dst, sha, force)


def _remote_dwim(name: str, remote_refs: dict[str, str]) -> str | None:
    for ref in (name, f"refs/{name}", f"refs/tags/{name}", f"refs/heads/{name}"):
        if ref in remote_refs:
            return ref
    return None


def _judge(repo: GitRepo, p: RefPush, force_all: bool) -> None:
    """Fill flag/summary/note the way git's print_ref_status shows the update."""
    old = p.old
    if p.new == ZERO:
        p.flag, p.summary = ("-", "[deleted]") if old else ("!", "[rejected]")
        p.note = "" if old else "remote ref does not exist"
        return
    if old == p.new:
        p.flag, p.summary = "=", "[up to date]"
        return
    if old is None:
        kind = "tag" if p.dst.startswith("refs/tags/") else "branch" if p.dst.startswith("refs/heads/") else "reference"
        p.flag, p.summary = "*", f"[new {kind}]"
        return
    forced = p.force or force_all
    if p.dst.startswith("refs/tags/"):  # tags never fast-forward: replacing one is always forced
        p.flag, p.summary, p.note = ("+", f"{old[:7]}...{p.new[:7]}", "forced update") if forced \
            else ("!", "[rejected]", "already exists")
    elif not repo.has(old):
        p.flag, p.summary, p.note = ("+", f"{old[:7]}...{p.new[:7]}", "forced update") if forced \
            else ("!", "[rejected]", "fetch first")
    elif is_ancestor(repo, old, p.new):
        p.flag, p.summary = " ", f"{old[:7]}..{p.new[:7]}"
    elif forced:
        p.flag, p.summary, p.note = "+", f"{old[:7]}...{p.new[:7]}", "forced update"
    else:
        p.flag, p.summary, p.note = "!", "[rejected]", "non-fast-forward"


def _status_line(p: RefPush) -> str:
    text = f" {p.flag} {p.summary:<17} "
    text += f"{pretty(p.src)} -> {pretty(p.dst)}" if p.src and p.new != ZERO else pretty(p.dst)
    return text + (f" ({p.note})" if p.note else "") + "\n"


@command("push")
def push(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = _PARSER.parse(args)
    branch = repo.current_branch()
    name = opts.args[0] if opts.args else _push_remote(repo, branch)
    remote, url = remote_url(repo, name)
    specs = opts.args[1:]
    if opts["delete"] and not specs:
        raise fatal("--delete doesn't make sense without any refs")
    if opts["delete"] and any(":" in spec or spec.startswith("+") for spec in specs):
        raise fatal("--delete only accepts plain target ref names")
    if not specs and not opts["tags"]:
        specs = [_default_refspec(repo, remote or name, branch) if not opts["set_upstream"] or not branch
                 else f"refs/heads/{branch}"]
    target = endpoint(ctx, url, push=True)
    pushes: list[RefPush] = []
    messages: list[bytes] = []

    def update_refs(refs: dict[bytes, bytes]) -> dict[bytes, bytes]:
        remote_refs = {k.decode(): v.decode() for k, v in refs.items() if v and not k.endswith(b"^{}")}
        pushes.extend(_parse(repo, spec, opts["delete"], remote_refs) for spec in specs)
        if opts["tags"]:
            known = {p.dst for p in pushes}
            pushes.extend(RefPush(ref, ref, sha, False) for ref, sha in repo.refs("refs/tags/").items()
                          if ref not in known)
        for p in pushes:
            p.old = remote_refs.get(p.dst)
            _judge(repo, p, opts["force"])
        rank = {ref: n for n, ref in enumerate(remote_refs)}  # git reports in the remote's ref order,
        pushes.sort(key=lambda p: rank.get(p.dst, len(rank)))  # new refs after, in refspec order
        if opts["dry_run"]:
            return {}
        return {p.dst.encode(): p.new.encode() for p in pushes if p.flag in ("*", " ", "+", "-")}

    def generate(have: set[bytes], want: set[bytes], **kwargs: object) -> object:
        return repo.dulwich.generate_pack_data(have, want, ofs_delta=True)

    try:
        with transport(ctx, url):
            result = target.client.send_pack(target.path.encode(), update_refs, generate,
                                             progress=messages.append)
    except GitError as err:
        if err.stderr.startswith("error: src refspec"):
            raise GitError(err.stderr + f"error: failed to push some refs to '{anonymize(url)}'\n", 1) from None
        raise
    for ref, error in (result.ref_status or {}).items():
        for p in pushes:
            if error and p.dst == ref.decode():
                p.flag, p.summary, p.note = "!", "[remote rejected]", error
    return _report(repo, ctx, pushes, remote, anonymize(url), b"".join(messages), opts)


def _report(repo: GitRepo, ctx: CommandContext, pushes: list[RefPush], remote: str | None, url: str,
            messages: bytes, opts: Parsed) -> CommandResult:
    values = opts.values
    done = [p for p in pushes if p.flag in ("*", " ", "+", "-")]
    gone = [p for p in pushes if p.note == "remote ref does not exist"]
    failed = [p for p in pushes if p.flag == "!" and p not in gone]
    text = "".join(f"error: unable to delete '{p.dst.removeprefix('refs/heads/')}': remote ref does not exist\n"
                   for p in gone) + "".join(_remote_lines(ctx, messages))
    if gone and not done and not failed:
        return CommandResult(1, "", text + f"error: failed to push some refs to '{url}'\n")
    if not done and not failed:
        return CommandResult(0, "", "" if values["quiet"] else text + "Everything up-to-date\n")
    out = []
    for p in [] if values["dry_run"] else done:
        if remote and p.dst.startswith("refs/heads/"):
            tracking = f"refs/remotes/{remote}/{p.dst[len('refs/heads/'):]}"
            if p.new == ZERO:
                if repo.resolve_ref(tracking) is not None:
                    repo.delete_ref(tracking)
            else:
                repo.update_ref(tracking, p.new, "update by push")
        if values["set_upstream"] and remote and p.src and p.src.startswith("refs/heads/") \
                and p.dst.startswith("refs/heads/") and p.new != ZERO:
            local = p.src[len("refs/heads/"):]
            repo.config_set((b"branch", local.encode()), b"remote", remote.encode())
            repo.config_set((b"branch", local.encode()), b"merge", p.dst.encode())
            repo.write_config()
            out.append(f"branch '{local}' set up to track '{remote}/{p.dst[len('refs/heads/'):]}'.\n")
    if not values["quiet"] or failed:
        text += f"To {url}\n" + "".join(_status_line(p) for p in done + failed)
    if not failed and not gone:
        return CommandResult(0, "".join(out), text)
    text += f"error: failed to push some refs to '{url}'\n"
    notes = [p.note for p in failed]
    for note in ("non-fast-forward", "fetch first", "already exists"):
        if note in notes:
            head = any(p.dst == repo.head_target() for p in failed if p.note == note)  # git compares the remote ref
            hint = _HINTS[note if head or note != "non-fast-forward" else "non-fast-forward other"]
            text += "".join(f"hint: {line}\n" for line in hint.split("\n"))
            break
    return CommandResult(1, "".join(out), text)


def _remote_lines(ctx: CommandContext, messages: bytes) -> list[str]:
    if not messages:
        return []
    text = messages.decode("utf-8", "replace").replace("\r\n", "\n")
    if ctx.remotes is not None:
        text = ctx.remotes.redact(text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [f"remote: {line}        \n" if line else "remote: \n" for line in lines]
