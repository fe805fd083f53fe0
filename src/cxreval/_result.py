"""The result protocol, once: every public result of :mod:`cxreval` is a :class:`Result`.

A result is a small frozen dataclass that

* ``to_dict()``: turns itself into plain Python data (by default every field, through
  :func:`cxreval._plain.to_plain`; JSON-ready with ``to_plain(..., json_safe=True)``);
* ``table()``: says itself as a text table (tabulate), and ``str()`` is that table unless
  the class has a shorter one-line summary;
* ``plot(ax=None, **options)``: draws itself with the :mod:`cxreval.plotting` function
  named by its ``plotter`` and returns the matplotlib Axes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cxreval import plotting
from cxreval._plain import to_plain

__all__ = ["Result"]


class Result:
    """Mixin of the result protocol: ``to_dict``, ``table``, ``__str__`` and ``plot``."""

    #: Name of the :mod:`cxreval.plotting` function that draws this result.
    plotter: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of every field (nested results as their dictionaries)."""
        return to_plain(vars(self))

    def table(self) -> str:
        """The result as a text table."""
        raise NotImplementedError(f"{type(self).__name__} does not define table()")

    def __str__(self) -> str:
        return self.table()

    def plot(self, ax: Any = None, **options: Any) -> Any:
        """Draw the result on ``ax`` (a new figure when None) and return the Axes.

        ``options`` go to the drawing function of :mod:`cxreval.plotting` named by
        ``plotter`` (e.g. ``label=`` for a curve).
        """
        return getattr(plotting, self.plotter)(self, ax=ax, **options)
