"""Self-tests of the pytest plugin, run in inner pytest sessions (pytester)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_gitenv.gitea.launcher import GiteaServer, GiteaUnavailable, is_healthy
from pytest_gitenv.plugin_backend import BackendError, choose_backend
from pytest_gitenv.plugin_options import GitenvConfig
from tests.conftest import ROOT, require

pytest_plugins = ["pytester", "tests.gitea_fixtures"]

LOCAL = "[pytest]\ngitenv_backend = local\n"  # the inner runs' ini: no Gitea unless a test asks for one

TASKS = """\
version: 1
repos:
  demo-lib: {{source: {root}/examples/repos/demo-lib.git}}
  docs-site: {{source: {root}/examples/repos/docs-site.git}}
tasks:
  alpha:
    repo: demo-lib
    ref: main
    prompt: Create the branch topic.
    checks: [{{head_on_branch: main}}, {{branch_exists: topic}}]
  beta:
    repo: docs-site
    ref: main
    prompt: Leave it clean.
    checks: [{{clean_worktree: true}}]
"""

AGENT_TEST = """
from pytest_gitenv import GitAction

def test_agent(git_env, gitenv_task):
    if gitenv_task.name == "alpha":
        git_env.step(GitAction("execute_git_command", command="branch topic", working_dir="demo-lib"))
        assert git_env.step(GitAction("submit")).reward == 1.0
"""


@pytest.fixture
def project(pytester: pytest.Pytester, sample_tasks: Path, tmp_path_factory: pytest.TempPathFactory,
            monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """An inner project with a two-task tasks.yaml on the sample repositories (shared store)."""
    monkeypatch.setenv("GITENV_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "gitenv-cache"))
    pytester.makefile(".yaml", tasks=TASKS.format(root=ROOT))
    pytester.makeini(LOCAL)
    return pytester


def _assert_silent(result: pytest.RunResult) -> None:
    out = result.stdout.str()
    assert "gitenv:" not in out and "gitenv episodes" not in out, out


def _episodes(path: Path) -> list[dict]:
    return json.loads(path.read_text())["episodes"]


# --- registration, quietness ----------------------------------------------------------------

def test_quiet_for_suites_without_gitenv_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", tasks="this: [is not a tasks file")
    pytester.makepyfile("def test_plain(): pass")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    _assert_silent(result)


def test_a_conftest_fixture_of_the_same_name_does_not_wake_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n@pytest.fixture\ndef gitea(): return 'mine'")
    pytester.makepyfile("def test_mine(gitea): assert gitea == 'mine'")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    _assert_silent(result)


def test_disabled_with_p_no(project: pytest.Pytester) -> None:
    project.makepyfile(AGENT_TEST)
    result = project.runpytest("-p", "no:gitenv")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'git_env' not found*"])


def test_help_lists_every_option_in_its_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    options = ["tasks", "task", "backend", "url", "image", "binary", "report", "keep-workspaces"]
    result.stdout.fnmatch_lines(["*git environments for agents*", *(f"*--gitenv-{o}*" for o in options)])
    result.stdout.fnmatch_lines([f"*gitenv_{o.replace('-', '_')} *" for o in options])


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.gitenv_task(*names)*"])


# --- options and ini keys ------------------------------------------------------------------

SETTINGS_TEST = """
import json
def test_settings(gitenv_config, pytestconfig):
    values = {k: str(v) if v is not None and not isinstance(v, bool) else v for k, v in vars(gitenv_config).items()}
    (pytestconfig.rootpath / "settings.json").write_text(json.dumps(values))
