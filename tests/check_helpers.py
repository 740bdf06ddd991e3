"""`python:` checks used by tests/test_checks.py."""

from pytest_gitenv.checks import CheckContext


def readme_mentions_demo(ctx: CheckContext) -> tuple[bool, str]:
    return "demo" in (ctx.repo_dir / "README.md").read_text(), "README mentions demo"


def always_false(ctx: CheckContext) -> bool:
    return False


def raises(ctx: CheckContext) -> bool:
    return 1 / 0 > 0
