"""The one resampling engine: strata, chunked draws, counts, and the vectorized AUC and
ROC rates on resampled counts.

One job: drawing resamples and reading statistics off their counts, with both engines
(long because the compiled kernels and their numpy twins live side by side).

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

Two engines compute the same numbers from the same seed (:data:`ENGINE`):

* ``"numba"`` (when the optional ``numba`` package is installed and the work is large
  enough to repay loading it, :func:`use_compiled`): one compiled pass draws each
  stratum's positions -- numba's ``Generator.integers`` consumes the bit generator exactly
  as numpy's does, in pieces of :data:`PIECE` that stay in the L1 cache -- and adds them
  into a (b, n) matrix of 16-bit counts; a second pass reads the AUC of each resample off
  the counts (a merge of the positives and negatives in score order when both are sorted).
  No index array is ever stored, so the cost per resampled value is the draw plus one
  increment in a cache-resident array, at every n.
* ``"numpy"``: the draws as index arrays, counted with :func:`numpy.bincount`.

The engine is written for *units* and *weights*: a kernel reads the count of the resampled
unit each row belongs to (``neg_units`` / ``pos_units`` of :func:`auc_of_counts`). A row
is its own unit in the case bootstrap; a patient's rows share the patient's unit in a
cluster bootstrap (draw counts per cluster with the same :func:`count_chunks`, read them
through the rows' cluster index); several score columns (findings) read the *same*
counts, one :class:`WeightedAUC` each, for a joint multi-label bootstrap; and the
multinomial resampling of tied scores (:func:`tie_patterns`, :func:`multinomial_chunks`)
is the same kernel on distinct scores weighted by their multinomial counts.
"""

from __future__ import annotations

import importlib.util
import itertools
import numbers
import os
from collections.abc import Iterator, Sequence
from functools import cache
from types import SimpleNamespace
from typing import Any

import numpy as np

from cxreval._checks import (
    check_array_1d,
    check_consistent_length,
    check_random_state,
    distinct_integers,
)

__all__ = [
    "CHUNK_ELEMENTS",
    "ENGINE",
    "FIRST_COMPILED_VALUES",
    "MIN_COMPILED_VALUES",
    "PIECE",
    "RESAMPLINGS",
    "Resamples",
    "WeightedAUC",
    "WeightedRates",
    "auc_of_counts",
    "chunk_size",
    "cluster_jackknife_counts",
    "cluster_units",
    "compiled_kernels",
    "consecutive_strata",
    "count_chunks",
    "counts",
    "draw_chunks",
    "multinomial_chunks",
    "resample_chunks",
    "score_strata",
    "seeded_generator",
    "stable_order",
    "stratum_indices",
    "tie_patterns",
    "unit_run",
    "use_compiled",
]

#: Resampled values held in memory at once (per chunk of resamples): a chunk's int64
#: arrays (draws, counts, cumulative counts) take at most 1 MiB each and stay in the L2
#: cache, where the vectorized AUC's random gathers are fast (2**19 ran ~1.7x slower).
CHUNK_ELEMENTS = 1 << 17

#: Positions drawn per call of the compiled kernel (32 KiB of int64: stays in L1/L2).
PIECE = 1 << 12

#: Which engine computes counts and AUCs: ``"auto"`` (numba when installed and the work
#: is at least :data:`MIN_COMPILED_VALUES` resampled values, else numpy), ``"numba"`` or
#: ``"numpy"``. Both give the same numbers for a seed. Set from the environment variable
#: ``CXREVAL_ENGINE`` at import; tests switch it by assignment.
ENGINE = os.environ.get("CXREVAL_ENGINE", "auto")

#: Under this many resampled values (B x n) "auto" stays with numpy.
MIN_COMPILED_VALUES = 1 << 23

