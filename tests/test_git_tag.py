"""git tag, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("tag-list-empty", ("git", "tag")),
    scenario("tag-lightweight", ("git", "tag v1"), ("git", "tag v0 HEAD~1"), ("git", "tag"),
             ("git", "tag -l 'v1*'"), ("git", "tag --list"), ("git", "rev-parse v0 v1")),
    scenario("tag-annotated", ("git", "tag -a v2 -m 'Release 2'"),
             ("git", "tag -m 'second  line\n\n\n# c\nmore' v3 HEAD~1"), ("git", "cat-file -p v2"),
             ("git", "cat-file -p v3"), ("git", "tag -n"), ("git", "show v2"),
             ("git", "log --oneline --decorate")),
    scenario("tag-exists", ("git", "tag v1"), ("git", "tag v1"), ("git", "tag -f v1 HEAD~1")),
    scenario("tag-delete", ("git", "tag v1"), ("git", "tag -d v1"), ("git", "tag -d v1"),
             ("git", "tag")),
    scenario("describe", ("git", "describe"), ("git", "describe --always"), ("git", "tag v0 HEAD~1"),
             ("git", "describe"), ("git", "describe --tags"), ("git", "tag -a v1 -m one HEAD~1"),
             ("git", "describe"), ("git", "describe --long HEAD~1"), ("git", "tag -a v2 -m two"),
             ("git", "describe"), ("git", "describe nosuch")),
    scenario("tag-filters", ("git", "tag v1 HEAD~1"), ("git", "tag -a v2 -m two HEAD~1"),
             ("git", "tag v10"), ("git", "tag v9 topic"), ("git", "tag --contains HEAD~1"),
             ("git", "tag --contains"), ("git", "tag --points-at HEAD~1"),
             ("git", "tag --sort=-refname"), ("git", "tag --sort=version:refname"),
             ("git", "tag --sort=-taggerdate"), ("git", "tag -l 'v1*' --contains HEAD~1"),
             ("git", "tag --contains nosuch"), ("git", "tag -n --points-at HEAD~1"),
             ("git", "describe --abbrev=0"), ("git", "describe --abbrev=10 topic --tags"),
             ("git", "describe --abbrev=0 --long"), setup="conflict"),
    scenario("tag-bad", ("git", "tag 'bad name'"), ("git", "tag v5 nosuch"),
             ("git", "tag -a v6")),
    scenario("tag-annotation-lines", ("git", "tag -a t1 -m '  spaced\nsecond\n\nbody\n\n\nmore  \n\n'"),
             ("git", "tag -a t2 -m one"), ("git", "tag -a t5 -m ''"), ("git", "tag t7 HEAD^{tree}"),
             ("git", "commit -q --allow-empty -m 'a\nb\n\ncbody\nline2'"), ("git", "tag t4"),
             ("git", "tag -n3"), ("git", "tag -n"), ("git", "tag -n1"), ("git", "tag -n0"), ("git", "tag -n0 t8"),
             ("git", "for-each-ref --format='%(subject)|%(contents:subject)|%(body)|%(contents:body)|%(contents)|'"),
             ("git", "for-each-ref --format='%(contents:lines=2)|%(contents:size)|%(subject:sanitize)' refs/tags"),
             ("git", "for-each-ref --format='%(contents:bogus)'"), ("git", "for-each-ref --format='%(body:x)'"),
             ("git", "for-each-ref --format='%(subject:x)'"), ("git", "for-each-ref --format='%(contents:lines=-1)'")),
    scenario("for-each-ref-refname-strip",
             ("git", "for-each-ref --format='%(refname:lstrip=2)|%(refname:strip=-1)|%(refname:rstrip=1)|"
                     "%(refname:lstrip=5)|%(refname:rstrip=-1)|%(refname:short)'"),
             ("git", "for-each-ref --format='%(refname:x)'"), ("git", "for-each-ref --format='%(refname:lstrip=x)'"),
             ("git", "for-each-ref --format='%(authordate:x)'"),
             ("git", "for-each-ref --format='%(authordate:iso8601-strict)'"), ("git", "branch x"),
             ("git", "for-each-ref --format='%(upstream:short)|%(upstream:lstrip=1)|%(upstream)|"
                     "%(objectname:short=10)'"),
             ("git", "for-each-ref --format='%(objectname:x)'"), setup="remote"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_tag(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
