"""Creating commit objects with the context identity and clock; forgetting the state a commit
concludes (merge, cherry-pick, revert)."""

from __future__ import annotations

import shutil

from dulwich.objects import Commit, ObjectID

from .repo import GitRepo


def new_commit(repo: GitRepo, tree: str, parents: list[str], message: str,
               author: tuple[bytes, int, int] | None = None) -> str:
    """Store a commit; author defaults to the committer (identity, clock). Returns its id."""
    when = repo.ctx.clock.now() if repo.ctx else (0, 0)
    ident = repo.ident(when).rsplit(b" ", 2)[0]
    commit = Commit()
    commit.tree = tree.encode()
    commit.parents = [ObjectID(p.encode()) for p in parents]
    commit.author, commit.author_time, commit.author_timezone = author or (ident, *when)
    commit.committer, commit.commit_time, commit.commit_timezone = ident, when[0], when[1]
    commit.message = message.encode()
    return repo.add_object(commit)


_CONCLUDED = ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "SQUASH_MSG", "AUTO_MERGE")


_PICK_HEADS = ("CHERRY_PICK_HEAD", "REVERT_HEAD")


def stopped_pick(repo: GitRepo) -> bool:
    """CHERRY_PICK_HEAD or REVERT_HEAD: a pick waits to be committed."""
    return any((repo.git_dir / name).is_file() for name in _PICK_HEADS)


def post_commit_cleanup(repo: GitRepo) -> None:
    """What `git commit` removes: the merge state, CHERRY_PICK_HEAD / REVERT_HEAD, and the
    sequencer when the commit concluded the last pick of a stopped sequence."""
    for name in _CONCLUDED:
        (repo.git_dir / name).unlink(missing_ok=True)
    if not stopped_pick(repo):
        return
    for name in _PICK_HEADS:
        (repo.git_dir / name).unlink(missing_ok=True)
    sequencer = repo.git_dir / "sequencer"
    try:
        last_pick = (sequencer / "todo").read_text(errors="replace").count("\n") <= 1
    except OSError:
        return
    if last_pick:
        shutil.rmtree(sequencer, ignore_errors=True)
