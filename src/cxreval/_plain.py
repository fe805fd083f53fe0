"""The one conversion of results to plain Python data (what every ``to_dict`` returns)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["to_plain"]


def to_plain(value: Any, *, json_safe: bool = False) -> Any:
    """Plain Python data: numpy to Python, tuples to lists, results to dictionaries.

    Recursively turns numpy arrays into (nested) lists, numpy scalars into Python
    scalars, tuples into lists, objects with a ``to_dict()`` method into their dictionary
    (even when they are also mappings, as the statistics results are) and other
    mappings into dicts. Anything else is returned unchanged.

    Parameters
    ----------
    value : object
        The data to convert.
    json_safe : bool, default False
        Also make the output strict JSON (``json.dumps(..., allow_nan=False)``):
        mapping keys become strings, NaN and infinities become None, and any other
        object that is not None, bool, int, float or str becomes its ``str()``.

    Returns
    -------
    object
        Nested dicts, lists and Python scalars.

    Examples
    --------
    >>> import numpy as np
    >>> to_plain({"auc": np.float64(0.75), "ci": (np.float32(0.5), 1.0), "n": np.int64(3)})
    {'auc': 0.75, 'ci': [0.5, 1.0], 'n': 3}
    >>> to_plain({1: [np.nan, np.inf], "cm": np.eye(2, dtype=int)}, json_safe=True)
    {'1': [None, None], 'cm': [[1, 0], [0, 1]]}
    """
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biu" or (value.dtype.kind == "f" and not json_safe):
            return value.tolist()
        return to_plain(value.tolist(), json_safe=json_safe)
    if isinstance(value, np.generic):
        value = value.item()
    if callable(getattr(value, "to_dict", None)) and not isinstance(value, type):
        return to_plain(value.to_dict(), json_safe=json_safe)
    if isinstance(value, Mapping):
        return {_key(k, json_safe): to_plain(v, json_safe=json_safe) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v, json_safe=json_safe) for v in value]
    if not json_safe or value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _key(key: Any, json_safe: bool) -> Any:
    """A mapping key: a string in JSON-safe mode, else a numpy scalar made a Python one."""
    if json_safe:
        return str(key)
    return key.item() if isinstance(key, np.generic) else key
