"""tinker:// grammar and the REST paths derived from it."""

from __future__ import annotations

import pytest

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._rest.checkpoints import (
    archive_rest_paths,
    checkpoint_dir_name,
    checkpoint_id_of,
    training_run_id_of,
)
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath


@pytest.mark.parametrize(
    ("path", "run", "ctype", "cid"),
    [
        ("tinker://run-1/weights/step_0010", "run-1", "training", "weights/step_0010"),
        ("tinker://abc:train:0/sampler_weights/final", "abc:train:0", "sampler", "sampler_weights/final"),
        ("tinker://r/external_weights/e1", "r", "external", "external_weights/e1"),
        # skyrl-tx's short sampler form
        ("tinker://model_1/ss0_seq3", "model_1", "sampler", "sampler_weights/ss0_seq3"),
    ],
)
def test_valid_paths(path, run, ctype, cid):
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(path)
    assert (parsed.tinker_path, parsed.training_run_id, parsed.checkpoint_type, parsed.checkpoint_id) == (
        path,
        run,
        ctype,
        cid,
    )
    assert parsed.checkpoint_name == cid.split("/", 1)[1]
    assert parsed.canonical_path == f"tinker://{run}/{cid}"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("run/weights/x", "must start with 'tinker://'"),
        ("http://run/weights/x", "must start with 'tinker://'"),
        ("tinker://", "empty path segment"),
        ("tinker://run/weights/", "empty path segment"),
        ("tinker://run//x", "empty path segment"),
        ("tinker://run/checkpoints/x", "unknown checkpoint kind 'checkpoints'"),
        ("tinker://run/weights/x/y", "4 segments"),
        ("tinker://run", "1 segments"),
        ("tinker://run/weights", "name is missing after 'weights'"),
        ("tinker://run/weights/..", "'..'"),
        ("tinker://run/weights/ x", "whitespace"),
    ],
)
def test_invalid_paths_say_what_is_wrong(path, reason):
    with pytest.raises(InvalidInputError) as info:
        ParsedCheckpointTinkerPath.from_tinker_path(path)
    assert reason in str(info.value)
    assert repr(path) in str(info.value)
    assert isinstance(info.value, ValueError)  # drop-in: the official parser raises ValueError


def test_non_string_rejected():
    with pytest.raises(InvalidInputError, match="must be a string"):
        ParsedCheckpointTinkerPath.from_tinker_path(None)  # type: ignore[arg-type]


def test_helpers():
    path = "tinker://run-1/sampler_weights/final"
    assert training_run_id_of(path) == "run-1"
    assert checkpoint_id_of(path) == "sampler_weights/final"
    assert archive_rest_paths(path) == (
        "/api/v1/training_runs/run-1/checkpoints/sampler_weights/final/archive",
        "/api/v1/training_runs/run-1/checkpoints/final/archive",
    )
    assert checkpoint_dir_name(path) == "run-1_sampler_weights_final"
    assert checkpoint_dir_name("tinker://m/short") == "m_sampler_weights_short"
