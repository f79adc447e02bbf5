"""The pydantic model API beyond model_dump/model_validate on the types that are pydantic models in 0.38
(tinker_ext/_types/pydantic_api.py), checked against the official SDK's pydantic models where the
installed oracle (tinker 0.24.1, pydantic 2) has the same type."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import tinker_ext.types as t

official = pytest.importorskip("tinker").types


def test_models_iterate_as_name_value_pairs_as_pydantic_does() -> None:
    ours = t.AdamParams(learning_rate=3e-4, beta1=0.8)
    theirs = official.AdamParams(learning_rate=3e-4, beta1=0.8)
    assert list(ours) == [(k, v) for k, v in theirs if k in dict(ours)]
    assert dict(ours) == {k: v for k, v in dict(theirs).items() if k in dict(ours)}
    params = t.SamplingParams(max_tokens=5, stop=["\n"])
    assert dict(params)["stop"] == ["\n"] and dict(params)["max_tokens"] == 5


def test_v1_names_warn_and_answer_as_their_v2_calls(tmp_path: Path) -> None:
    params = t.SamplingParams(max_tokens=7, temperature=0.5)
    calls = {
        "dict": lambda: params.dict(exclude_none=True),
        "json": lambda: params.json(),
        "copy": lambda: params.copy(update={"max_tokens": 9}),
        "parse_obj": lambda: t.SamplingParams.parse_obj({"max_tokens": 7, "temperature": 0.5}),
        "parse_raw": lambda: t.SamplingParams.parse_raw(params.model_dump_json()),
        "schema": lambda: t.SamplingParams.schema(),
    }
    for name, call in calls.items():
        with pytest.warns(DeprecationWarning, match=f"`{name}` method is deprecated"):
            result = call()
        if name == "dict":
            assert result == params.model_dump(exclude_none=True)
        elif name == "json":
            assert result == params.model_dump_json()
        elif name == "copy":
            assert result.max_tokens == 9 and result.temperature == 0.5
        elif name in ("parse_obj", "parse_raw"):
            assert result == params
        else:
            assert result == t.SamplingParams.model_json_schema()
    path = tmp_path / "params.json"
    path.write_text(params.model_dump_json())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert t.SamplingParams.parse_file(path) == params
        assert t.SamplingParams.from_orm(params) == params
        assert t.SamplingParams.validate({"max_tokens": 7, "temperature": 0.5}) == params


def test_model_construct_skips_checks_and_fills_defaults() -> None:
    built = t.AdamParams.model_construct(learning_rate="not checked")
    assert built.learning_rate == "not checked" and built.beta1 == t.AdamParams().beta1
    assert built.model_fields_set == {"learning_rate"}
    assert t.AdamParams.model_construct(_fields_set={"beta1"}, beta1=0.5).model_fields_set == {"beta1"}
    with pytest.raises(ValueError):
        t.AdamParams(learning_rate="not checked")  # the checked constructor still refuses it


def test_model_json_schema_comes_from_the_spec_with_defs() -> None:
    schema = t.CheckpointsListResponse.model_json_schema()
    assert schema["title"] == "CheckpointsListResponse" and schema["type"] == "object"
    assert "checkpoints" in schema["properties"]
    refs = str(schema)
    assert "#/components/" not in refs and "#/$defs/Checkpoint" in refs
    assert "Checkpoint" in schema["$defs"]
    adam = t.AdamParams.model_json_schema()
    assert set(official.AdamParams.model_json_schema()["properties"]) <= set(adam["properties"])


def test_the_hooks_answer_as_pydantic_for_a_plain_model() -> None:
    model = t.AdamParams()
    assert model.model_extra is None and model.model_post_init(None) is None
    assert t.AdamParams.model_rebuild() is None and t.AdamParams.model_computed_fields == {}
    assert t.AdamParams.model_config["frozen"] is True
    with pytest.raises(TypeError, match="generic"):
        t.AdamParams.model_parametrized_name((int,))


def test_model_dump_takes_pydantics_no_effect_options_and_refuses_others() -> None:
    params = t.SamplingParams(max_tokens=3)
    options = {"round_trip": True, "context": {"x": 1}, "serialize_as_any": True, "warnings": False}
    assert params.model_dump(**options) == params.model_dump()
    assert params.model_dump_json(**options) == params.model_dump_json()
    theirs = official.SamplingParams(max_tokens=3)
    assert theirs.model_dump(**options) == theirs.model_dump()  # the oracle takes them too
    with pytest.raises(TypeError, match="no_such_option"):
        params.model_dump(no_such_option=True)


def test_the_hand_written_types_answer_the_pydantic_calls_as_the_official_models() -> None:
    from tinker_ext.types.training import GetInfoResponse

    body = {"model_data": {"model_name": "org/m", "arch": "qwen3"}, "model_id": "m-1", "is_lora": True}
    ours = GetInfoResponse.model_validate(body)
    theirs = official.GetInfoResponse.model_validate(body)
    for kwargs in ({}, {"exclude_none": True}, {"mode": "json"}, {"mode": "json", "exclude_none": True}):
        expected = theirs.model_dump(**kwargs)
        assert {k: v for k, v in ours.model_dump(**kwargs).items() if k in expected} == expected, kwargs
    assert ours.model_id == theirs.model_id and dict(ours)["model_id"] == dict(theirs)["model_id"]
    assert GetInfoResponse.model_validate_json(ours.model_dump_json()) == ours
    assert ours.model_copy(update={"model_id": "m-2"}).model_id == "m-2"
    assert set(official.GetInfoResponse.model_fields) <= set(GetInfoResponse.model_fields)
    assert GetInfoResponse.model_fields["model_id"].is_required()
    assert not GetInfoResponse.model_fields["is_lora"].is_required()
    with pytest.raises(ValueError, match="model_id"):
        GetInfoResponse.model_validate({"model_data": {}})
    path = t.ParsedCheckpointTinkerPath.from_tinker_path("tinker://run-1/weights/step-2")
    assert t.ParsedCheckpointTinkerPath.model_validate(path.model_dump()) == path


@pytest.mark.parametrize(
    ("build", "official_build", "note"),
    [
        (
            lambda: t.SamplingParams(max_tokens="5"),
            lambda: official.SamplingParams(max_tokens="5"),
            "'5' to 5",
        ),
        (
            lambda: t.AdamParams(learning_rate="1e-4"),
            lambda: official.AdamParams(learning_rate="1e-4"),
            "to 0.0001",
        ),
        (
            lambda: t.SamplingParams(max_tokens=True),
            lambda: official.SamplingParams(max_tokens=True),
            "True to 1",
        ),
    ],
)
def test_lax_numbers_are_refused_saying_what_0_38_would_have_done(build, official_build, note) -> None:
    """0.38's pydantic converts these (checked on the oracle); we refuse with a typed error that says so."""
    official_build()  # the oracle accepts it
    with pytest.raises(ValueError, match=r"tinker 0\.38 would have converted") as info:
        build()
    assert note in str(info.value)


def test_unknown_fields_are_refused_saying_what_0_38_does() -> None:
    with pytest.raises(ValueError, match="misspelt keyword is never ignored"):
        t.SamplingParams(max_tokens=5, max_token=6)