#: ... and it loads numba in a process only for a bootstrap of at least this many values:
#: importing numba and loading the cached kernels costs about 0.8 s once per process (3 s
#: the very first time, when they are compiled and cached), which the compiled engine
#: repays from about 10^8 values (e.g. n = 10^5, B = 2000). Once loaded, it serves every
#: bootstrap of at least :data:`MIN_COMPILED_VALUES`.
FIRST_COMPILED_VALUES = 1 << 27

#: How a bootstrap resamples (``resampling=``): ``"cases"`` draws case indices (every
#: statistic; the default), ``"multinomial"`` draws each stratum's counts over its distinct
#: scores (same distribution, far faster with ties), ``"auto"`` takes ``"multinomial"`` when
#: the distinct scores are at most a sixteenth of the cases.
RESAMPLINGS = ("cases", "multinomial", "auto")


def use_compiled(values: int, load: bool = True) -> bool:
    """Whether the compiled engine runs for ``values`` resampled values (see :data:`ENGINE`);
    with ``load=False`` "auto" uses it only when the kernels are loaded already."""
    if ENGINE == "numpy":
        return False
    if ENGINE == "numba":
        return True
    if values < MIN_COMPILED_VALUES:
        return False
    if compiled_kernels.cache_info().currsize:  # already loaded in this process
        return True
    return (
        load and values >= FIRST_COMPILED_VALUES and importlib.util.find_spec("numba") is not None
    )


