"""The sample repositories behind the example tasks, and a large one for benchmarks.

Everything is built with fixed identities and dates, so every SHA is the same on
every machine: tasks and oracle solutions can rely on them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from pytest_gitenv.repobuilder import RepoBuilder

GRACE = "Grace Hopper <grace@example.com>"

CALC_V1 = '''"""Small arithmetic helpers."""


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    """Multiply two numbers."""
    return a * b


def mean(values):
    """Arithmetic mean of a non-empty sequence."""
    return sum(values) / len(values)
'''

CALC_MEDIAN = CALC_V1 + '''

def median(values):
    """Middle value of a non-empty sequence."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
'''

CALC_BUGGY = CALC_MEDIAN.replace(
    '    """Arithmetic mean of a non-empty sequence."""\n    return sum(values) / len(values)\n',
    '    """Arithmetic mean of a non-empty sequence."""\n    total = 0\n    for value in values:\n'
    '        total += value\n    return total / (len(values) - 1)\n',
)

CALC_MAIN_MUL = CALC_BUGGY.replace(
    '    """Multiply two numbers."""\n    return a * b\n',
    '    """Multiply two numbers (ints or floats)."""\n    return a * b\n',
)
CALC_FEATURE_MUL = CALC_MEDIAN.replace(
    '    """Multiply two numbers."""\n    return a * b\n',
    '    """Multiply two numbers, rounding floats to 10 places."""\n    return round(a * b, 10)\n',
)

TEXT_V1 = '''"""String helpers."""
import re


def slugify(text, separator="-"):
    """Lower-case `text` and join its words with `separator`."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return separator.join(words)


def title_case(text):
    return " ".join(word.capitalize() for word in text.split())
'''

TEXT_UNICODE_FIX = TEXT_V1.replace('r"[a-z0-9]+", text.lower()', 'r"\\w+", text.lower()')
TEXT_BAD = TEXT_UNICODE_FIX.replace('separator="-"', 'separator="_"')

TESTS = '''from demolib.calc import add, mean


def test_add():
    assert add(2, 3) == 5


def test_mean():
    assert mean([1, 2, 3, 4]) == 2.5
'''

README = "# demo-lib\n\nSmall helpers used by the pytest-gitenv example tasks.\n"


def build_demo_lib(path: Path) -> None:
    """A small Python library with releases, a bug, a bad commit and diverging branches."""
    b = RepoBuilder(path)
    b.commit("main", "Initial commit", {
        "README.md": README,
        ".gitignore": "__pycache__/\n*.pyc\nbuild/\n",
        "pyproject.toml": '[project]\nname = "demolib"\nversion = "1.0.0"\n',
        "src/demolib/__init__.py": '__version__ = "1.0.0"\n',
        "src/demolib/calc.py": CALC_V1,
        "tests/test_calc.py": TESTS,
    })
    b.commit("main", "Add string utilities", {"src/demolib/text.py": TEXT_V1}, author=GRACE)
    b.commit("main", "Add changelog", {"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n"})
    b.tag("v1.0.0", "main", "Release 1.0.0")
    b.branch("release/1.0", "main")
    b.commit("release/1.0", "Prepare 1.0.1", {"CHANGELOG.md": "# Changelog\n\n## 1.0.1 (unreleased)\n\n"
                                              "## 1.0.0\n\n- First release.\n"})
    b.branch("feature/old-docs", "main")
    b.commit("feature/old-docs", "Document calc helpers", {"docs/calc.md": "# calc\n\n`add`, `sub`, `mul`.\n"})
    b.commit("main", "Add median", {"src/demolib/calc.py": CALC_MEDIAN})
    b.branch("feature/conflict", "main")
    b.commit("feature/conflict", "Round float products", {"src/demolib/calc.py": CALC_FEATURE_MUL}, author=GRACE)
    b.commit("main", "Speed up mean", {"src/demolib/calc.py": CALC_BUGGY})
    b.commit("main", "Fix slugify for unicode input", {"src/demolib/text.py": TEXT_UNICODE_FIX}, author=GRACE)
    b.commit("main", "Merge branch 'feature/old-docs'", {}, merge="feature/old-docs")
    b.commit("main", "Change default slug separator", {"src/demolib/text.py": TEXT_BAD})
    b.commit("main", "Describe mul for floats", {"src/demolib/calc.py": CALC_MAIN_MUL})
    b.commit("main", "Update README", {"README.md": README + "\nSee CHANGELOG.md for releases.\n"})
    b.finish().close()


def build_docs_site(path: Path) -> None:
    """A tiny static site: a second repository for listings and tagging."""
    b = RepoBuilder(path)
    b.commit("main", "Start the site", {"index.html": "<h1>Docs</h1>\n", "style.css": "body { margin: 0; }\n"})
    b.commit("main", "Add install page", {"install.html": "<h1>Install</h1>\n<p>pip install demolib</p>\n"},
             author=GRACE)
    b.commit("main", "Add build script", {"build.sh": "#!/bin/sh\necho building\n"}, executable=("build.sh",))
    b.tag("site-2023", "main")
    b.finish().close()


def build_large(path: Path, files: int = 2000, commits: int = 1000) -> None:
    """`files` files in nested folders and `commits` commits each touching three files."""
    b = RepoBuilder(path)
    names = [f"pkg{i % 20:02d}/mod{i % 7}/file{i:04d}.txt" for i in range(files)]
    b.commit("main", "Initial import", {n: f"file {n}\n" + "line\n" * (i % 40) for i, n in enumerate(names)})
    for c in range(1, commits):
        touched = {names[(c * 7 + k * 13) % files]: f"revision {c}.{k}\n" for k in range(3)}
        b.commit("main", f"Change {c}", touched)
    b.finish().close()


SAMPLES = {"demo-lib": build_demo_lib, "docs-site": build_docs_site}


def make_samples(dest: Path, force: bool = False) -> dict[str, Path]:
    """Build every sample repository as `<dest>/<name>.git`; existing ones are kept unless `force`.

    Each is built in a temporary folder and renamed into place, so concurrent callers are safe.
    """
    made = {}
    for name, build in SAMPLES.items():
        target = dest / f"{name}.git"
        if force and target.exists():
            shutil.rmtree(target)
        if not target.exists():
            dest.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=dest))
            build(scratch / "repo")
            with contextlib.suppress(OSError):  # another process finished first
                os.rename(scratch / "repo", target)
            shutil.rmtree(scratch)
        made[name] = target
    return made
