from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinker_ext.types as t
from tinker_ext._core.exceptions import InvalidInputError


@pytest.mark.parametrize(
    ("array", "dtype"),
    [
        (np.array([1, 2, 3], dtype=np.int64), "int64"),
        (np.array([1, 2, 3], dtype=np.int8), "int64"),
        (np.arange(6, dtype=np.int32).reshape(2, 3), "int64"),
        (np.array([0.5, -1.25], dtype=np.float64), "float32"),
        (np.ones((2, 2, 2), dtype=np.float16), "float32"),
        (np.zeros((0,), dtype=np.float32), "float32"),
    ],
)
def test_numpy_round_trip(array: np.ndarray[Any, Any], dtype: str) -> None:
    td = t.TensorData.from_numpy(array)
    assert td.dtype == dtype
    assert td.shape == list(array.shape)
    back = td.to_numpy()
    assert back.dtype == (np.int64 if dtype == "int64" else np.float32)
    np.testing.assert_array_equal(back, array.astype(back.dtype))
    assert td.tolist() == array.astype(back.dtype).tolist()
    back_again = t.TensorData.from_json(td.to_json())
    assert (back_again.dtype, back_again.shape, back_again.tolist()) == (td.dtype, td.shape, td.tolist())
    assert back_again != td and td == td  # identity equality, as 0.38's TensorData (eq=False)


@pytest.mark.parametrize("array", [np.array([1, 2], dtype=np.uint8), np.array([True]), np.array(["a"])])
def test_unsupported_numpy_dtypes_are_rejected(array: np.ndarray[Any, Any]) -> None:
    with pytest.raises(InvalidInputError):
        t.TensorData.from_numpy(array)


def test_unsupported_wire_dtype_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="dtype"):
        t.TensorData(data=[1], dtype="int32")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        t.TensorData(data=[1])


def test_list_data_with_and_without_shape() -> None:
    flat = t.TensorData(data=[1.0, 2.0, 3.0, 4.0], dtype="float32")
    assert flat.shape is None
    assert flat.to_numpy().shape == (4,)
    shaped = t.TensorData(data=[1, 2, 3, 4, 5, 6], dtype="int64", shape=[2, 3])
    assert shaped.to_numpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    assert shaped.data == [1, 2, 3, 4, 5, 6]
    assert shaped.to_json() == {"data": [1, 2, 3, 4, 5, 6], "dtype": "int64", "shape": [2, 3]}


def test_shape_must_match_element_count() -> None:
    with pytest.raises(InvalidInputError, match="elements"):
        t.TensorData(data=[1, 2, 3], dtype="int64", shape=[2, 2])
    with pytest.raises(InvalidInputError):
        t.TensorData(data=[1, 2], dtype="int64", shape=[-1, -2])


def test_ragged_list_data_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        t.TensorData(data=[[1, 2], [3]], dtype="int64")  # type: ignore[list-item]


def test_torch_round_trip_and_dtype_rules() -> None:
    torch = pytest.importorskip("torch")
    cases = [
        (torch.tensor([1, 2, 3]), "int64", torch.int64),
        (torch.tensor([1, 2], dtype=torch.int32), "int64", torch.int64),
        (torch.tensor([True, False]), "int64", torch.int64),
        (torch.tensor([[0.5, 1.5]], dtype=torch.float64), "float32", torch.float32),
        (torch.tensor([0.5, 2.0], dtype=torch.bfloat16), "float32", torch.float32),
    ]
    for tensor, dtype, torch_dtype in cases:
        td = t.TensorData.from_torch(tensor)
        assert td.dtype == dtype
        assert td.shape == list(tensor.shape)
        back = td.to_torch()
        assert back.dtype == torch_dtype
        assert torch.equal(back, tensor.to(torch_dtype))
    grad_tensor = torch.ones(3, requires_grad=True)
    assert t.TensorData.from_torch(grad_tensor * 2).tolist() == [2.0, 2.0, 2.0]


def test_sparse_round_trip_with_pad_value() -> None:
    torch = pytest.importorskip("torch")
    dense = torch.full((5, 4), -1, dtype=torch.int64)
    dense[0, 1] = 7
    dense[3, 3] = 9
    td = t.TensorData.from_torch_sparse(dense, pad_value=-1)
    assert td.is_sparse
    assert td.data == [7, 9]
    assert td.sparse_crow_indices == [0, 1, 1, 1, 2, 2]
    assert td.sparse_col_indices == [1, 3]
    assert torch.equal(td.to_torch(pad_value=-1), dense)
    assert t.TensorData.from_json(td.to_json()).tolist(pad_value=-1) == dense.tolist()
    mostly_full = torch.ones(2, 2)
    assert not t.TensorData.from_torch_sparse(mostly_full).is_sparse
    with pytest.raises(InvalidInputError):
        td.to_numpy(pad_value=True)