@cache
def compiled_kernels() -> Any:
    """The numba kernels, compiled (or loaded from numba's disk cache) on first use."""
    import numba

    jit = numba.njit(cache=True, nogil=True, error_model="numpy", boundscheck=False)

    @jit
    def add(row, drawn):  # pragma: no cover - compiled
        for i in range(len(drawn)):
            row[np.uint64(drawn[i])] += 1

    @jit
    def draw_counts(rng, sizes, b, out):  # pragma: no cover - compiled
        """Add b resamples of each stratum (in stream order: stratum by stratum, resample
        by resample, as numpy's ``integers(0, size, (b, size))``) into ``out`` (b, n);
        False when a narrow count wrapped (some row of a stratum does not sum to its
        size -- possible only for a stratum larger than the dtype's maximum)."""
        ok = True
        off = 0
        top = np.iinfo(out.dtype).max
        for s in range(len(sizes)):
            size = sizes[s]
            for r in range(b):
                row = out[r, off : off + size]
                done = 0
                while done < size:
                    m = min(PIECE, size - done)
                    if size <= 0xFFFFFFFF:  # the same stream as int64 draws, written narrower
                        add(row, rng.integers(0, size, m, dtype=np.uint32))
                    else:
                        add(row, rng.integers(0, size, m))
                    done += m
                if size > top:
                    total = 0
                    for i in range(size):
                        total += row[i]
                    ok = ok and total == size
            off += size
        return ok

    @jit
    def auc_rows(counts, neg, pos, lo, hi, ties, cum, out):  # pragma: no cover - compiled
        """AUC of each row of ``counts`` -- see :func:`auc_of_counts`. ``neg`` / ``pos``
        are the units of the rows in score order, or ``[-1 - start, size]`` for a run of
        ``size`` units from ``start`` (a whole stratum: read straight, no gather); ``cum``
        (n0 + 1,) is scratch."""
        neg_at = -1 - neg[0] if neg[0] < 0 else -1
        pos_at = -1 - pos[0] if pos[0] < 0 else -1
        n0 = neg[1] if neg_at >= 0 else len(neg)
        n1 = len(lo)
        for r in range(counts.shape[0]):
            row = counts[r]
            c = 0
            cum[0] = 0
            if neg_at >= 0:
                for k in range(n0):
                    c += row[neg_at + k]
                    cum[k + 1] = c
            else:
                for k in range(n0):
                    c += row[np.uint64(neg[k])]
                    cum[k + 1] = c
            num = 0
            n_pos = 0
            for j in range(n1):
                w = np.int64(row[pos_at + j] if pos_at >= 0 else row[np.uint64(pos[j])])
                n_pos += w
                num += w * cum[np.uint64(lo[j])]
                if ties:
                    num += w * cum[np.uint64(hi[j])]
            value = num / 2.0 if ties else np.float64(num)
            out[r] = value / (np.float64(n_pos) * np.float64(c))

    @jit
    def draw_multinomial(rng, probs, bounds, totals, b, out):  # pragma: no cover - compiled
        """Add b multinomial draws of each stratum into ``out`` (b, units): ``totals[s]``
        cases over the units ``bounds[s] .. bounds[s + 1] - 1`` with probabilities
        ``probs``, in numpy's stream order -- ``Generator.multinomial(totals[s], p, b)``
        stratum by stratum: per row, one conditional binomial per unit (numba's
        ``binomial`` is numpy's, the same BTPE / inversion on the same bit stream)."""
        for s in range(len(totals)):
            lo, hi = bounds[s], bounds[s + 1]
            for r in range(b):
                prob_left = 1.0  # the probability not yet given to units lo .. j - 1
                cases_left = totals[s]  # the cases not yet placed (the rest stay 0)
                for j in range(lo, hi - 1):
                    x = rng.binomial(cases_left, probs[j] / prob_left)
                    out[r, j] = x
                    cases_left -= x
                    if cases_left <= 0:
                        break
                    prob_left -= probs[j]
                if cases_left > 0:
                    out[r, hi - 1] = cases_left

    @jit
    def ranked_counts(counts, rank_of, label, group_end, called, scratch, out):  # pragma: no cover
        """For each row of ``counts`` (how often each case was drawn, cases in the strata's
        order; ``rank_of`` their positions in descending-score order): the average
        precision (scikit-learn's step sum over the distinct scores, ``group_end`` marking
        the last case of each), the true / false positives among the first ``called``
        cases, and the resample's positives and negatives, in one pass over the counts put
        in score order (``scratch``, (n,)) -- ``out`` (b, 5): AP, TP, FP, P, N."""
        n = len(label)
        for r in range(counts.shape[0]):
            row = counts[r]
            for j in range(n):
                scratch[np.uint64(rank_of[j])] = row[j]
            tp = 0.0
            seen = 0.0
            tp_before = 0.0
            ap = 0.0
            tp_called = 0.0
            seen_called = 0.0
            for i in range(n):
                c = np.float64(scratch[i])
                tp += c * label[i]
                seen += c
                if i == called - 1:
                    tp_called = tp
                    seen_called = seen
                if group_end[i]:
                    if seen > 0:
                        ap += (tp - tp_before) * (tp / seen)
                    tp_before = tp
            out[r, 0] = ap / tp if tp > 0 else np.nan
            out[r, 1] = tp_called
            out[r, 2] = seen_called - tp_called
            out[r, 3] = tp
            out[r, 4] = seen - tp

    return SimpleNamespace(
        draw_counts=draw_counts,
        auc_rows=auc_rows,
        draw_multinomial=draw_multinomial,
        ranked_counts=ranked_counts,
    )


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
    # counted (small integer labels) or hashed: no sort of the n labels (return_inverse sorts)
    values = distinct_integers(labels) if labels.dtype.kind in "biu" and n else np.unique(labels)
    codes = np.searchsorted(values, labels) if len(values) > 1 else np.zeros(len(labels), int)
    return [np.flatnonzero(codes == k) for k in range(len(values))]


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
    for resamples in resample_chunks(sizes, n_boot, rng):
        yield [resamples.take(k).astype(np.int64, copy=False) for k in range(len(sizes))]


