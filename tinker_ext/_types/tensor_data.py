"""Behaviour of TensorData: a numpy-backed tensor with the official wire shape.

JSON: `{"data": [flat row-major values], "dtype": "int64"|"float32", "shape": [...]?,
"sparse_crow_indices": [...]?, "sparse_col_indices": [...]?}`. For a sparse (CSR) tensor `data`
holds only the stored values; unlisted cells take `pad_value` when densified. The values live in one numpy
array (`_array`); `data` is a property over it (as 0.38's TensorData, whose dataclass fields are dtype,
shape and the CSR indices).

dtype rules: numpy kind `f` -> float32, `i` -> int64, anything else is rejected; torch floating
dtypes (incl. bfloat16) -> float32, every other torch dtype -> int64.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import numpy.typing as npt

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._generated import RecordsGeneratedClass
from tinker_ext._types._kind import Bad, Kind

if TYPE_CHECKING:
    import torch

__all__ = ["TensorDataBehaviour", "Values"]

TensorDtype = Literal["int64", "float32"]


class TensorDataWithoutData(InvalidInputError, TypeError):
    """A shape without data: what `dataclasses.replace(tensor_data, shape=...)` builds. A TypeError as
    0.38's refusal of that call, and an InvalidInputError as our other input errors."""


class Values(Kind):
    """`data` of a TensorData answer: a list (or array) handed to the constructor, which converts it with
    numpy in one pass and refuses what is not a rectangular numeric array."""

    __slots__ = ()
    label = "a list of numbers"
    plain = True

    def check(self, value: Any) -> Any:
        if not isinstance(value, list | tuple | np.ndarray):
            raise Bad(self.label, value)
        return value


_NUMPY_DTYPES: dict[str, type[np.generic]] = {"int64": np.int64, "float32": np.float32}


def _numpy_dtype(dtype: str) -> type[np.generic]:
    try:
        return _NUMPY_DTYPES[dtype]
    except (KeyError, TypeError):
        raise InvalidInputError(f"unsupported TensorData dtype {dtype!r}; use 'int64' or 'float32'") from None


def _tensor_dtype_of_numpy(dtype: np.dtype[Any]) -> TensorDtype:
    if dtype.kind == "f":
        return "float32"
    if dtype.kind == "i":
        return "int64"
    raise InvalidInputError(
        f"unsupported numpy dtype {dtype} for TensorData (need a float or signed int dtype)"
    )


def _check_pad_value(pad_value: Any) -> int:
    if isinstance(pad_value, bool) or not isinstance(pad_value, int | np.integer):
        raise InvalidInputError(f"pad_value must be an int, got {type(pad_value).__name__}")
    return int(pad_value)


def _int_list(value: Any, name: str) -> list[int] | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return [int(v) for v in value.tolist()]
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        raise InvalidInputError(f"TensorData.{name} must be a list of ints") from None


def _check_csr_bounds(crow: list[int], col: list[int], columns: int) -> None:
    """Row pointers from 0, non-decreasing; column indices in [0, columns): else densifying would index
    out of the shape (a bare IndexError in to_numpy())."""
    if crow[0] != 0 or any(b < a for a, b in itertools.pairwise(crow)):
        raise InvalidInputError("sparse_crow_indices must start at 0 and never decrease")
    if col and (min(col) < 0 or max(col) >= columns):
        bad = min(col) if min(col) < 0 else max(col)
        raise InvalidInputError(
            f"sparse_col_indices must be in [0, {columns}) (the shape's columns), got {bad}"
        )


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as exc:  # torch is an optional extra
        raise ImportError("PyTorch is not installed; `pip install tinker-ext[torch]`") from exc
    return torch


