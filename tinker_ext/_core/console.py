"""Links into the Tinker web console (links only; nothing here talks to a server)."""

from __future__ import annotations

from urllib.parse import quote

from tinker_ext._core.tinker_path import parse_checkpoint_path

__all__ = ["CONSOLE_BASE_URL", "checkpoint_url", "playground_url", "session_url", "training_run_url"]

CONSOLE_BASE_URL = "https://tinker.thinkingmachines.ai"


def session_url(session_id: str) -> str:
    return f"{CONSOLE_BASE_URL}/sessions/{quote(session_id, safe='')}"


def training_run_url(training_run_id: str) -> str:
    return f"{CONSOLE_BASE_URL}/training_runs/{quote(training_run_id, safe='')}"


def checkpoint_url(tinker_path: str) -> str:
    """Console page of the checkpoint `tinker://RUN/KIND/NAME` (checkpoint id = `KIND/NAME`)."""
    training_run_id, _, checkpoint_id = parse_checkpoint_path(tinker_path)
    return f"{CONSOLE_BASE_URL}/checkpoints/{quote(training_run_id, safe='')}/{quote(checkpoint_id, safe='')}"


def playground_url(tinker_path: str) -> str:
    return f"{CONSOLE_BASE_URL}/playground?mode=checkpoint&checkpoint={quote(tinker_path, safe='')}"
