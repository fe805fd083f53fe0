"""Gradual pruning: the polynomial sparsity schedule (followed by ``UpdatePruning``)."""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass

from cxreval._checks import check_fraction

__all__ = ["PolynomialDecay"]


@dataclass(frozen=True)
class PolynomialDecay:
    """Sparsity rising from ``initial_sparsity`` to ``final_sparsity`` along a polynomial.

    The schedule of Zhu & Gupta (2017), as in TensorFlow Model Optimization's
    ``PolynomialDecay``: at training step ``t`` between ``begin_step`` and ``end_step``,

    .. math::

        s(t) = s_f + (s_i - s_f) \\left(1 - \\frac{t - t_0}{t_1 - t_0}\\right)^{p}

    so pruning is fast at first and slows down as the network has fewer weights left. The
    masks are updated every ``frequency`` steps, and at ``end_step``.

    Parameters
    ----------
    initial_sparsity, final_sparsity : float in [0, 1)
        Sparsity at ``begin_step`` and from ``end_step`` on (``final >= initial``).
    begin_step, end_step : int
        Training steps (optimizer iterations) where pruning starts and ends.
    power : float, default 3
        Exponent of the polynomial.
    frequency : int, default 100
        Steps between two mask updates.

    Examples
    --------
    >>> from cxrzoo.pruning import PolynomialDecay
    >>> schedule = PolynomialDecay(0.0, 0.8, begin_step=0, end_step=100, frequency=50)
    >>> [round(schedule.sparsity(t), 4) for t in (0, 50, 100, 200)]
    [0.0, 0.7, 0.8, 0.8]
    >>> [schedule.next_due(t) for t in (0, 25, 50, 100)]
    [50, 50, 100, None]
    """

    initial_sparsity: float
    final_sparsity: float
    begin_step: int
    end_step: int
    power: float = 3.0
    frequency: int = 100

    def __post_init__(self):
        check_fraction(self.initial_sparsity, "initial_sparsity")
        check_fraction(self.final_sparsity, "final_sparsity")
        if self.final_sparsity < self.initial_sparsity:
            raise ValueError(
                f"final_sparsity ({self.final_sparsity}) must be at least initial_sparsity "
                f"({self.initial_sparsity})"
            )
        for name in ("begin_step", "end_step", "frequency"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if self.begin_step < 0 or self.end_step <= self.begin_step:
            raise ValueError(
                f"need 0 <= begin_step < end_step, got begin_step={self.begin_step}, "
                f"end_step={self.end_step}"
            )
        if self.frequency < 1:
            raise ValueError(f"frequency must be at least 1, got {self.frequency}")
        if not isinstance(self.power, numbers.Real) or not self.power > 0:
            raise ValueError(f"power must be a positive number, got {self.power!r}")

    def sparsity(self, step: int) -> float:
        """Target sparsity at training step ``step``."""
        span = self.end_step - self.begin_step
        progress = min(1.0, max(0.0, (step - self.begin_step) / span))
        return self.final_sparsity + (self.initial_sparsity - self.final_sparsity) * (
            1.0 - progress
        ) ** float(self.power)

    def next_due(self, after: int) -> int | None:
        """The first step after ``after`` where the masks are due for an update (None: none).

        Updates fall at ``begin_step``, every ``frequency`` steps after it, and at
        ``end_step``.
        """
        if after < self.begin_step:
            return self.begin_step
        if after >= self.end_step:
            return None
        passed = (after - self.begin_step) // self.frequency + 1
        return min(self.begin_step + passed * self.frequency, self.end_step)

    def to_dict(self) -> dict:
        """The schedule's parameters."""
        return asdict(self)
