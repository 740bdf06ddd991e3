"""Custom checks for tasks.yaml (`python: "examples.task_checks:<name>"`).

They run in the host process, so they read the workspace but never import or run
code from it: an agent controls that code.
"""

from __future__ import annotations

import ast

from pytest_gitenv.checks import CheckContext


def mean_is_correct(ctx: CheckContext) -> tuple[bool, str]:
    """mean() in the committed calc.py divides the sum by len(values), statically checked."""
    source = ctx.git("show HEAD:src/demolib/calc.py")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return False, f"calc.py does not parse: {exc}"
    mean = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "mean"), None)
    if mean is None:
        return False, "calc.py has no mean()"
    returns = [ast.unparse(n.value) for n in ast.walk(mean) if isinstance(n, ast.Return) and n.value]
    good = any(r.replace(" ", "").endswith("/len(values)") for r in returns)
    return good, f"mean() returns {' | '.join(returns) or 'nothing'}"


def no_untracked_files(ctx: CheckContext) -> tuple[bool, str]:
    """No untracked files at all, ignored ones included."""
    extra = ctx.git("ls-files --others").splitlines()
    return not extra, f"untracked: {', '.join(extra[:5])}" if extra else "no untracked files"