"""


def _settings(project: pytest.Pytester, *args: str) -> dict:
    project.makepyfile(SETTINGS_TEST)
    project.runpytest(*args).assert_outcomes(passed=1)
    return json.loads((project.path / "settings.json").read_text())


@pytest.mark.parametrize(("option", "value", "field", "expected"), [
    ("task", "beta", "task", "beta"),
    ("backend", "local", "backend", "local"),
    ("url", "http://127.0.0.1:9/", "url", "http://127.0.0.1:9/"),
    ("image", "gitea/gitea:1.22", "image", "gitea/gitea:1.22"),
    ("binary", "/opt/gitea", "binary", "/opt/gitea"),
    ("report", "out/r.json", "report", "{path}/out/r.json"),
])
def test_option_and_ini_key(project: pytest.Pytester, option: str, value: str, field: str, expected: str) -> None:
    expected = expected.format(path=project.path)
    assert _settings(project, f"--gitenv-{option}={value}")[field] == expected
    project.makeini(f"{LOCAL if option != 'backend' else '[pytest]'}\ngitenv_{option} = {value}\n")
    assert _settings(project)[field] == expected


def test_tasks_option_and_ini_key(project: pytest.Pytester) -> None:
    (project.path / "tasks.yaml").rename(project.path / "mine.yaml")
    assert _settings(project, "--gitenv-tasks=mine.yaml")["tasks_path"] == str(project.path / "mine.yaml")
    project.makeini(f"{LOCAL}gitenv_tasks = mine.yaml\n")
    assert _settings(project)["tasks_path"] == str(project.path / "mine.yaml")


def test_keep_workspaces_flag_and_ini_key(project: pytest.Pytester) -> None:
    assert _settings(project)["keep_workspaces"] is False
    assert _settings(project, "--gitenv-keep-workspaces")["keep_workspaces"] is True
    project.makeini(f"{LOCAL}gitenv_keep_workspaces = true\n")
    assert _settings(project)["keep_workspaces"] is True


def test_command_line_wins_over_ini(project: pytest.Pytester) -> None:
    project.makeini(f"{LOCAL}gitenv_task = alpha\n")
    assert _settings(project, "--gitenv-task=beta")["task"] == "beta"


def _no_gitea_around(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("pytest_gitenv.plugin_backend._docker_reachable", lambda: False)
    monkeypatch.setenv("PATH", str(tmp_path))


def test_defaults(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_gitea_around(monkeypatch, tmp_path)
    project.makeini("[pytest]\n")
    settings = _settings(project)
    assert settings["tasks_path"] == str(project.path / "tasks.yaml")
    assert settings["backend"] == "auto" and settings["task"] is None and settings["report"] is None


def test_auto_header_says_which_backend_and_why(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    _no_gitea_around(monkeypatch, tmp_path)
    project.makeini("[pytest]\n")
    project.makepyfile(AGENT_TEST)
    result = project.runpytest()
    result.assert_outcomes(passed=2)
    reason = "auto: the embedded on-disk store (no --gitenv-url; no Docker engine; no gitea binary on PATH)"
    result.stdout.fnmatch_lines([f"gitenv: backend local: {reason}", "*", f"backend: local - {reason}"])


def test_unknown_backend_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyfile(AGENT_TEST)
    result = project.runpytest("--gitenv-backend=svn")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["*--gitenv-backend='svn': choose one of auto, local, docker, binary, url*"])


# --- task selection, ids, marker -----------------------------------------------------------

def test_parametrized_over_every_task_by_default(project: pytest.Pytester) -> None:
    project.makepyfile(AGENT_TEST)
    result = project.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_agent[[]alpha[]] PASSED*", "*test_agent[[]beta[]] PASSED*"])


@pytest.mark.parametrize(("selection", "ids"), [("alpha", ["alpha"]), ("beta,alpha", ["beta", "alpha"]),
                                                ("all", ["alpha", "beta"])])
def test_task_selection(project: pytest.Pytester, selection: str, ids: list[str]) -> None:
    project.makepyfile(AGENT_TEST)
    result = project.runpytest("--collect-only", "-q", f"--gitenv-task={selection}")
    result.stdout.fnmatch_lines([f"*test_agent[[]{i}[]]" for i in ids])
    assert result.stdout.str().count("test_agent[") == len(ids)


def test_marker_picks_the_task(project: pytest.Pytester) -> None:
    project.makepyfile("""
        import pytest

        @pytest.mark.gitenv_task("beta")
        def test_marked(git_env, gitenv_task):
            assert gitenv_task.name == "beta" and (git_env.workspace_dir / "docs-site").is_dir()
    """)
    result = project.runpytest("-v", "--gitenv-task=alpha")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*test_marked[[]beta[]] PASSED*"])


def test_session_fixtures(project: pytest.Pytester) -> None:
    project.makepyfile("""
        def test_session(gitenv_tasks, gitenv_store, gitenv_config):
            assert sorted(gitenv_tasks.tasks) == ["alpha", "beta"]
            assert [r.name for r in gitenv_store.list_repos()] == ["demo-lib", "docs-site"]
            assert gitenv_config.tasks_path.name == "tasks.yaml"

        def test_gitea(gitea):
            pass
    """)
    result = project.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*no Gitea server: backend 'local'*"])


def test_backend_is_opened_only_for_tests_that_need_a_store(project: pytest.Pytester) -> None:
    project.makepyfile("def test_tasks_only(gitenv_tasks): assert len(gitenv_tasks.tasks) == 2")
    result = project.runpytest("--gitenv-backend=url", "--gitenv-url=http://127.0.0.1:9")
    result.assert_outcomes(passed=1)
    assert "gitenv: backend" not in result.stdout.str()


def test_factory_makes_several_environments(project: pytest.Pytester) -> None:
    project.makepyfile("""
        def test_two(git_env_factory):
            first, second = git_env_factory("alpha", seed=1), git_env_factory("beta", seed=2)
            assert first.workspace_dir != second.workspace_dir
            assert first.state.task_id == "alpha" and second.state.seed == 2
    """)
    result = project.runpytest("--gitenv-report=r.json")
    result.assert_outcomes(passed=1)
    assert sorted((e["task_id"], e["seed"]) for e in _episodes(project.path / "r.json")) == [("alpha", 1), ("beta", 2)]


# --- errors: one clear usage error -----------------------------------------------------------

def _two_modules(project: pytest.Pytester) -> None:
    project.makepyfile(test_one=AGENT_TEST, test_two=AGENT_TEST.replace("test_agent", "test_other"))


def test_missing_tasks_file_is_one_usage_error(project: pytest.Pytester) -> None:
    _two_modules(project)
    result = project.runpytest("--gitenv-tasks=nope.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["gitenv: invalid tasks file */nope.yaml: 1 problem:", "*file not found*"])


def test_invalid_tasks_file_is_one_usage_error(project: pytest.Pytester) -> None:
    _two_modules(project)
    project.makefile(".yaml", tasks="version: 1\ntasks:\n  x:\n    repo: nowhere\n    colour: red\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["gitenv: invalid tasks file *tasks.yaml: * problems:", "*line 5*colour*"])


def test_unknown_task_lists_the_known_ones(project: pytest.Pytester) -> None:
    _two_modules(project)
    result = project.runpytest("--gitenv-task=alpah")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown task 'alpah'. Did you mean 'alpha'? Known tasks: alpha, beta*"])


def test_unknown_task_in_a_marker(project: pytest.Pytester) -> None:
    project.makepyfile("""
        import pytest

        @pytest.mark.gitenv_task("gamma")
        def test_marked(git_env):
            pass
    """)
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["*unknown task 'gamma'. Known tasks: alpha, beta*"])


# --- reports -----------------------------------------------------------------------------------

def test_terminal_summary_and_header(project: pytest.Pytester) -> None:
    project.makepyfile(AGENT_TEST)
    result = project.runpytest("--gitenv-backend=local")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "gitenv: 2 tasks in */tasks.yaml; selected: alpha, beta",
        "gitenv: backend local: --gitenv-backend=local",
        "*= gitenv episodes =*",
        "backend: local - --gitenv-backend=local",
        "task       test        episodes  mean reward  success rate  mean steps",
        "---------  ----------  --------  -----------  ------------  ----------",
        "alpha      test_agent         1         1.00          100%         2.0",
        "beta       test_agent         1         1.00          100%         0.0",
        "---------  ----------  --------  -----------  ------------  ----------",
        "all tasks  test_agent         2         1.00          100%         1.0",
    ])


def test_json_report(project: pytest.Pytester) -> None:
    project.makepyfile(AGENT_TEST)
    project.runpytest("--gitenv-report=out/report.json").assert_outcomes(passed=2)
    data = json.loads((project.path / "out" / "report.json").read_text())
    assert data["schema_version"] == 1 and data["backend"]["name"] == "local" and data["backend"]["reason"]
    assert data["tasks"]["alpha"] == {"episodes": 1, "mean_reward": 1.0, "success_rate": 1.0, "mean_steps": 2.0,
                                      "mean_duration": data["tasks"]["alpha"]["mean_duration"]}
    alpha, beta = sorted(data["episodes"], key=lambda e: e["task_id"])
    assert alpha["test"] == "test_json_report.py::test_agent[alpha]" and alpha["worker"] == "main"
    assert [a["action_type"] for a in alpha["actions"]] == ["execute_git_command", "submit"]
    assert alpha["steps"][0]["observation"]["success"] is True and alpha["step_count"] == 2
    assert [c["passed"] for c in alpha["checks"]] == [True, True] and alpha["success"] is True
    assert len(alpha["fingerprint"]) >= 40 and alpha["duration"] >= 0 and alpha["workspace"] is None
    assert beta["step_count"] == 0 and beta["reward"] == 1.0, "a test that never submits is scored at teardown"


def test_unsubmitted_episode_is_scored_at_teardown(project: pytest.Pytester) -> None:
    project.makepyfile("""
        def test_idle(git_env):
            pass
    """)
    project.runpytest("--gitenv-task=alpha", "--gitenv-report=r.json").assert_outcomes(passed=1)
    (episode,) = _episodes(project.path / "r.json")
    assert episode["reward"] == 0.5 and [c["passed"] for c in episode["checks"]] == [True, False]


def test_failing_test_shows_the_last_steps(project: pytest.Pytester) -> None:
    project.makepyfile("""
        from pytest_gitenv import GitAction

        def test_agent(git_env):
            for n in range(1, 8):
                git_env.step(GitAction("execute_git_command", command=f"log -{n} --oneline", working_dir="demo-lib"))
            git_env.step(GitAction("execute_git_command", command="frobnicate", working_dir="demo-lib"))
            assert False, "agent gave up"
    """)
    result = project.runpytest("--gitenv-task=alpha")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*- gitenv episode -*",
        "task alpha: 8 step(s), last 5:",
        '#4 execute_git_command {"command": "log -4 --oneline", "working_dir": "demo-lib"} -> ok (exit 0)',
        "*",
        '#8 execute_git_command {"command": "frobnicate", *} -> FAILED (exit 1)',
        "   error:",
        "*frobnicate*",
    ])


KEEP_TEST = """
import pathlib

