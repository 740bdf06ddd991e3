"""Creating commit objects with the context identity and clock."""

from __future__ import annotations

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
