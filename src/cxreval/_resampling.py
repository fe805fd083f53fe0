"""The one resampling engine: strata, chunked draws, counts, and the vectorized AUC and
ROC rates on resampled counts.

Resamples are drawn in chunks of at most :data:`CHUNK_ELEMENTS` resampled values, so memory
stays O(n + B): a dense B x n matrix of indices is never built for large n (and a chunk
stays small enough for the CPU cache). The chunk size depends only on n and B, so a seed
gives the same numbers whatever the caller does with them. :func:`cxreval.bootstrap` reads
the draws as case indices; the vectorized statistics (:class:`WeightedAUC`,
:class:`WeightedRates`, the statmaker bootstrap) read the same draws as *counts* per case
(:func:`counts`), so the vectorized and the looped paths see identical resamples.

The AUC of a chunk of resamples: the negatives' case counts, their cumulative sum, and one
gather at the drawn positives give the AUC of every resample -- no Python loop per
resample, memory O(n + B).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from cxreval._checks import check_array_1d, check_consistent_length, check_random_state

__all__ = [
    "CHUNK_ELEMENTS",
    "Resamples",
    "WeightedAUC",
    "WeightedRates",
    "chunk_size",
    "count_chunks",
    "counts",
    "draw_chunks",
    "score_strata",
    "seeded_generator",
    "stratum_indices",
]

#: Resampled values held in memory at once (per chunk of resamples): a chunk's int64
#: arrays (draws, counts, cumulative counts) take at most 1 MiB each and stay in the L2
#: cache, where the vectorized AUC's random gathers are fast (2**19 ran ~1.7x slower).
CHUNK_ELEMENTS = 1 << 17


def seeded_generator(random_state: Any) -> tuple[np.random.Generator, int | None]:
    """A Generator and the seed that reproduces it (a fresh recorded seed for None)."""
    if random_state is None:
        random_state = int(np.random.SeedSequence().entropy)
    rng = check_random_state(random_state)
    seed = int(random_state) if isinstance(random_state, numbers.Integral) else None
    return rng, seed


def stratum_indices(labels: Any, n: int, name: str = "strata") -> list[np.ndarray]:
    """Case indices of each stratum, strata in sorted label order (all cases when None)."""
    if labels is None:
        return [np.arange(n)]
    labels = check_array_1d(labels, name)
    check_consistent_length(arrays=np.empty(n), **{name: labels})
    _, codes = np.unique(labels, return_inverse=True)
    return [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]


def chunk_size(n: int, n_boot: int) -> int:
    """Resamples per chunk: a function of n and B only, so seeds reproduce exactly."""
    return max(1, min(n_boot, CHUNK_ELEMENTS // max(n, 1)))


def draw_chunks(sizes: Sequence[int], n_boot: int, rng: np.random.Generator) -> Iterator[list]:
    """Positions drawn with replacement within each stratum: per chunk, one (b, n_s) array."""
    chunk = chunk_size(sum(sizes), n_boot)
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        yield [rng.integers(0, size, size=(b, size), dtype=np.intp) for size in sizes]


def count_chunks(sizes: Sequence[int], n_boot: int, rng: np.random.Generator) -> Iterator:
    """The draws of :func:`draw_chunks` as counts: per chunk and stratum a (b, n_s) array
    of how often each case of the stratum was drawn."""
    for draws in draw_chunks(sizes, n_boot, rng):
        yield [counts(d) for d in draws]


def counts(draws: np.ndarray) -> np.ndarray:
    """(b, size) positions drawn in one stratum -> (b, size) counts per case (draws kept)."""
    b, size = draws.shape
    flat = draws if b == 1 else draws + (np.arange(b) * size)[:, None]  # row r -> r*size...
    return np.bincount(flat.ravel(), minlength=b * size).reshape(b, size)


def score_strata(labels: Any, score: np.ndarray, stratified: bool) -> list[np.ndarray]:
    """The resampling strata (one per label, or all cases), each ordered by score.

    The order inside a stratum only fixes which case a drawn position stands for; taking
    it by score lets the vectorized AUC read the resampled counts already sorted. On data
    already sorted by score these are exactly the strata of :func:`cxreval.bootstrap`.
    """
    strata = stratum_indices(np.asarray(labels).ravel() if stratified else None, len(score))
    return [s[np.argsort(score[s], kind="stable")] for s in strata]


class Resamples:
    """One chunk of resamples, given per stratum as the drawn positions ``draws[k]``
    (b, n_k), and read as case counts: a whole stratum, or columns of the (b, n) count
    matrix in the strata's concatenated case order -- each counted only when asked for."""

    def __init__(self, draws: list[np.ndarray]):
        self.draws = draws
        self._strata: dict[int, np.ndarray] = {}
        self._full: np.ndarray | None = None

    def take(self, selection: int | np.ndarray) -> np.ndarray:
        """A whole stratum (an int) or arbitrary columns (an index array)."""
        if isinstance(selection, int):
            if selection not in self._strata:
                self._strata[selection] = counts(self.draws[selection])
            return self._strata[selection]
        if self._full is None:
            self._full = np.hstack([self.take(k) for k in range(len(self.draws))])
        return self._full[:, selection]


