"""Argument checks shared by cxrzoo's presets, recipes, training and workers.

Light on purpose (no NumPy, no cxreval import): the recipe and preset dataclasses use
these at import time of ``cxrzoo``, which must stay fast. Checks on arrays and random
states come from :mod:`cxreval._checks` (the pruning modules use those).

Each check raises :class:`ValueError` with the message the calling function has always
given: the argument's name, what was expected (``expected``) and the value received.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_choice", "check_int", "check_positive", "is_int", "is_number"]


def is_int(value: Any) -> bool:
    """Whether ``value`` is an int (a bool is not).

    Examples
    --------
    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (a bool is not).

    Examples
    --------
    >>> is_number(0.5), is_number(False)
    (True, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_choice(value: Any, name: str, choices: tuple) -> None:
    """Raise ValueError unless ``value`` is one of ``choices`` (which may hold None).

    Examples
    --------
    >>> check_choice("max", "pooling", ("avg", "max"))
    >>> check_choice("sum", "pooling", ("avg", "max"))
    Traceback (most recent call last):
    ValueError: pooling must be one of ('avg', 'max'), got 'sum'
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices!r}, got {value!r}")


def check_positive(value: Any, name: str) -> None:
    """Raise ValueError unless ``value`` is a number > 0 (a bool is not).

    Examples
    --------
    >>> check_positive(0, "learning_rate")
    Traceback (most recent call last):
    ValueError: learning_rate must be a positive number, got 0
    """
    if not is_number(value) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def check_int(
    value: Any, name: str, minimum: int = 1, *, expected: str | None = None, optional: bool = False
) -> None:
    """Raise ValueError unless ``value`` is an int (not a bool) >= ``minimum``.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        Its name, as the caller spells it.
    minimum : int
        The smallest value allowed.
    expected : str, optional
        What the message says was expected; default ``"an int >= {minimum}"``.
    optional : bool
        Let None pass.

    Examples
    --------
    >>> check_int(2, "cv_folds", 2)
    >>> check_int(True, "epochs")
    Traceback (most recent call last):
    ValueError: epochs must be an int >= 1, got True
    >>> check_int(0, "jobs", expected="a positive integer")
    Traceback (most recent call last):
    ValueError: jobs must be a positive integer, got 0
    """
    if value is None and optional:
        return
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be {expected or f'an int >= {minimum}'}, got {value!r}")
