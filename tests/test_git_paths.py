"""Paths as git prints and takes them: core.quotePath quoting of non-UTF-8 and special names,
-z output, add/rm/mv errors and refusals (ignored paths, missing paths, bad sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario

LATIN = "caf\udce9.txt"  # the file system name b"caf\xe9.txt" (not UTF-8)
ODD = (("write", LATIN, "x\n"), ("write", "caf\u00e9 x.txt", "x\n"), ("write", "sp ace", "x\n"),
       ("write", 'dir/q"uote', "x\n"), ("write", "t\tab", "x\n"))
CONFLICT = (("git", "checkout -q -b t"), ("write", "b.txt", "T\n"), ("git", "commit -qam t"),
            ("git", "checkout -q main"), ("write", "b.txt", "M\n"), ("git", "commit -qam m"),
            ("git", "merge -q t"))
IGNORES = (("write", ".gitignore", "*.log\nbuild/\n"), ("write", "x.log", "l\n"),
           ("write", "build/o.txt", "o\n"), ("write", "d/y.log", "l\n"),
           ("write", "d/build/o.txt", "o\n"))
NESTED = (("write", "nested/.git/HEAD", "ref: refs/heads/main\n"), ("mkdir", "nested/.git/objects"),
          ("mkdir", "nested/.git/refs"), ("write", "nested/f", "f"))
GREP = (("write", "f1", "a\nx1\nb\nc\nd\ne\nx2\nf\n"), ("write", "d/f2", "x3\nq\n"), ("write", "f3", "zz\n"),
        ("write", "f4", "x4\n"), ("write", "bin", "x\0y\n"), ("git", "add ."))
BLAME = (("write", "a.txt", "alpha\nBETA\ngamma\ndelta\n"), ("git", "commit -qam '  third\nx'"),
         ("write", "r", "a\nx1\nb\nx1\nc\nd\ne\nf\ng\nh\ni\nj\n"), ("git", "add r"), ("git", "commit -qm r"),
         ("write", "r", "a\nx1\nb\nx1\nc\nd\ne\nf\ng\nh\ni\nj\nk\n"), ("git", "commit -qam k"))
CLEAN = (("write", ".gitignore", "*.log\nbuild/\n"), ("write", "ud/f", "f"), ("write", "ud/z.log", "z"),
         ("write", "ud/s/h", "h"), ("mkdir", "ud/e"), ("write", "u2/deep/er/x", "x"), ("write", "build/o", "o"),
         ("write", "y.log", "y"), ("write", "dir/q.log", "q"), ("write", "dir/bd/b.log", "b"),
         ("write", "dir/new", "n"))

SCENARIOS = [
    # non-UTF-8 and special names, core.quotePath=true
    scenario("path-latin1-untracked", *ODD, ("git", "status"), ("git", "status -s"),
             ("git", "status --porcelain"), ("git", "clean -n"), ("git", "ls-files -o")),
    scenario("path-latin1-staged", *ODD, ("git", "add -v ."), ("git", "status"), ("git", "status -s"),
             ("git", "ls-files"), ("git", "ls-files -s"), ("git", "diff --cached --stat"),
             ("git", "diff --cached --name-only"), ("git", "diff --cached --name-status"),
             ("git", "diff --cached"), ("git", "commit -m add"), ("git", "log --stat -1"),
             ("git", "show --name-status")),
    scenario("path-latin1-modified", ("write", LATIN, "x\n"), ("git", "add 'caf*'"),
             ("git", "commit -q -m add"), ("write", LATIN, "y\n"), ("git", "diff"),
             ("git", "diff --stat"), ("git", "status"), ("git", "grep -l y"), ("git", "grep -c x HEAD"),
             ("git", "ls-files -m"), ("git", "blame -- 'caf*'"), ("git", "rm --cached 'caf*'"),
             ("git", "status"), ("git", "clean -f")),
    scenario("path-latin1-rm", ("write", LATIN, "x\n"), ("write", "d/" + LATIN, "x\n"),
             ("git", "add -v 'caf*' d"), ("git", "commit -q -m add"), ("git", "rm -r 'caf*' d"),
             ("git", "commit -m rm"), ("git", "log --stat -1")),
    scenario("path-latin1-dir", ("write", "d\udce9/x.txt", "x\n"), ("git", "status"),
             ("git", "status -uall -s"), ("git", "clean -nd"), ("git", "add -v ."), ("git", "ls-files")),
    scenario("path-latin1-content", ("write", "a.txt", b"caf\xe9\n"), ("git", "grep caf"),
             ("git", "add a.txt"), ("git", "commit -q -m latin"), ("git", "blame a.txt")),
    # -z
    scenario("path-ls-files-z", *ODD, ("git", "add ."), ("git", "ls-files -z"), ("git", "ls-files -s -z"),
             ("git", "ls-files -z", "dir"), ("git", "ls-files -z --full-name", "dir"),
             ("write", "new\tfile", "n"), ("git", "ls-files -o -z"), ("write", "sp ace", "y"),
             ("git", "ls-files -m -z"), ("git", "ls-files -c -o -z")),
    scenario("path-grep-z", *ODD, ("git", "add ."), ("git", "grep -z x"), ("git", "grep -z -n x"),
             ("git", "grep -z -l x"), ("git", "grep -z -c x"), ("git", "grep -z x", "dir"),
             ("git", "commit -q -m x"), ("git", "grep -z x HEAD"), ("git", "grep -z -l x HEAD", "dir"),
             ("git", "grep -z -c x HEAD -- ..", "dir")),
    # grep's line layout (names, context groups, threaded git's hunk marks)
    scenario("grep-context-and-layout", *GREP, ("git", "grep -n -C1 x"), ("git", "grep -A1 --heading x"),
             ("git", "grep --break x"), ("git", "grep --break --heading -n x"), ("git", "grep -o -n 'x[0-9]'"),
             ("git", "grep -c -h x"), ("git", "grep -l -h x"), ("git", "grep -L x"), ("git", "grep -L -z x"),
             ("git", "grep -q x"), ("git", "grep -q nomatch"), ("git", "grep -v -C1 -n x f1"),
             ("git", "grep -o -e x -e 1 f1"), ("git", "grep -C1 -c x"), ("git", "grep -h -H x"),
             ("git", "grep -H -h -n x"), ("git", "grep -I x"), ("git", "grep -2 -n x f1"),
             ("git", "grep -A0 -C1 x f1"), ("git", "grep -A x x"), ("git", "grep -z -n -C1 x f1"),
             ("git", "grep -B2 -A3 -n c f1"), ("git", "grep -h -C1 x")),
    scenario("grep-context-revision", *GREP, ("git", "commit -qm s"), ("git", "grep -C1 x HEAD"),
             ("git", "grep -n -A1 x HEAD", "d"), ("git", "grep --heading -n x HEAD"), ("git", "grep -o x bin"),
             ("git", "grep -I -l x"), ("git", "grep -L -v x"), ("git", "grep -B1 x f3 bin")),
    # blame: path errors from a subdirectory, -L /regex/ forms, columns
    scenario("blame-columns-and-ranges", *BLAME, ("git", "blame -e a.txt"), ("git", "blame -n a.txt"),
             ("git", "blame -f a.txt"), ("git", "blame -t a.txt"), ("git", "blame -n -f -s -l a.txt"),
             ("git", "blame --date=short a.txt"), ("git", "blame --date=rfc -n r"), ("git", "blame --date=raw a.txt"),
             ("git", "blame --date=default a.txt"), ("git", "blame --date=bogus a.txt"), ("git", "blame --root a.txt"),
             ("git", "blame -b a.txt"), ("git", "blame -b -l a.txt"), ("git", "blame -n r"),
             *[("git", f"blame -s -L '{spec}' r") for spec in (
                 "/x1/", "/x1/,+2", "/x1/,/x1/", "/b/,-2", "/zz/", "2,/zz/", "3,-2", "/x1/,/c/", "4,/x1/",
                 "/^x/,+1", "/x\\(1\\)/,+1", "10,20", "13", "x")]),
    scenario("blame-from-subdirectory", *BLAME, ("git", "blame a.txt", "dir"), ("git", "blame nope.txt", "dir"),
             ("git", "blame HEAD nope.txt", "dir"), ("git", "blame HEAD~1 ../r", "dir"),
             ("git", "blame -s HEAD~1 -- ../a.txt", "dir")),
    # ls-files listings
    scenario("path-ls-files-conflict", *CONFLICT, ("git", "ls-files"), ("git", "ls-files -m"),
             ("git", "ls-files -c -m"), ("git", "ls-files -u"), ("git", "ls-files -s -m"), ("rm", "b.txt"),
             ("write", "a.txt", "zz"), ("rm", "dir/c.txt"), ("git", "ls-files -c -d -m"),
             ("git", "ls-files -u -m"), ("write", "new", "n"), ("git", "ls-files -o -c"),
             ("git", "ls-files -o -m")),
    scenario("path-ls-files-directory", ("write", "u/x.txt", "x"), ("write", "u/v/y", "y"), ("write", "dir/n", "n"),
             ("write", ".gitignore", "*.log\nig/\n"), ("write", "u/z.log", "l"), ("mkdir", "empty"),
             ("write", "ig/a", "a"), ("write", "dir/ig/b", "b"), ("write", "only/x.log", "x"),
             ("symlink", "lnk", "dir"), ("git", "ls-files -o --directory"),
             ("git", "ls-files -o --directory --exclude-standard"), ("git", "ls-files -o --exclude-standard"),
             ("git", "ls-files -o"), ("git", "ls-files -o --directory", "u"),
             ("git", "ls-files -o --directory ../dir", "u")),
    scenario("path-nested-repositories", *NESTED, ("write", "fake/.git/x", "x"), ("write", "fake/f", "f"),
             ("git", "ls-files -o"), ("git", "ls-files -o --directory"), ("git", "clean -nd"),
             ("git", "clean -nd", "nested"), ("git", "clean -ndf"), ("git", "clean -fd")),
    # clean: what goes whole, what one by one, what stays (ignored files in untracked directories)
    scenario("clean-listing-modes", *CLEAN, *[("git", f"clean {o}") for o in (
        "-n", "-nd", "-nX", "-ndX", "-nx", "-ndx", "-nd -e f", "-nd -e s", "-nd -e 'ud/s/'", "-nd -e deep",
        "-ndX -e 'ud/f'", "-nx -d -e '*.log'", "-nd ud", "-nd dir", "-nd ud/s/h")], ("git", "clean -nd", "ud")),
    scenario("clean-keeps-ignored-inside-untracked", *CLEAN, ("git", "clean -fd"), ("git", "status -s --ignored"),
             ("git", "clean -fdX"), ("git", "status -s --ignored")),
    scenario("path-ls-files-no-empty-directory", *CLEAN, ("mkdir", "emp/ty"), ("write", "onlyign/a.log", "a"),
             ("git", "ls-files -o --directory --no-empty-directory"),
             ("git", "ls-files -o --directory --no-empty-directory --exclude-standard"),
             ("git", "ls-files -o --exclude-standard --directory"), ("git", "ls-files -o --directory")),
    # add
    scenario("add-missing-paths", ("git", "add nope"), ("git", "add nope/x"), ("git", "add dir/nope"),
             ("git", "add a.txt nope"), ("git", "add -A nope"), ("git", "add -u nope"),
             ("git", "add -n nope"), ("git", "add --ignore-missing nope"),
             ("git", "add -n --ignore-missing nope"), ("git", "add nope", "dir"),
             ("git", "add ../nope", "dir"), ("git", "add 'no*'"), ("git", "add '*.zz'")),
    scenario("add-could-not-open-directory", ("git", "add dir/sub/nope/x"),
             ("git", "add -n dir/sub/nope/x a.txt"), ("git", "add -A dir/sub/nope/x"),
             ("git", "add -u dir/sub/nope/x"), ("git", "add dir/c.txt/x"), ("git", "add nope/x", "dir"),
             ("git", "add ../dir/nope/x", "dir")),
    scenario("add-in-untracked-dir", ("write", "u/x.txt", "x\n"), ("write", "u/v/y.txt", "y\n"),
             ("git", "add u/nope"), ("git", "add u/v/nope"), ("git", "add -v u/v/y.txt u/nope"),
             ("git", "status -s")),
    scenario("add-ignored-paths", *IGNORES, ("git", "add x.log"), ("git", "add build"),
             ("git", "add build/o.txt"), ("git", "add x.log b.txt"), ("git", "add -n x.log"),
             ("git", "add '*.log'"), ("git", "add d"), ("git", "add -A x.log"), ("git", "add build/nope"),
             ("git", "add nope.log"), ("git", "add -f x.log"), ("git", "status -s")),
    scenario("add-ignored-from-subdir", *IGNORES, ("git", "add y.log", "d"), ("git", "add build/o.txt", "d"),
             ("git", "add build/zz/x", "d"), ("git", "add -f build/o.txt", "d"), ("git", "status -s")),
    scenario("add-ignored-tracked-dir", ("write", "tr/t", "t"), ("git", "add tr"),
             ("write", ".gitignore", "tr/\n"), ("write", "tr/new", "n"), ("git", "add tr/new"),
             ("git", "add tr"), ("git", "add tr/t/x"), ("git", "status -s")),
    scenario("add-removal-options", ("write", "a.txt", "mod"), ("rm", "b.txt"), ("write", "new.txt", "n"),
             ("git", "add -n --no-all ."), ("git", "add -n --ignore-removal ."), ("git", "add -n --no-all -A ."),
             ("git", "add -n -A --no-all ."), ("git", "add -n --no-ignore-removal ."), ("git", "add -A -u"),
             ("git", "add -u --no-all -n"), ("git", "add --no-all a.txt b.txt"), ("git", "status -s")),
    scenario("add-rm-mv-from-subdirectories", ("write", "dir/n1.txt", "n"), ("write", "dir/sub/n2.txt", "n"),
             ("write", "top.txt", "t"), ("git", "add -v '*.txt'", "dir"), ("git", "add -v ../top.txt", "dir/sub"),
             ("git", "rm -n -r '*.txt'", "dir"), ("git", "rm --cached -q ../b.txt", "dir"),
             ("git", "mv -v n1.txt sub", "dir"), ("git", "mv sub ../moved", "dir"), ("git", "mv -n ../a.txt .", "dir"),
             ("git", "add -n -A ..", "dir"), ("git", "add -u -v .", "dir"), ("git", "rm -r -q :/moved", "dir"),
             ("git", "status --porcelain")),
    # rm
    scenario("rm-missing-paths", ("write", "u.txt", "u"), ("git", "rm nope"), ("git", "rm u.txt"),
             ("git", "rm a.txt nope"), ("git", "rm dir"), ("git", "rm dir/"),
             ("git", "rm --ignore-unmatch nope"), ("git", "rm -n 'di*'"), ("git", "rm -r -n 'di*'"),
             ("git", "rm"), ("git", "rm ../x"), ("git", "rm nope", "dir"), ("git", "rm -r nope/"),
             ("git", "rm -r --cached dir/sub"), ("git", "status -s")),
    scenario("rm-refusals", ("write", "a.txt", "changed"), ("write", "b.txt", "x"), ("git", "add b.txt"),
             ("write", "dir/c.txt", "y"), ("git", "add dir/c.txt"), ("write", "dir/c.txt", "z"),
             ("git", "rm a.txt b.txt dir/c.txt"), ("git", "rm --cached a.txt b.txt dir/c.txt"),
             ("git", "rm -r dir"), ("rm", "dir/sub/d.txt"), ("git", "rm dir/sub/d.txt"),
             ("git", "rm -f a.txt"), ("git", "status -s")),
    scenario("rm-unmerged-and-dir-over-file", *CONFLICT, ("git", "rm -n b.txt"), ("git", "rm b.txt"),
             ("rm", "a.txt"), ("write", "a.txt/x", "x"), ("git", "rm a.txt"), ("git", "status -s")),
    # mv
    scenario("mv-errors", ("write", "u.txt", "u"), ("write", "e/x", "x"), ("git", "mv nope x"),
             ("git", "mv u.txt x"), ("git", "mv a.txt b.txt"), ("git", "mv dir dir/sub"),
             ("git", "mv dir dir"), ("git", "mv a.txt a.txt"), ("git", "mv dir b.txt"), ("git", "mv e f"),
             ("git", "mv a.txt b.txt dir/c.txt"), ("git", "mv a.txt nodir/"), ("git", "mv a.txt nodir/x"),
             ("git", "mv a.txt b.txt nodir"), ("git", "mv a.txt"), ("git", "mv -k nope a.txt x"),
             ("git", "mv -f dir/c.txt dir/sub"), ("git", "mv a.txt b.txt b.txt"), ("git", "status -s")),
    scenario("mv-dry-run-and-verbose", ("git", "mv -n a.txt b.txt dir/sub"), ("git", "mv -n dir newdir"),
             ("git", "mv -v dir newdir"), ("git", "mv -v -f newdir/c.txt b.txt"), ("git", "status -s")),
    scenario("mv-directory-over-existing", ("write", "x/c.txt", "c"), ("git", "mv -n dir x"),
             ("write", "x/dir/c.txt", "c"), ("git", "mv dir x"), ("git", "mv -f dir x"),
             ("git", "mv -k dir x"), ("git", "mv dir/ y"), ("git", "status -s")),
    scenario("mv-sources-and-targets", ("write", "dir/untracked", "u"), ("git", "mv -f a.txt dir"),
             ("git", "mv b.txt b.txt dir/sub"), ("git", "mv -k b.txt b.txt dir/sub"),
             ("git", "mv dir newdir/"), ("git", "mv -v newdir/c.txt ."), ("git", "mv ../b.txt sub", "newdir"),
             ("git", "mv c.txt ..", "newdir"), ("git", "status -s"), ("git", "ls-files -s")),
    scenario("mv-missing-file-in-directory", ("rm", "dir/c.txt"), ("git", "mv dir x"),
             ("git", "mv -k dir x"), ("git", "status -s")),
    scenario("mv-symlink-and-overwrite", ("symlink", "ln", "a.txt"), ("git", "add ln"), ("git", "mv ln ln2"),
             ("git", "mv a.txt ln2"), ("git", "mv -f a.txt ln2"), ("git", "mv -f b.txt dir"),
             ("git", "status -s")),
    scenario("mv-conflicted", *CONFLICT, ("git", "mv b.txt z.txt"), ("git", "mv -k b.txt a.txt dir"),
             ("git", "status -s")),
    scenario("mv-outside", ("git", "mv a.txt ../x"), ("git", "mv ../x a.txt"),
             ("git", "mv -n a.txt b.txt x/"), ("git", "mv -n dir/sub dir/sub/x")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_paths(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
