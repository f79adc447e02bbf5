"""Issue 21 against tinker==0.38.0 itself: top-k matrices, pydantic API answers, error classes and lax
numbers, each compared with what the official SDK does for the same call (`nox -s parity_038`)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

from tinker import types as official  # noqa: E402
from tinker.types import topk_logprobs as official_topk  # noqa: E402

from tinker_ext import types as ours  # noqa: E402
from tinker_ext.types import topk_logprobs as our_topk  # noqa: E402

pytestmark = pytest.mark.parity

ROWS = [None, [(3, -0.25), (4, -1.0)], [(5, -0.5)]]


def test_topk_matrices_are_038s_and_convert_back_with_either_sdk() -> None:
    answer = {"sequences": [], "topk_prompt_logprobs": [None, [[3, -0.25], [4, -1]], [[5, -0.5]]]}
    matrices = ours.SampleResponse.from_wire(answer).topk_prompt_logprobs_np
    assert [f.name for f in dataclasses.fields(matrices)] == [
        f.name for f in dataclasses.fields(official_topk.TopkLogprobs)
    ]
    assert matrices.token_ids.dtype == np.int32 and matrices.logprobs.dtype == np.float32
    assert official_topk.topk_to_lists(matrices) == ROWS == our_topk.topk_to_lists(matrices)
    theirs = official_topk.TopkLogprobs(token_ids=matrices.token_ids, logprobs=matrices.logprobs)
    assert our_topk.topk_to_lists(theirs) == official_topk.topk_to_lists(theirs)
    assert our_topk.MASK_LOGPROB == official_topk.MASK_LOGPROB
    empty = official_topk.TopkLogprobs(np.zeros((2, 0), np.int32), np.zeros((2, 0), np.float32))
    assert our_topk.topk_to_lists(empty) == official_topk.topk_to_lists(empty) == []


def test_the_pydantic_api_answers_as_038s() -> None:
    body = {"max_tokens": 5, "temperature": 0.5, "stop": ["\n"]}
    mine, theirs = ours.SamplingParams(**body), official.SamplingParams(**body)
    assert dict(mine) == dict(theirs) and list(mine) == list(theirs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert mine.dict() == theirs.dict() and mine.json() == theirs.json()
        assert ours.SamplingParams.parse_obj(body) == mine
        assert official.SamplingParams.parse_obj(body) == theirs
    with pytest.warns(DeprecationWarning):
        theirs.dict()  # pydantic warns for the v1 names; so do we
    with pytest.warns(DeprecationWarning):
        mine.dict()
    assert set(official.AdamParams.model_json_schema()["properties"]) <= set(
        ours.AdamParams.model_json_schema()["properties"]
    )
    info = {"model_data": {"model_name": "org/m"}, "model_id": "m-1"}
    got = ours.GetInfoResponse.model_validate(info).model_dump(exclude_none=True)
    expected = official.GetInfoResponse.model_validate(info).model_dump(exclude_none=True)
    # 0.38 fills an absent optimizer_config with adamw's; so do we
    assert expected["optimizer_config"] == {"type": "adamw"} and got == expected


def test_refusals_use_038s_exception_classes_or_say_what_038_does() -> None:
    for sdk in (official, ours):
        td = sdk.TensorData(data=[1, 2, 3, 4, 5, 6], dtype="int64", shape=[6])
        with pytest.raises(TypeError):
            dataclasses.replace(td, shape=[3, 2])
    assert official.SamplingParams(max_tokens="5").max_tokens == 5
    with pytest.raises(ValueError, match=r"0\.38 would have converted '5' to 5"):
        ours.SamplingParams(max_tokens="5")


def test_038s_sample_constructors_build_the_same_values() -> None:
    tokens, logprobs = np.array([7, 8], np.int32), np.array([-1.0, -2.0], np.float32)
    prompt = np.array([np.nan, -0.5], np.float32)
    built = {}
    for name, sdk in (("ours", ours), ("official", official)):
        matrices = (official_topk if sdk is official else our_topk).TopkLogprobs(
            np.array([[7, 0], [8, 9]], np.int32), np.array([[-1, -99999.0], [-2, -3]], np.float32)
        )
        sequence = sdk.SampledSequence("stop", "seq-1", tokens, logprobs, matrices)
        response = sdk.SampleResponse([sequence], prompt_logprobs_np=prompt)
        built[name] = (
            sequence.tokens,
            sequence.logprobs,
            sequence.topk_logprobs,
            sequence.sequence_id,
            response.prompt_logprobs,
        )
    assert built["ours"] == built["official"]
