"""tasks.yaml loading: the sample file loads; every kind of bad input gets a specific error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_gitenv import GitEnv, TasksFileError, UnknownTaskError, load_tasks
from pytest_gitenv.checks import KINDS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tasks.yaml"
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(TasksFileError) as info:
        load_tasks(path)
    assert str(path) in str(info.value)
    return info.value.problems


@pytest.fixture
def repo_line(sample_tasks: Path) -> str:
    return f"repos:\n  demo: {{source: {sample_tasks.parent / 'examples/repos/demo-lib.git'}}}\n"


def test_sample_file_loads_every_task(sample_tasks: Path) -> None:
    suite = load_tasks(sample_tasks)
    assert len(suite.tasks) >= 8
    assert set(suite.repos) == {"demo-lib", "docs-site"}
    conflict = suite.task("merge_conflict")
    merge = conflict.setup[1]
    assert merge.kind == "git" and merge.expect_exit == 1 and merge.expect_output.startswith("^CONFLICT")
    assert suite.task("tag_release").all_or_nothing
    assert suite.task("bug_fix").max_steps == 30  # from defaults


def test_every_problem_is_reported_at_once_with_lines(tmp_path: Path, repo_line: str) -> None:
    path = write(tmp_path, "version: 1\n" + repo_line + """tasks:
  a:
    repo: demo
    ref: main
    colour: red
  b:
    repo: demmo
    ref: main
  c:
    repo: demo
    ref: no-such-branch
  d:
    repo: demo
    ref: main
    checks:
      - branch_exits: main
      - file_contains: {path: x}
      - commit_count: {equals: "three"}
""")
    found = problems(path)
    text = "\n".join(found)
    assert len(found) == 6, text
    assert "line 8: unknown key 'colour' in task 'a'" in text
    assert "unknown repo 'demmo'" in text and "did you mean 'demo'" in text
    assert "line 14: task 'c': ref 'no-such-branch' not found in repo 'demo'" in text
    assert "unknown check kind 'branch_exits'" in text
    assert "file_contains: give exactly one of text, pattern" in text
    assert "parameter 'equals' has the wrong type" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\ntasks: {}\nrepos: {}\n", None),
        ("tasks: {}\n", "missing 'version'"),
        ("version: 2\ntasks: {}\n", "unsupported version 2"),
        ("version: 1\n", "missing 'tasks'"),
        ("version: 1\ntasks: [a, b]\n", "'tasks' must be a mapping"),
        ("version: 1\ntasks: {}\nrepos:\n  x: {source: /nonexistent/repo}\n",
         "source path /nonexistent/repo does not exist"),
        ("version: 1\ntasks: {}\nrepos:\n  x: {}\n", "missing 'source' of repo 'x'"),
        ("version: 1\ntasks: {}\nrepos:\n  x: {source: 'ssh://host/x'}\n", "unsupported URL scheme"),
        ("version: 1\ntasks:\n  a: {repo: r, ref: main}\n  a: {repo: r, ref: main}\n", "line 4: duplicate key 'a'"),
        ("version: 1\ntasks: {\n", "invalid YAML"),
        ("version: 1\ntasks: {}\nextra: 1\n", "unknown key 'extra' in the top level"),
        ("version: 1\ndefaults: {max_steps: 0}\ntasks:\n  a: {repo: r, ref: x}\n",
         "'max_steps' must be a positive integer"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, expected: str | None) -> None:
    path = write(tmp_path, text)
    if expected is None:
        assert load_tasks(path).tasks == {}
    else:
        assert any(expected in p for p in problems(path)), problems(path)


def test_bad_setup_steps(tmp_path: Path, repo_line: str) -> None:
    path = write(tmp_path, "version: 1\n" + repo_line + """tasks:
  a:
    repo: demo
    ref: main
    setup:
      - shell: rm -rf /
      - write: notes.txt
      - git: ""
      - git: merge x
        expect_output: "(unclosed"
""")
    text = "\n".join(problems(path))
    assert "a setup step needs exactly one of git, remove, write" in text
    assert "setup 'write: notes.txt' needs 'content:'" in text
    assert "setup 'git' needs a non-empty string" in text
    assert "bad 'expect_output' regex '(unclosed'" in text


def test_bad_checks_each_kind_validated(tmp_path: Path, repo_line: str) -> None:
    path = write(tmp_path, "version: 1\n" + repo_line + """tasks:
  a:
    repo: demo
    ref: main
    checks:
      - last_commit_message_matches: "(unclosed"
      - python: "no_colon"
      - merged_into: {branch: x}
      - clean_worktree: false
      - [not, a, mapping]
""")
    text = "\n".join(problems(path))
    assert "bad regular expression" in text
    assert "python: expected 'module:function'" in text
    assert "merged_into: missing parameter(s) into" in text
    assert "clean_worktree takes a mapping" in text
    assert "a check is a one-key mapping" in text


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    found = problems(tmp_path / "nope.yaml")
    assert found == ["file not found (hint: pass --gitenv-tasks or create tasks.yaml)"]


def test_unknown_task_lists_known_ones(sample_tasks: Path) -> None:
    suite = load_tasks(sample_tasks)
    with pytest.raises(UnknownTaskError) as info:
        suite.task("bugfix")
    message = str(info.value)
    assert "Did you mean 'bug_fix'?" in message and "merge_conflict" in message


def test_every_check_kind_is_documented() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [kind for kind in KINDS if f"`{kind}`" not in readme]
    assert not missing


def test_seed_task_repos_variable(sample_tasks: Path, tmp_path: Path, store_dir: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repos = sample_tasks.parent / "examples" / "repos"
    monkeypatch.setenv("TASK_REPOS", json.dumps({"old_state": ["demo-lib", "v1.0.0"]}))
    monkeypatch.setenv("GITENV_REPOS_DIR", str(repos))
    with GitEnv.from_tasks(None, workspace_dir=tmp_path / "ws", store_dir=store_dir) as env:
        env.reset(task_id="old_state")
        head = (tmp_path / "ws" / "demo-lib" / ".git" / "HEAD").read_text().strip()
        assert len(head) == 40  # a tag: detached HEAD at the tagged commit
        assert not (tmp_path / "ws" / "demo-lib" / "src/demolib/text.py").read_text().count("\\w+")


def test_seed_task_repos_variable_rejects_bad_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASK_REPOS", '{"t": "demo-lib"}')
    with pytest.raises(TasksFileError, match=r'expected \["repo", "commit"\]'):
        GitEnv.from_tasks(None, workspace_dir=tmp_path)
