"""`TokenArray`: token ids held as a read-only 1-D integer numpy array (`ModelInput.from_numpy`), so a large
batch does not become Python int objects (~36 bytes per token instead of the array's 4 or 8)."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["TokenArray"]

TokenArray: TypeAlias = npt.NDArray[np.integer[Any]]
