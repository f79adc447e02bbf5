from __future__ import annotations

import copy
import pickle

from tinker_ext._core.not_given import NOT_GIVEN, NotGiven, drop_not_given, is_given


def test_not_given_is_a_falsy_singleton_with_its_name_as_repr() -> None:
    assert NotGiven() is NOT_GIVEN
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_drop_not_given_omits_not_given_and_keeps_explicit_none() -> None:
    body = drop_not_given({"ttl_seconds": None, "name": "a", "project_id": NOT_GIVEN})
    assert body == {"ttl_seconds": None, "name": "a"}


def test_is_given_distinguishes_none_from_not_given() -> None:
    assert is_given(None)
    assert is_given(0)
    assert not is_given(NOT_GIVEN)