def selection(cols: np.ndarray, strata: list[np.ndarray]) -> int | np.ndarray:
    """``k`` when ``cols`` (columns in the concatenated order) are exactly stratum k in
    order, else ``cols``."""
    start = 0
    for k, stratum in enumerate(strata):
        same_size = len(cols) == len(stratum) and len(cols) > 0
        if same_size and np.array_equal(cols, np.arange(start, start + len(stratum))):
            return k
        start += len(stratum)
    return cols


class WeightedAUC:
    """AUC of one score vector for a chunk of resamples (a :class:`Resamples`).

    With the negatives' columns sorted by score, ``cum[k]`` = resampled negatives among
    the k lowest; a positive whose score has ``lo`` negatives strictly below and ``hi`` at
    or below it beats ``(cum[lo] + cum[hi]) / 2`` of them. AUC = sum over resampled
    positives of beaten, over (resampled positives x resampled negatives): summed straight
    over the drawn positions when the positives are one stratum, else as count x beaten.
    Cases outside ``include`` (a mask) take no part -- for pairwise (one-vs-one) AUCs.
    """

    def __init__(
        self,
        score: np.ndarray,
        is_pos: np.ndarray,
        strata: list[np.ndarray],
        include: np.ndarray | None = None,
    ):
        order = np.concatenate(strata)
        s, p = score[order], is_pos[order]
        inc = np.ones(len(order), bool) if include is None else include[order]
        pos = np.flatnonzero(p & inc)
        neg = np.flatnonzero(~p & inc)
        neg = neg[np.argsort(s[neg], kind="stable")]
        self.pos_sel = selection(pos, strata)
        self.neg_sel = selection(neg, strata)
        self.lo = np.searchsorted(s[neg], s[pos], side="left")
        self.hi = np.searchsorted(s[neg], s[pos], side="right")
        self.ties = bool(np.any(self.lo != self.hi))

    def __call__(self, resamples: Resamples) -> np.ndarray:
        neg = resamples.take(self.neg_sel)
        b, n0 = neg.shape
        cum = np.empty((b, n0 + 1), dtype=np.int64)
        cum[:, 0] = 0
        np.cumsum(neg, axis=1, out=cum[:, 1:])
        if isinstance(self.pos_sel, int):
            # positives are one whole stratum: read cum at each drawn positive directly
            # (no counting pass over the positives); n_pos is the stratum's size
            drawn = resamples.draws[self.pos_sel]
            num = self._beaten_sum(cum, np.take(self.lo, drawn))
            if self.ties:
                num = (num + self._beaten_sum(cum, np.take(self.hi, drawn))) / 2.0
            n_pos = drawn.shape[1]
        else:
            pos = resamples.take(self.pos_sel)
            lo, hi = self._flat_positions(b, n0)
            beaten = np.take(cum, lo)
            if self.ties:
                beaten = (beaten + np.take(cum, hi)) / 2.0
            num = np.einsum("ij,ij->i", pos, beaten)
            n_pos = pos.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / (np.asarray(n_pos, dtype=float) * cum[:, -1])

    @staticmethod
    def _beaten_sum(cum: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Per row r, the sum of ``cum[r, at[r]]`` (``at`` is changed in place)."""
        b, width = cum.shape
        if b > 1:
            at += (np.arange(b) * width)[:, None]
        return np.take(cum, at).sum(axis=1)

    def _flat_positions(self, b: int, n0: int) -> tuple[np.ndarray, np.ndarray]:
        """``lo``/``hi`` as flat indices into a (b, n0 + 1) array, kept for the chunk size."""
        if getattr(self, "_flat_b", None) != b:
            offsets = (np.arange(b) * (n0 + 1))[:, None]
            self._flat = (self.lo + offsets, self.hi + offsets)
            self._flat_b = b
        return self._flat


class WeightedRates:
    """Cumulative (fp, tp) counts at each distinct threshold for count-weighted resamples."""

    def __init__(self, score: np.ndarray, is_pos: np.ndarray, case_order: np.ndarray):
        s, p = score[case_order], is_pos[case_order]
        self.desc = np.argsort(s, kind="stable")[::-1]
        sd = s[self.desc]
        self.pos = p[self.desc]
        self.last = np.r_[np.flatnonzero(np.diff(sd)), len(sd) - 1]

    def __call__(self, counts: np.ndarray):
        c = counts[:, self.desc]
        tp = np.cumsum(c * self.pos, axis=1)[:, self.last]
        fp = np.cumsum(c * ~self.pos, axis=1)[:, self.last]
        zero = np.zeros((len(c), 1))
        return np.hstack((zero, fp)), np.hstack((zero, tp))
