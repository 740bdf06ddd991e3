"""pytest-gitenv: a real Git environment for training and evaluating AI agents."""

from pytest_gitenv.env import EpisodeRecord, GitEnv, GitEnvError
from pytest_gitenv.models import GitAction, GitObservation, GitState, StepResult
from pytest_gitenv.tasks import Task, TasksFileError, TaskSuite, UnknownTaskError, load_tasks

__all__ = ["EpisodeRecord", "GitAction", "GitEnv", "GitEnvError", "GitObservation", "GitState", "StepResult",
           "Task", "TaskSuite", "TasksFileError", "UnknownTaskError", "load_tasks"]
__version__ = "0.1.0"