def test_sparse_indices_are_checked() -> None:
    with pytest.raises(InvalidInputError):
        t.TensorData(data=[1], dtype="int64", shape=[2, 2], sparse_crow_indices=[0, 1, 1])
    with pytest.raises(InvalidInputError):
        t.TensorData(
            data=[1], dtype="int64", shape=[2, 2], sparse_crow_indices=[0, 1], sparse_col_indices=[0]
        )


def test_from_json_rejects_missing_keys() -> None:
    with pytest.raises(t.ResponseFormatError):
        t.TensorData.from_json({"dtype": "int64"})
    with pytest.raises(t.ResponseFormatError):
        t.TensorData.from_json({"data": [1], "dtype": "bfloat16"})
    with pytest.raises(t.ResponseFormatError):
        t.TensorData.from_json({"data": [1, 2], "dtype": "int64", "shape": [3]})


def test_tensor_data_module_path_exists_for_cookbook_imports() -> None:
    from tinker_ext.types.tensor_data import TensorData

    assert TensorData is t.TensorData


def test_generated_tensor_data_parses_answers_once_and_keeps_identity_equality() -> None:
    import dataclasses

    tensor = t.TensorData.from_wire({"data": [1.5, 2.5], "dtype": "float32", "shape": [2, 1], "extra": 0})
    assert tensor.to_numpy().dtype == np.float32 and tensor.tolist() == [[1.5], [2.5]]
    assert tensor.to_json() == {"data": [1.5, 2.5], "dtype": "float32", "shape": [2, 1]}
    assert [f.name for f in dataclasses.fields(tensor)] == [
        "dtype",
        "shape",
        "sparse_crow_indices",
        "sparse_col_indices",
    ]
    assert tensor != t.TensorData.from_wire(tensor.to_json()) and tensor == tensor
    for body, pointer in (
        ({"data": "12", "dtype": "int64"}, "/data"),
        ({"data": [1], "dtype": "int32"}, "/dtype"),
        ({"data": [1], "dtype": "int64", "shape": ["1"]}, "/shape/0"),
    ):
        with pytest.raises(t.ResponseFormatError) as caught:
            t.TensorData.from_wire(body)
        assert caught.value.pointer == pointer
    with pytest.raises(t.ResponseFormatError, match="rectangular"):
        t.TensorData.from_wire({"data": [[1], [2, 3]], "dtype": "int64"})


def test_the_decoders_fast_path_builds_the_same_tensor() -> None:
    array = np.arange(6, dtype=np.float32)
    fast = t.TensorData._decoded(array, "float32", [2, 3])
    slow = t.TensorData(data=array, dtype="float32", shape=[2, 3])
    assert fast.to_json() == slow.to_json() and repr(fast) == repr(slow)
    assert fast.to_numpy().shape == (2, 3) and fast.sparse_crow_indices is None


@pytest.mark.parametrize(
    "tensor",
    [
        t.TensorData.from_numpy(np.array([0.1, -1e-30, 3.4e38, 1 / 3, 0.0, -0.0], dtype=np.float32)),
        t.TensorData.from_numpy(np.array([[2**62, -(2**63)], [0, 7]], dtype=np.int64)),
        t.TensorData.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2]),  # not contiguous
        t.TensorData(
            data=[5, 6], dtype="int64", shape=[2, 3], sparse_crow_indices=[0, 1, 2], sparse_col_indices=[0, 2]
        ),
        t.TensorData(data=[], dtype="float32", shape=[0]),
    ],
)
def test_the_request_body_form_writes_the_same_json_bytes_as_to_json(tensor: Any) -> None:
    import orjson

    fast = orjson.dumps(tensor._request_json(), option=orjson.OPT_SERIALIZE_NUMPY)
    assert fast == orjson.dumps(tensor.to_json())
    assert isinstance(tensor._request_json()["data"], np.ndarray)


def test_dataclasses_replace_is_refused_with_0_38s_error_class() -> None:
    import dataclasses

    td = t.TensorData(data=[1, 2, 3, 4, 5, 6], dtype="int64", shape=[6])
    with pytest.raises(TypeError, match=r"has no data: dataclasses.replace") as info:
        dataclasses.replace(td, shape=[3, 2])  # 0.38 raises TypeError for this call
    assert isinstance(info.value, InvalidInputError) and "data has 0" not in str(info.value)
    assert t.TensorData(dtype="int64", shape=[0]).to_numpy().shape == (0,)  # an empty tensor stays valid