def test_a(git_env):
    pathlib.Path("ws.txt").write_text(str(git_env.workspace_dir))

def test_b():
    print("WORKSPACE EXISTS:", pathlib.Path(pathlib.Path("ws.txt").read_text()).is_dir())
"""


@pytest.mark.parametrize(("flag", "kept"), [((), False), (("--gitenv-keep-workspaces",), True)])
def test_keep_workspaces(project: pytest.Pytester, flag: tuple[str, ...], kept: bool) -> None:
    project.makepyfile(KEEP_TEST)
    result = project.runpytest("-s", "-p", "no:randomly", "--gitenv-task=alpha", "--gitenv-report=r.json", *flag)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"*WORKSPACE EXISTS: {kept}*"])
    (episode,) = _episodes(project.path / "r.json")
    workspace = (project.path / "ws.txt").read_text()
    assert episode["workspace"] == (workspace if kept else None) and workspace.endswith("gitenv-main-0")


# --- pytest-xdist ---------------------------------------------------------------------------

def test_xdist_workers_share_the_store_and_reports_merge(project: pytest.Pytester) -> None:
    project.makepyfile(test_one=AGENT_TEST, test_two=AGENT_TEST.replace("test_agent", "test_other"))
    result = project.runpytest_subprocess("-n", "2", "--gitenv-report=r.json", "--gitenv-keep-workspaces")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*= gitenv episodes =*", "all tasks  test_agent  *", "*test_other*"])
    episodes = _episodes(project.path / "r.json")
    assert len(episodes) == 4 and {e["worker"] for e in episodes} == {"gw0", "gw1"}
    assert all(f"gitenv-{e['worker']}-0" == Path(e["workspace"]).name for e in episodes)
    store = project.path.parent / "gitenv-cache" / "store"
    assert sorted(p.name.split("-")[0] for p in store.glob("*.git")) == ["demo", "docs"]


def test_xdist_usage_error_is_reported_once(project: pytest.Pytester) -> None:
    _two_modules(project)
    result = project.runpytest_subprocess("-n", "2", "--gitenv-task=nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stdout.str().count("unknown task 'nope'") == 2  # the error, and its short summary line


GITEA_TEST = """
import json, os, time
from pytest_gitenv.gitea import GiteaClient

