"""GitEnv: every action, path confinement, episode bookkeeping, determinism, models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_gitenv import GitAction, GitEnv, GitEnvError, GitObservation, GitState, StepResult
from pytest_gitenv.env import SetupError
from tests.conftest import git_step


def test_models_round_trip_through_json() -> None:
    action = GitAction("execute_git_command", command="status", working_dir="demo-lib")
    assert GitAction.from_dict(json.loads(json.dumps(action.to_dict()))) == action
    result = StepResult(GitObservation(True, message="m", repos=[{"name": "r"}], checks=[{"passed": True}]), 0.5, True)
    assert StepResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    state = GitState(episode_id="e", step_count=3, task_id="t")
    assert GitState.from_dict(state.to_dict()) == state
    with pytest.raises(ValueError, match="unknown field"):
        GitAction.from_dict({"action_type": "submit", "bogus": 1})


def test_seed_actions(env: GitEnv) -> None:
    result = env.reset()
    assert result.observation.success and not result.done
    repos = env.step(GitAction("list_repos")).observation.repos
    assert [r["name"] for r in repos] == ["demo-lib", "docs-site"]
    assert set(repos[0]) >= {"name", "full_name", "clone_url", "description", "default_branch"}
    cloned = env.step(GitAction("clone_repo", repo_name="demo-lib")).observation
    assert cloned.success, cloned.error
    status = git_step(env, "status")
    assert status.success and "On branch main" in status.output
    again = env.step(GitAction("clone_repo", repo_name="demo-lib")).observation
    assert not again.success and "already exists and is not an empty directory" in again.error
    other = env.step(GitAction("clone_repo", repo_name="docs-site", target_dir="site")).observation
    assert other.success and (env.workspace_dir / "site" / "index.html").is_file()
    state = env.state
    assert state.step_count == 5 and state.workspace_path == str(env.workspace_dir) and state.episode_id


def test_unknown_repo_and_task(env: GitEnv) -> None:
    env.reset()
    missing = env.step(GitAction("clone_repo", repo_name="nope")).observation
    assert not missing.success and "unknown repository 'nope'; known: demo-lib, docs-site" in missing.error
    with pytest.raises(KeyError, match=r"Known tasks: .*bug_fix"):
        env.reset(task_id="no_such_task")


@pytest.mark.parametrize("target", ["/tmp/gitenv-escape", "../escape", "a/../../escape"])
def test_clone_never_leaves_the_workspace(env: GitEnv, target: str) -> None:
    env.reset()
    observation = env.step(GitAction("clone_repo", repo_name="docs-site", target_dir=target)).observation
    assert not observation.success and ("absolute" in observation.error or "'..'" in observation.error)
    assert not Path("/tmp/gitenv-escape").exists()


def test_file_actions(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    wrote = env.step(GitAction("write_file", path="demo-lib/notes/todo.md", content="- fix mean\n")).observation
    assert wrote.success and "11 bytes" in wrote.message
    read = env.step(GitAction("read_file", path="todo.md", working_dir="demo-lib/notes")).observation
    assert read.output == "- fix mean\n"
    listed = env.step(GitAction("list_files", path="demo-lib/src")).observation
    assert listed.files == ["demolib/__init__.py", "demolib/calc.py", "demolib/text.py"]
    assert not any("/.git/" in f for f in env.step(GitAction("list_files")).observation.files)
    assert not env.step(GitAction("read_file", path="demo-lib/nope.txt")).observation.success
    assert not env.step(GitAction("write_file", path="demo-lib/x.txt")).observation.success  # no content


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (GitAction("read_file", path="/etc/passwd"), "absolute paths are not allowed"),
        (GitAction("read_file", path="../../etc/passwd"), "'..' is not allowed"),
        (GitAction("read_file", path="demo-lib/escape/passwd"), "leads outside the workspace"),
        (GitAction("write_file", path="demo-lib/escape/owned", content="x"), "leads outside the workspace"),
        (GitAction("list_files", path="demo-lib/escape"), "leads outside the workspace"),
        (GitAction("write_file", path="demo-lib/.git/hooks/pre-commit", content="x"), "inside .git"),
        (GitAction("execute_git_command", command="status", working_dir="/etc"), "absolute paths"),
        (GitAction("read_file", path="demo-lib/a\0b"), "invalid path"),
    ],
)
def test_paths_are_confined(env: GitEnv, action: GitAction, message: str) -> None:
    env.reset(task_id="bug_fix")
    (env.workspace_dir / "demo-lib" / "escape").symlink_to("/etc")
    observation = env.step(action).observation
    assert not observation.success and message in observation.error


def test_submit_scores_and_ends_the_episode(env: GitEnv) -> None:
    env.reset(task_id="tag_release")
    result = env.step(GitAction("submit"))
    assert result.done and result.reward == 0.0  # all_or_nothing, nothing done
    assert [c["passed"] for c in result.observation.checks] == [False, True]
    assert "Reward 0.00" in result.observation.message and "[FAIL] tag_exists" in result.observation.message
    with pytest.raises(GitEnvError, match="episode is over"):
        env.step(GitAction("list_repos"))


def test_max_steps_ends_and_scores(env: GitEnv) -> None:
    env.reset(task_id="bug_fix")
    env._state.max_steps = 2
    assert not env.step(GitAction("list_repos")).done
    last = env.step(GitAction("list_repos"))
    assert last.done and "Out of steps (2)" in last.observation.message and last.observation.checks


def test_step_before_reset_and_bad_actions(env: GitEnv) -> None:
    with pytest.raises(GitEnvError, match="reset"):
        env.step(GitAction("list_repos"))
    env.reset()
    bad = env.step(GitAction("rm_rf")).observation
    assert not bad.success and "unknown action_type 'rm_rf'" in bad.error
    assert not env.step({"action_type": "execute_git_command"}).observation.success


def test_episode_record_and_callbacks(env: GitEnv) -> None:
    finished = []
    env.on_episode_end.append(finished.append)
    env.reset(task_id="tag_release", seed=7)
    git_step(env, "status", "docs-site")
    env.reset(task_id="tag_release")  # ends the first episode without submit: it is scored anyway
    assert len(finished) == 1
    record = finished[0]
    assert record.task_id == "tag_release" and record.seed == 7 and record.reward == 0.0
    assert record.steps[0]["action"]["command"] == "status" and len(record.checks) == 2


def test_same_actions_give_same_shas(sample_tasks: Path, store_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        with GitEnv.from_tasks(sample_tasks, workspace_dir=tmp_path / name, store_dir=store_dir) as env:
            env.reset(task_id="bug_fix", seed=1)
            env.step(GitAction("write_file", path="demo-lib/NEW.md", content="new\n"))
            git_step(env, "add NEW.md")
            commit = git_step(env, "commit -m 'Add NEW'")
            assert commit.success, commit.error
            outputs.append((commit.output, git_step(env, "log --format=%H%x20%ad -2").output, env.fingerprint()))
    assert outputs[0] == outputs[1]


def test_context_manager_removes_its_own_temporary_workspace(sample_tasks: Path, store_dir: Path) -> None:
    with GitEnv.from_tasks(sample_tasks, store_dir=store_dir) as env:
        env.reset(task_id="bug_fix")
        where = env.workspace_dir
        assert (where / "demo-lib" / ".git").is_dir()
    assert not where.exists()


def test_unknown_backend_is_a_clear_error(sample_tasks: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown backend 'svn'"):
        GitEnv.from_tasks(sample_tasks, workspace_dir=tmp_path, backend="svn")


def test_setup_step_output_is_checked(sample_tasks: Path, store_dir: Path, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.yaml"
    source = sample_tasks.parent / "examples" / "repos" / "demo-lib.git"
    tasks.write_text(f"""version: 1
repos:
  demo-lib: {{source: {source}}}
tasks:
  t:
    repo: demo-lib
    ref: main
    setup:
      - git: merge feature/conflict
        expect_exit: 1
        expect_output: "^CONFLICT"
""")
    pattern = r"does not match '\^CONFLICT'.*not something we can merge"
    with GitEnv.from_tasks(tasks, workspace_dir=tmp_path / "ws", store_dir=store_dir) as env, \
            pytest.raises(SetupError, match=pattern):
        env.reset(task_id="t")
