"""Episode records, per-task aggregates, the terminal table and the JSON report.

JSON report (``--gitenv-report``), ``schema_version`` 1::

    {
      "schema_version": 1,
      "created": "2026-11-26T08:00:00+00:00",        # UTC, ISO 8601
      "tasks_file": "/abs/path/tasks.yaml",
      "backend": {"name": "local", "reason": "auto: the embedded on-disk store (...)"},
      "tasks": {                                      # per-task aggregates, sorted by name
        "bug_fix": {"episodes": 2, "mean_reward": 0.9, "success_rate": 0.5,
                    "mean_steps": 4.5, "mean_duration": 0.12}
      },
      "tests": {"test_agent": {"bug_fix": {...}}},   # the same, per test function (agent)
      "episodes": [                                   # every episode of every worker
        {"test": "evals/test_agent.py::test_scripted[bug_fix]", "worker": "gw0",
         "task_id": "bug_fix", "seed": null, "episode_id": "...", "reward": 1.0, "success": true,
         "step_count": 4, "actions": [{"action_type": "submit"}],   # set fields only
         "steps": [{"action": {...}, "observation": {...}}],         # GitAction / GitObservation dicts
         "checks": [{"check": "...", "passed": true, "detail": "..."}],
         "duration": 0.1, "fingerprint": "<sha256>", "workspace": null}
      ]
    }

``success`` means ``reward == 1.0``; ``workspace`` is set only with ``--gitenv-keep-workspaces``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pytest_gitenv.env import EpisodeRecord

SCHEMA_VERSION = 1
_LAST_STEPS = 5


def episode_dict(record: EpisodeRecord, *, test: str, worker: str, fingerprint: str,
                 workspace: str | None) -> dict[str, Any]:
    """One finished episode as a JSON-ready dict (the report's ``episodes`` entry)."""
    actions = [{k: v for k, v in step["action"].items() if v is not None} for step in record.steps]
    return {
        "test": test, "worker": worker, "task_id": record.task_id, "seed": record.seed,
        "episode_id": record.episode_id, "reward": record.reward, "success": record.reward == 1.0,
        "step_count": len(record.steps), "actions": actions,
        "steps": record.steps, "checks": record.checks, "duration": round(record.duration, 6),
        "fingerprint": fingerprint, "workspace": workspace,
    }


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 6) if values else 0.0


def test_name(nodeid: str) -> str:
    """``path/test_x.py::test_agent[bug_fix]`` -> ``test_agent`` (the agent being evaluated)."""
    return nodeid.split("::")[-1].split("[")[0]


def _stats(items: list[dict[str, Any]]) -> dict[str, float]:
    return {"episodes": len(items),
            "mean_reward": _mean([e["reward"] or 0.0 for e in items]),
            "success_rate": _mean([float(e["success"]) for e in items]),
            "mean_steps": _mean([e["step_count"] for e in items]),
            "mean_duration": _mean([e["duration"] for e in items])}


def aggregate(episodes: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per task: episodes, mean reward, success rate (reward == 1.0), mean steps and duration."""
    by_task: dict[str, list[dict[str, Any]]] = {}
    for episode in episodes:
        by_task.setdefault(episode["task_id"] or "(no task)", []).append(episode)
    return {task: _stats(items) for task, items in sorted(by_task.items())}


def by_test(episodes: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per test function (agent), its per-task aggregates."""
    tests = sorted({test_name(e["test"]) for e in episodes})
    return {name: aggregate(e for e in episodes if test_name(e["test"]) == name) for name in tests}


def _cells(stats: dict[str, float]) -> list[str]:
    return [str(int(stats["episodes"])), f"{stats['mean_reward']:.2f}", f"{stats['success_rate']:.0%}",
            f"{stats['mean_steps']:.1f}"]


def table(episodes: list[dict[str, Any]]) -> list[str]:
    """The summary as aligned text: a row per task and test (agent), then a total per test."""
    tests = by_test(episodes)
    rows: list[list[str]] = []
    for task in aggregate(episodes):
        rows += [[task if not i else "", name, *_cells(tests[name][task])]
                 for i, name in enumerate(n for n in tests if task in tests[n])]
    totals = [["all tasks" if not i else "", name, *_cells(_stats(
        [e for e in episodes if test_name(e["test"]) == name]))] for i, name in enumerate(tests)]
    header = ["task", "test", "episodes", "mean reward", "success rate", "mean steps"]
    widths = [max(len(r[i]) for r in [header, *rows, *totals]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(header), rule, *(line(r) for r in rows), rule, *(line(r) for r in totals)]


def write_json(path: Path, episodes: list[dict[str, Any]], backend: dict[str, str] | None,
               tasks_file: Path | None) -> None:
    """Write the report (schema above); parent directories are created."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tasks_file": str(tasks_file) if tasks_file else None,
        "backend": backend,
        "tasks": aggregate(episodes),
        "tests": by_test(episodes),
        "episodes": episodes,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def _clip(text: str, limit: int = 1000) -> str:
    text = text.rstrip()
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def last_steps(task_id: str | None, steps: list[dict[str, Any]], count: int = _LAST_STEPS) -> str:
    """The last actions and observations of an episode, for a failing test's report."""
    shown = steps[-count:]
    lines = [f"task {task_id}: {len(steps)} step(s), last {len(shown)}:"]
    for number, step in enumerate(shown, len(steps) - len(shown) + 1):
        action = {k: v for k, v in step["action"].items() if v is not None and k != "action_type"}
        if "content" in action:
            action["content"] = f"<{len(action['content'])} chars>"
        obs = step["observation"]
        status = "ok" if obs.get("success") else "FAILED"
        if obs.get("exit_code") is not None:
            status += f" (exit {obs['exit_code']})"
        lines.append(f"#{number} {step['action']['action_type']} {_clip(json.dumps(action), 200)} -> {status}")
        for key in ("message", "output", "error"):
            if obs.get(key):
                lines += [f"   {key}:", *(f"     {part}".rstrip() for part in _clip(obs[key]).splitlines())]
    return "\n".join(lines)