class TensorDataBehaviour(RecordsGeneratedClass):
    """An int64/float32 tensor. Construct with `TensorData(data=..., dtype=..., shape=...)` or the
    `from_numpy` / `from_torch` / `from_torch_sparse` constructors."""

    __slots__ = ()
    dtype: TensorDtype
    shape: list[int] | None
    sparse_crow_indices: list[int] | None
    sparse_col_indices: list[int] | None
    _array: npt.NDArray[Any]

    def __init__(
        self,
        data: Sequence[int] | Sequence[float] | npt.NDArray[Any] | None = None,
        dtype: TensorDtype | None = None,
        shape: Sequence[int] | None = None,
        sparse_crow_indices: Sequence[int] | None = None,
        sparse_col_indices: Sequence[int] | None = None,
    ) -> None:
        if dtype is None:
            raise InvalidInputError("TensorData requires a dtype ('int64' or 'float32')")
        np_dtype = _numpy_dtype(dtype)
        if isinstance(data, np.ndarray):
            if data.dtype.kind not in "iufb":
                raise InvalidInputError(f"TensorData data has non-numeric numpy dtype {data.dtype}")
            array = data.astype(np_dtype, copy=False)
        elif data is None:
            array = np.empty(0, dtype=np_dtype)
        else:
            try:
                array = np.asarray(data, dtype=np_dtype)
            except (TypeError, ValueError) as exc:
                raise InvalidInputError(
                    f"TensorData data is not a rectangular numeric array: {exc}"
                ) from None
        if not array.flags.writeable:
            array = array.copy()  # torch.from_numpy warns on read-only buffers
        shape_list = _int_list(shape, "shape")
        crow = _int_list(sparse_crow_indices, "sparse_crow_indices")
        col = _int_list(sparse_col_indices, "sparse_col_indices")
        if (crow is None) != (col is None):
            raise InvalidInputError("sparse_crow_indices and sparse_col_indices must be given together")
        if shape_list is not None and any(d < 0 for d in shape_list):
            raise InvalidInputError(f"TensorData shape has a negative dimension: {shape_list}")
        if crow is not None and col is not None:
            array = array.reshape(-1)
            if shape_list is None or len(shape_list) != 2:
                raise InvalidInputError("a sparse CSR TensorData needs a 2-D shape")
            if len(crow) != shape_list[0] + 1 or len(col) != array.size or crow[-1] != array.size:
                raise InvalidInputError("sparse CSR indices do not match the shape and the number of values")
            _check_csr_bounds(crow, col, shape_list[1])
        elif shape_list is not None:
            if data is None and math.prod(shape_list) != 0:
                raise TensorDataWithoutData(
                    f"TensorData(dtype=..., shape={shape_list}) has no data: dataclasses.replace cannot carry "
                    "TensorData's values (not a dataclass field; 0.38 raises TypeError here too). Build a new "
                    "one: TensorData(data=td.data, dtype=td.dtype, shape=...)"
                )
            if math.prod(shape_list) != array.size:
                raise InvalidInputError(
                    f"TensorData shape {shape_list} needs {math.prod(shape_list)} elements, data has {array.size}"
                )
            if list(array.shape) != shape_list:
                array = array.reshape(shape_list)
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "shape", shape_list)
        object.__setattr__(self, "sparse_crow_indices", crow)
        object.__setattr__(self, "sparse_col_indices", col)
        object.__setattr__(self, "_array", array)

    # ----- constructors -----

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Self:
        """From the checked wire values of `from_wire`: the constructor's checks and conversion (one pass:
        the `data` kind leaves the list to numpy)."""
        return cls(**values)

    @classmethod
    def _decoded(cls, array: npt.NDArray[Any], dtype: TensorDtype, shape: list[int]) -> Self:
        """A dense tensor from a decoder that already produced a writable array of `dtype`'s numpy type
        with `shape` elements (the protobuf result path): skips the checks of `__init__`."""
        tensor = cls.__new__(cls)
        state = tensor.__dict__  # frozen: fill the instance dict directly (no per-field __setattr__)
        state["dtype"] = dtype
        state["shape"] = shape
        state["sparse_crow_indices"] = None
        state["sparse_col_indices"] = None
        state["_array"] = array.reshape(shape)
        return tensor

    @classmethod
    def _decoded_rows(cls, values: npt.NDArray[Any], dtype: TensorDtype, bounds: list[int]) -> list[Self]:
        """`_decoded` for each run of rows `values[bounds[i]:bounds[i + 1]]` (views, no copy): the batched
        protobuf result path, one tensor per datum."""
        new, set_state = cls.__new__, object.__setattr__
        tensors = []
        for start, stop in itertools.pairwise(bounds):
            view = values[start:stop]
            tensor = new(cls)
            set_state(
                tensor,
                "__dict__",
                {
                    "dtype": dtype,
                    "shape": list(view.shape),
                    "sparse_crow_indices": None,
                    "sparse_col_indices": None,
                    "_array": view,
                },
            )
            tensors.append(tensor)
        return tensors

    @classmethod
    def from_numpy(cls, array: npt.NDArray[Any]) -> Self:
        array = np.asarray(array)
        return cls(data=array, dtype=_tensor_dtype_of_numpy(array.dtype), shape=list(array.shape))

    @classmethod
    def from_torch(cls, tensor: torch.Tensor) -> Self:
        torch_module = _import_torch()
        tensor = tensor.detach()
        if tensor.is_sparse or tensor.layout != torch_module.strided:
            tensor = tensor.to_dense()
        if tensor.dtype.is_floating_point:
            array = tensor.to(device="cpu", dtype=torch_module.float32).contiguous().numpy()
            dtype: TensorDtype = "float32"
        else:
            array = tensor.to(device="cpu", dtype=torch_module.int64).contiguous().numpy()
            dtype = "int64"
        return cls(data=array, dtype=dtype, shape=list(array.shape))

    @classmethod
    def from_torch_sparse(cls, tensor: torch.Tensor, pad_value: int = 0) -> Self:
        """CSR-encode a 2-D tensor when that is smaller than dense: entries equal to `pad_value`
        are left out. 1-D tensors and dense-ish tensors stay dense."""
        pad = _check_pad_value(pad_value)
        dense = cls.from_torch(tensor)
        array = dense._array
        if array.ndim != 2:
            return dense
        nrows, ncols = array.shape
        mask = array != pad
        nnz = int(np.count_nonzero(mask))
        if (nrows + 1) + 2 * nnz >= nrows * ncols:
            return dense
        rows, cols = np.nonzero(mask)
        crow = np.zeros(nrows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=nrows), out=crow[1:])
        return cls(
            data=array[rows, cols],
            dtype=dense.dtype,
            shape=[nrows, ncols],
            sparse_crow_indices=crow.tolist(),
            sparse_col_indices=cols.tolist(),
        )

    # ----- views -----

    @property
    def is_sparse(self) -> bool:
        return self.sparse_crow_indices is not None

    @property
    def data(self) -> list[int] | list[float]:
        """Flattened values (for a sparse tensor: only the stored values)."""
        values: list[int] | list[float] = self._array.reshape(-1).tolist()
        return values

    @property
    def size(self) -> int:
        """Number of stored values (what the wire carries in `data`)."""
        return int(self._array.size)

    def to_numpy(self, pad_value: int = 0) -> npt.NDArray[Any]:
        """The tensor as a numpy array (shape applied; sparse densified with `pad_value`)."""
        if self.sparse_crow_indices is None:
            return self._array
        pad = _check_pad_value(pad_value)
        assert self.shape is not None and self.sparse_col_indices is not None
        nrows, ncols = self.shape
        dense = np.full((nrows, ncols), pad, dtype=self._array.dtype)
        crow = np.asarray(self.sparse_crow_indices, dtype=np.int64)
        rows = np.repeat(np.arange(nrows), np.diff(crow))
        dense[rows, np.asarray(self.sparse_col_indices, dtype=np.int64)] = self._array
        return dense

    def to_torch(self, pad_value: int = 0) -> torch.Tensor:
        tensor: torch.Tensor = _import_torch().from_numpy(self.to_numpy(pad_value))
        return tensor

    def tolist(self, pad_value: int = 0) -> list[Any]:
        values: list[Any] = self.to_numpy(pad_value).tolist()
        return values

    # ----- wire -----

    def to_json(self) -> dict[str, Any]:
        return self._body(self.data)

    def _request_json(self) -> dict[str, Any]:
        """`to_json()` for a request body serialised by orjson with OPT_SERIALIZE_NUMPY (the JSON
        forward_backward path): `data` stays a flat numpy array, written by orjson in C (~3x faster than
        via Python lists). float32 is widened to float64 first, so the text is byte-identical to that of
        `to_json()` (the float32 value's exact double, as `tolist()` gives it); NaN/inf must have been
        refused before (orjson writes them as null)."""
        flat = self._array.reshape(-1)
        return self._body(flat.astype(np.float64) if flat.dtype.kind == "f" else flat)

    def _body(self, data: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"data": data, "dtype": self.dtype}
        if self.shape is not None:
            body["shape"] = self.shape
        if self.sparse_crow_indices is not None:
            body["sparse_crow_indices"] = self.sparse_crow_indices
        if self.sparse_col_indices is not None:
            body["sparse_col_indices"] = self.sparse_col_indices
        return body

    # Equality and hash are by identity, as 0.38's TensorData (the spec asks for a dataclass with eq=False):
    # compare `tolist()` / numpy arrays for values.

    def __repr__(self) -> str:
        return f"TensorData(dtype={self.dtype!r}, shape={self.shape!r}, data={self._array.reshape(-1).tolist()[:8]!r}{'...' if self._array.size > 8 else ''})"