def _log(gitea, name):
    with open("servers.jsonl", "a") as out:
        out.write(json.dumps({"test": name, "worker": os.environ["PYTEST_XDIST_WORKER"], "url": gitea.url}) + "\\n")

def test_quick(gitea, git_env):
    _log(gitea, "quick")

def test_slow(gitea, git_env):
    time.sleep(3)  # the other worker is finished by now: the server must still be up
    assert [r["name"] for r in GiteaClient(gitea.url, gitea.token).list_repos("gitenv")]
    _log(gitea, "slow")
"""


def _assert_one_shared_gitea(project: pytest.Pytester, backend: str, *args: str) -> None:
    project.makepyfile(GITEA_TEST)
    result = project.runpytest_subprocess("-n", "2", f"--gitenv-backend={backend}", *args,
                                          "--gitenv-task=alpha", "--gitenv-report=r.json", "-p", "no:randomly")
    result.assert_outcomes(passed=2)
    servers = [json.loads(line) for line in (project.path / "servers.jsonl").read_text().splitlines()]
    assert len({s["url"] for s in servers}) == 1 and {s["worker"] for s in servers} == {"gw0", "gw1"}
    assert not is_healthy(servers[0]["url"]), "the server is stopped once every worker is finished"
    data = json.loads((project.path / "r.json").read_text())
    assert data["backend"] == {"name": backend, "reason": f"--gitenv-backend={backend}"}
    assert len(data["episodes"]) == 2


def test_xdist_shares_one_gitea_binary(gitea_binary: Path, project: pytest.Pytester) -> None:
    _assert_one_shared_gitea(project, "binary", f"--gitenv-binary={gitea_binary}")


def test_xdist_shares_one_gitea_container(project: pytest.Pytester) -> None:
    from pytest_gitenv.gitea.container import docker_available

    if not docker_available():
        require("docker", "no Docker engine answers")
    _assert_one_shared_gitea(project, "docker")


def test_url_backend_uses_a_running_gitea(project: pytest.Pytester, binary_gitea: GiteaServer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITEA_TOKEN", binary_gitea.token)
    project.makepyfile("""
        def test_url(gitea, git_env, gitenv_store):
            assert gitea.url == gitea.url.rstrip("/") + "/" and gitenv_store.kind == "gitea"
            assert git_env.state.gitea_ready and (git_env.workspace_dir / "demo-lib").is_dir()
    """)
    result = project.runpytest(f"--gitenv-url={binary_gitea.url}", "--gitenv-backend=url", "--gitenv-task=alpha")
    result.assert_outcomes(passed=1)
    assert binary_gitea.healthy(), "a server we did not start is left running"


# --- backend selection (no pytest session needed) ---------------------------------------------

def _config(tmp_path: Path, backend: str = "auto", url: str | None = None) -> GitenvConfig:
    return GitenvConfig(tmp_path / "tasks.yaml", None, backend, url, None, None, None, False)


def test_auto_falls_through_to_the_embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pytest_gitenv.plugin_backend._docker_reachable", lambda: True)
    monkeypatch.setenv("PATH", str(tmp_path))
    tried: list[str] = []

    def opener(name: str) -> object:
        tried.append(name)
        if name != "local":
            raise ValueError(f"unknown backend {name!r}")
        return "store"

    choice = choose_backend(_config(tmp_path, url="http://127.0.0.1:9"), opener)  # type: ignore[arg-type]
    assert tried == ["url", "docker", "local"] and choice.name == "local" and choice.store == "store"
    assert choice.reason == ("auto: the embedded on-disk store (--gitenv-url http://127.0.0.1:9 given, but: unknown "
                             "backend 'url'; a Docker engine answers, but: unknown backend 'docker'; "
                             "no gitea binary on PATH)")


def test_auto_picks_the_first_that_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pytest_gitenv.plugin_backend._docker_reachable", lambda: True)
    choice = choose_backend(_config(tmp_path), lambda name: name)  # type: ignore[arg-type,return-value]
    assert (choice.name, choice.reason) == ("docker", "auto: a Docker engine answers (no --gitenv-url)")


def test_an_explicit_backend_that_cannot_open_is_an_error(tmp_path: Path) -> None:
    def opener(name: str) -> object:
        raise GiteaUnavailable("Gitea at http://127.0.0.1:9 is not answering")

    with pytest.raises(BackendError, match=r"--gitenv-backend=url cannot be used: Gitea at .* is not answering"):
        choose_backend(_config(tmp_path, "url"), opener)  # type: ignore[arg-type]
