"""Shared drawing helper; matplotlib is imported only when something is drawn."""

from __future__ import annotations

from typing import Any

__all__ = ["get_axes"]


def get_axes(ax: Any = None) -> Any:
    """Return ``ax``, or the Axes of a new figure when ``ax`` is None.

    Importing :mod:`cxreval` never imports :mod:`matplotlib.pyplot`; this function does,
    the first time a result is drawn without an Axes.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=(6, 4.5))
    return new_ax
