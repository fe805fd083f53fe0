"""The warnings of :mod:`cxreval` (cxrzoo warns with the same class)."""

from __future__ import annotations

__all__ = ["UndefinedStatisticWarning"]


class UndefinedStatisticWarning(UserWarning):
    """A statistic is undefined (a ratio over zero) and was set to NaN or ``zero_division``."""