def resample_chunks(
    sizes: Sequence[int], n_boot: int, rng: np.random.Generator
) -> Iterator[Resamples]:
    """The resamples of :func:`draw_chunks`, chunk by chunk, as :class:`Resamples`: drawn
    positions (numpy engine) or counts drawn straight by the compiled kernel (numba)."""
    n = int(sum(sizes))
    if not use_compiled(n * n_boot):
        for draws in draw_chunks(sizes, n_boot, rng):
            yield Resamples(draws)
        return
    kernels = compiled_kernels()
    sizes_arr = np.asarray(sizes, dtype=np.int64)
    chunk = chunk_size(n, n_boot)
    # 8-bit counts: the scatter stays in cache at n = 10^6. A count over 255 (a case drawn
    # 256 times: never in practice, but possible) is caught and the chunk drawn again wide
    narrow = np.zeros((chunk, n), dtype=np.uint8)
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        out = narrow[:b]
        out[...] = 0
        state = rng.bit_generator.state if max(sizes) > 255 else None
        if not kernels.draw_counts(rng, sizes_arr, b, out):
            rng.bit_generator.state = state
            out = np.zeros((b, n), dtype=np.int64)
            kernels.draw_counts(rng, sizes_arr, b, out)
        resamples = Resamples.from_counts(out, sizes)
        resamples.compiled = True
        yield resamples


def multinomial_chunks(
    multiplicities: Sequence[np.ndarray], n_boot: int, rng: np.random.Generator
) -> Iterator[Resamples]:
    """Resamples as multinomial counts over tie patterns: stratum k's ``n_k`` draws fall on
    its patterns with probabilities ``multiplicities[k] / n_k`` -- the distribution of the
    case counts summed within each pattern, in O(patterns) per resample.

    Both engines draw ``rng.multinomial(n_k, p_k, size=b)`` stratum by stratum, chunk by
    chunk: the same counts for a seed. The compiled one (when numba's kernels are loaded
    already or :data:`ENGINE` is ``"numba"``: loading them costs more than this path)
    writes them into one count matrix and its AUCs are read compiled.
    """
    sizes = [len(m) for m in multiplicities]
    chunk = chunk_size(sum(sizes), n_boot)
    probs = [m / m.sum() for m in multiplicities]
    totals = np.array([int(m.sum()) for m in multiplicities], dtype=np.int64)
    if use_compiled(n_boot * int(totals.sum()), load=False):
        kernels = compiled_kernels()
        flat = np.concatenate(probs)
        bounds = np.cumsum([0, *sizes]).astype(np.int64)
        for start in range(0, n_boot, chunk):
            b = min(chunk, n_boot - start)
            out = np.zeros((b, sum(sizes)), dtype=np.int64)
            kernels.draw_multinomial(rng, flat, bounds, totals, b, out)
            resamples = Resamples.from_counts(out, sizes)
            resamples.compiled = True
            yield resamples
        return
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        parts = [rng.multinomial(n, p, size=b) for n, p in zip(totals, probs, strict=True)]
        yield Resamples.from_counts(np.hstack(parts), sizes)


def consecutive_strata(sizes: Sequence[int]) -> list[np.ndarray]:
    """Strata of the given sizes over ``0 .. sum(sizes) - 1``, in order."""
    bounds = np.cumsum([0, *sizes])
    return [np.arange(a, b) for a, b in itertools.pairwise(bounds)]


def tie_patterns(
    strata: list[np.ndarray], columns: Sequence[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The distinct rows of ``columns`` (e.g. scores, labels) within each stratum.

    Returns ``(representatives, multiplicities)``: per stratum, one case index per distinct
    pattern (sorted by the patterns) and how many cases share it. Cases with equal patterns
    are interchangeable for a statistic of these columns, so counting each stratum's draws
    per pattern -- a multinomial draw -- resamples them with the same distribution.
    """
    reps, mult = [], []
    for s in strata:
        cols = [c[s] for c in columns]
        if len(s) > 1 and all(np.all(c[1:] >= c[:-1]) for c in cols):  # score_strata: runs
            change = np.zeros(len(s) - 1, dtype=bool)
            for c in cols:
                change |= c[1:] != c[:-1]
            first = np.r_[0, 1 + np.flatnonzero(change)]
            count = np.diff(np.r_[first, len(s)])
        else:
            rows = np.column_stack(cols)
            _, first, count = np.unique(rows, axis=0, return_index=True, return_counts=True)
        reps.append(s[first])
        mult.append(count)
    return reps, mult


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
    Ties keep the case order (a stable sort: :func:`stable_order`).
    """
    strata = stratum_indices(np.asarray(labels).ravel() if stratified else None, len(score))
    return [s[stable_order(score[s])] for s in strata]


def stable_order(x: np.ndarray) -> np.ndarray:
    """``numpy.argsort(x, kind="stable")``, faster with few distinct values (tied scores):
    then the values' ranks (an unstable sort, fast on ties) are radix-sorted stably."""
    if len(x) < 1 << 12 or len(np.unique(x)) > 1 << 16:  # hashed count of distinct values
        return np.argsort(x, kind="stable")
    quick = np.argsort(x)
    xs = x[quick]
    rank = np.empty(len(x), dtype=np.uint16)
    rank[quick] = np.cumsum(np.r_[False, xs[1:] != xs[:-1]], dtype=np.uint16)
    return np.argsort(rank, kind="stable")


class Resamples:
    """One chunk of resamples, read as case counts: a whole stratum, or columns of the
    (b, n) count matrix in the strata's concatenated case order.

    Built from the drawn positions per stratum, ``draws[k]`` (b, n_k) -- counted only when
    asked for -- or straight from counts (:meth:`from_counts`; ``draws`` is then None).
    """

    def __init__(self, draws: list[np.ndarray] | None):
        self.draws = draws
        self.compiled = False  # counts from the compiled kernel: read them compiled too
        self._strata: dict[int, np.ndarray] = {}
        self._full: np.ndarray | None = None

    @classmethod
    def from_counts(cls, full: np.ndarray, sizes: Sequence[int]) -> Resamples:
        """Resamples given as the (b, n) counts of the strata of ``sizes``, in order."""
        out = cls(None)
        out._full = full
        bounds = np.cumsum([0, *sizes])
        out._strata = {k: full[:, bounds[k] : bounds[k + 1]] for k in range(len(sizes))}
        return out

    @property
    def full(self) -> np.ndarray:
        """The (b, n) counts of every case, strata concatenated."""
        if self._full is None:
            self._full = np.hstack([self.take(k) for k in range(len(self.draws))])
        return self._full

    def take(self, selection: int | np.ndarray) -> np.ndarray:
        """A whole stratum (an int) or arbitrary columns (an index array)."""
        if isinstance(selection, int):
            if selection not in self._strata:
                self._strata[selection] = counts(self.draws[selection])
            return self._strata[selection]
        return self.full[:, selection]


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
        units: np.ndarray | None = None,
    ):
        order = np.concatenate(strata)
        s, p = score[order], is_pos[order]
        inc = np.ones(len(order), bool) if include is None else include[order]
        pos = np.flatnonzero(p & inc)
        neg = np.flatnonzero(~p & inc)
        neg = neg[np.argsort(s[neg], kind="stable")]
        if units is None:  # each case is its own unit
            pos_units, neg_units = pos, neg
            self.pos_sel = selection(pos, strata)
            self.neg_sel = selection(neg, strata)
        else:  # cluster bootstrap: a row reads the count of its resampled cluster
            pos_units, neg_units = units[order][pos], units[order][neg]
            self.pos_sel, self.neg_sel = pos_units, neg_units
        self.lo = np.searchsorted(s[neg], s[pos], side="left")
        self.hi = np.searchsorted(s[neg], s[pos], side="right")
        self.ties = bool(np.any(self.lo != self.hi))
        # a row's counts sum to n (cases); with clusters a sum can exceed n: int64
        narrow = np.int32 if len(order) < 2**31 and units is None else np.int64
        lo_hi = (x.astype(narrow) for x in (self.lo, self.hi))
        self.compiled = (
            unit_run(neg_units),
            unit_run(pos_units),
            *lo_hi,
            self.ties,
            np.empty(len(neg) + 1, narrow),
        )

    def __call__(self, resamples: Resamples) -> np.ndarray:
        if resamples.compiled:
            return auc_of_counts(resamples.full, *self.compiled)
        neg = resamples.take(self.neg_sel)
        b, n0 = neg.shape
        cum = np.empty((b, n0 + 1), dtype=np.int64)
        cum[:, 0] = 0
        np.cumsum(neg, axis=1, out=cum[:, 1:])
        if isinstance(self.pos_sel, int) and resamples.draws is not None:
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


def cluster_units(codes: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """The resampling unit of each row for a cluster bootstrap: clusters (``codes``
    0..K-1, one per row) numbered by their first row along ``order`` (row order when None).

    With one row per cluster, unit k is the k-th row along ``order``, so a cluster
    bootstrap draws exactly the resamples of the (unstratified) case bootstrap whose
    stratum is ordered by ``order``.
    """
    seq = codes if order is None else codes[order]
    first = np.full(int(codes.max()) + 1, len(seq), dtype=np.int64)
    np.minimum.at(first, seq, np.arange(len(seq)))
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[codes]


def cluster_jackknife_counts(k: int) -> Iterator[Resamples]:
    """Leave-one-cluster-out "resamples" of k units, in chunks: row i counts every unit
    once except unit i (for the BCa acceleration of a cluster bootstrap)."""
    chunk = max(1, CHUNK_ELEMENTS // max(k, 1))
    for start in range(0, k, chunk):
        rows = np.arange(start, min(k, start + chunk))
        full = np.ones((len(rows), k), dtype=np.int64)
        full[np.arange(len(rows)), rows] = 0
        yield Resamples.from_counts(full, [k])


def unit_run(units: np.ndarray) -> np.ndarray:
    """Units for :func:`auc_of_counts`: ``[-1 - start, size]`` when they are the run
    ``start, start + 1, ...`` (read straight), else as they are, in the narrowest int."""
    if len(units) == 0:
        return np.array([-1, 0], dtype=np.int64)
    if units[-1] - units[0] == len(units) - 1 and np.all(np.diff(units) == 1):
        return np.array([-1 - units[0], len(units)], dtype=np.int64)
    return units.astype(np.int32 if len(units) == 0 or units.max() < 2**31 else np.int64)


def auc_of_counts(
    counts: np.ndarray,
    neg_units: np.ndarray,
    pos_units: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    ties: bool | None = None,
    cum: np.ndarray | None = None,
) -> np.ndarray:
    """AUC of each row of ``counts`` (b, units), compiled: the numba engine's AUC.

    Row ``r`` weights negative ``k`` (in score order) by ``counts[r, neg_units[k]]`` and
    positive ``j`` by ``counts[r, pos_units[j]]``; positive ``j`` beats the weighted
    negatives among the first ``lo[j]`` and ties with those up to ``hi[j]`` (counted half).
    The numerator is an exact integer, so the value is the numpy engine's bit for bit. A
    unit is a case, a cluster of cases (several rows reading one count) or a tie pattern;
    units given by :func:`unit_run` are read without a gather. ``ties`` (any
    ``lo != hi``) is found when None; ``cum`` is scratch of len(neg) + 1 (int32 when a
    row's counts sum below 2**31, which halves the memory traffic; int64 when None).
    """
    if ties is None:
        ties = bool(np.any(lo != hi))
    n0 = int(neg_units[1]) if neg_units[0] < 0 else len(neg_units)
    cum = np.empty(n0 + 1, np.int64) if cum is None else cum
    out = np.empty(len(counts))
    compiled_kernels().auc_rows(counts, neg_units, pos_units, lo, hi, ties, cum, out)
    return out


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
