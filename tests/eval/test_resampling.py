"""The resampling engine: the compiled (numba) and numpy engines draw the same resamples and
give the same numbers bit for bit; the multinomial resampling of tied scores has the
distribution of the case resampling. Correctness only -- speed is in benchmarks/."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from tests._helpers import binary_scores, multiclass_probabilities

import cxreval
from cxreval import _resampling
from cxreval._resampling import (
    Resamples,
    WeightedAUC,
    chunk_size,
    compiled_kernels,
    consecutive_strata,
    counts,
    draw_chunks,
    multinomial_chunks,
    resample_chunks,
    score_strata,
    stable_order,
    tie_patterns,
)


@pytest.fixture
def engine(monkeypatch):
    """Run a callable under each engine: ``engine(name, fn)``."""

    def run(name, fn):
        if name == "numba":
            pytest.importorskip("numba")
        monkeypatch.setattr(_resampling, "ENGINE", name)
        return fn()

    return run


def both(engine, fn):
    return engine("numpy", fn), engine("numba", fn)


@pytest.mark.parametrize("stratified", [True, False])
@pytest.mark.parametrize(("n", "ties"), [(301, False), (301, True), (70_003, True)])
def test_engines_give_identical_auc_bootstraps(engine, n, ties, stratified):
    y, s = binary_scores(n, noise=1.0, seed=n)
    if ties:
        s = np.round(s, 1)
    n_boot = 3 if n > 10_000 else 60  # 3 resamples form a 50 % interval (the fewest allowed)

    def run():
        return cxreval.roc_auc_ci(
            y, s, ci_method="bootstrap", n_boot=n_boot, level=0.5, stratified=stratified,
            random_state=7,
        )  # fmt: skip

    a, b = both(engine, run)
    assert np.array_equal(a.bootstrap.replicates, b.bootstrap.replicates)
    assert a.to_dict() == b.to_dict()


def test_engines_agree_on_one_resample_per_chunk(engine):
    # n > 2**17: one resample per chunk, strata above 255 cases (8-bit counts checked)
    y, s = binary_scores(140_000, noise=1.0, seed=1)

    def run():
        return cxreval.roc_auc_ci(y, s, ci_method="bootstrap", n_boot=3, level=0.5, random_state=3)

    a, b = both(engine, run)
    assert np.array_equal(a.bootstrap.replicates, b.bootstrap.replicates)


def test_engines_agree_on_paired_test_multiclass_band_and_statmaker(engine):
    y, s = binary_scores(400, noise=1.0, seed=2)
    s2 = np.round(s + np.random.default_rng(0).normal(0, 0.5, len(s)), 1)
    ym, pm = multiclass_probabilities(300, 3, seed=4)

    def run():
        return (
            cxreval.bootstrap_auc_test(y, s, s2, n_boot=50, random_state=1),
            cxreval.roc_auc_multiclass(ym, pm, ci_method="bootstrap", n_boot=40, random_state=2),
            cxreval.roc_band(y, s, n_boot=40, random_state=3),
            cxreval.bootstrap_statmaker(y, y_score=s, n_boot=40, random_state=4),
        )

    (ta, ma, ba, sa), (tb, mb, bb, sb) = both(engine, run)
    assert ta.to_dict() == tb.to_dict()
    assert np.array_equal(ma.macro.replicates, mb.macro.replicates)
    assert np.array_equal(ba.low, bb.low) and np.array_equal(ba.high, bb.high)
    for key in sa:
        assert np.array_equal(sa[key].replicates, sb[key].replicates, equal_nan=True)


def test_compiled_counts_are_the_numpy_draws_counted():
    pytest.importorskip("numba")
    sizes = [37, 300, 5]
    for a, b in zip(
        draw_chunks(sizes, 9, np.random.default_rng(5)),
        resample_chunks(sizes, 9, np.random.default_rng(5)),
        strict=True,
    ):
        assert np.array_equal(np.hstack([counts(d) for d in a]), b.full)


def test_compiled_counts_detect_an_8_bit_wrap():
    pytest.importorskip("numba")
    out = np.zeros((1, 300), dtype=np.uint8)
    out[0, :] = 255  # every increment wraps: the row no longer sums to its size
    assert not compiled_kernels().draw_counts(np.random.default_rng(0), np.array([300]), 1, out)
    fresh = np.zeros((1, 300), dtype=np.uint8)
    assert compiled_kernels().draw_counts(np.random.default_rng(0), np.array([300]), 1, fresh)


def test_a_wrapped_chunk_is_drawn_again_wide(monkeypatch):
    pytest.importorskip("numba")
    kernels = compiled_kernels()
    real = kernels.draw_counts
    calls = []

    def wraps_once(rng, sizes, b, out):
        ok = real(rng, sizes, b, out)
        calls.append(out.dtype)
        return ok and len(calls) > 1

    monkeypatch.setattr(kernels, "draw_counts", wraps_once)
    monkeypatch.setattr(_resampling, "ENGINE", "numba")
    got = next(resample_chunks([400, 600], 3, np.random.default_rng(8))).full
    expected = next(draw_chunks([400, 600], 3, np.random.default_rng(8)))
    assert calls[:2] == [np.dtype(np.uint8), np.dtype(np.int64)]
    assert np.array_equal(got, np.hstack([counts(d) for d in expected]))


def tied_data(n=2000, seed=0):
    y, s = binary_scores(n, noise=1.2, seed=seed)
    return y, np.round(1 / (1 + np.exp(-s)), 2)  # ~100 distinct probabilities


def test_auc_from_pattern_counts_equals_auc_of_the_expanded_resample():
    y, s = tied_data(500)
    is_pos = y == 1
    strata = score_strata(y, s, True)
    patterns, mult = tie_patterns(strata, [is_pos, s])
    rows = np.concatenate(patterns)
    kernel = WeightedAUC(s[rows], is_pos[rows], consecutive_strata(list(map(len, patterns))))
    # one fixed resample of case indices, and the same resample as counts per pattern
    draws = next(draw_chunks([len(t) for t in strata], 1, np.random.default_rng(3)))
    cases = np.concatenate([t[d[0]] for t, d in zip(strata, draws, strict=True)])
    per_case = np.bincount(cases, minlength=len(s))
    key = {(bool(is_pos[r]), s[r]): k for k, r in enumerate(rows)}
    per_pattern = np.zeros(len(rows), dtype=np.int64)
    for case, c in enumerate(per_case):
        per_pattern[key[(bool(is_pos[case]), s[case])]] += c
    sizes = list(map(len, patterns))
    from_counts = kernel(Resamples.from_counts(per_pattern[None], sizes))[0]
    assert from_counts == roc_auc_score(y[cases], s[cases])
    assert [int(m.sum()) for m in mult] == [len(t) for t in strata]


def test_multinomial_resampling_has_the_case_resampling_distribution():
    y, s = tied_data(3000, seed=5)
    n_boot = 4000
    runs = {
        how: cxreval.roc_auc_ci(
            y, s, ci_method="bootstrap", n_boot=n_boot, random_state=11, resampling=how
        )
        for how in ("cases", "multinomial")
    }
    a, b = (runs[h].bootstrap.replicates for h in ("cases", "multinomial"))
    sd = a.std(ddof=1)
    # means: within 4 Monte Carlo standard errors; SDs: within 4 SEs of an SD (~sd/sqrt(2B))
    assert abs(a.mean() - b.mean()) < 4 * sd * np.sqrt(2 / n_boot)
    assert abs(a.std(ddof=1) - b.std(ddof=1)) < 4 * sd * np.sqrt(2 / (2 * n_boot))
    assert runs["cases"].auc == runs["multinomial"].auc


def test_resampling_is_recorded_and_auto_chooses_by_distinct_scores():
    y, s = tied_data(5000)
    tied = cxreval.roc_auc_ci(
        y, s, ci_method="bootstrap", n_boot=50, random_state=0, resampling="auto"
    )
    assert tied.resampling == "multinomial" and tied.to_dict()["resampling"] == "multinomial"
    assert tied.bootstrap.to_dict()["resampling"] == "multinomial"
    assert "multinomial" in str(tied.to_dict())
    yc, sc = binary_scores(2000, seed=1)
    cont = cxreval.roc_auc_ci(
        yc, sc, ci_method="bootstrap", n_boot=50, random_state=0, resampling="auto"
    )
    assert cont.resampling == "cases" and "resampling" not in cont.bootstrap.to_dict()
    assert cxreval.roc_auc_ci(yc, sc).resampling is None  # DeLong
    test = cxreval.bootstrap_auc_test(y, s, s, n_boot=40, random_state=0, resampling="multinomial")
    assert test.resampling == "multinomial" and test.difference == 0
    with pytest.raises(ValueError, match="resampling"):
        cxreval.roc_auc_ci(y, s, ci_method="bootstrap", resampling="patients")


def test_multinomial_resampling_is_seeded_and_unstratified_keeps_the_labels():
    y, s = tied_data(1000, seed=3)
    runs = [
        cxreval.roc_auc_ci(
            y, s, ci_method="bootstrap", n_boot=200, stratified=False, random_state=4,
            resampling="multinomial",
        )
        for _ in range(2)
    ]  # fmt: skip
    assert np.array_equal(runs[0].bootstrap.replicates, runs[1].bootstrap.replicates)
    assert abs(runs[0].bootstrap.replicates.mean() - runs[0].auc) < 0.01


@pytest.mark.parametrize("stratified", [True, False])
def test_engines_give_identical_multinomial_bootstraps(engine, stratified):
    y, s = tied_data(3000, seed=9)

    def run():
        return cxreval.roc_auc_ci(
            y, s, ci_method="bootstrap", n_boot=300, stratified=stratified, random_state=2,
            resampling="multinomial",
        )  # fmt: skip

    a, b = both(engine, run)
    assert np.array_equal(a.bootstrap.replicates, b.bootstrap.replicates)
    assert a.to_dict() == b.to_dict()


def test_compiled_multinomial_counts_are_numpys_multinomial_draws(engine):
    mult = [np.array([5, 1, 300, 2, 40]), np.array([7]), np.array([1, 1]), np.array([90, 10])]
    n_boot = 40_000  # chunks of 13107 resamples: four chunks, the last short
    draws = engine("numba", lambda: list(multinomial_chunks(mult, n_boot, rng=np_rng(4))))
    assert all(r.compiled for r in draws)
    got = np.vstack([r.full for r in draws])
    # numpy's Generator.multinomial, stratum by stratum within each chunk, by hand
    rng, rows = np_rng(4), []
    chunk = chunk_size(10, n_boot)
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        rows.append(np.hstack([rng.multinomial(m.sum(), m / m.sum(), size=b) for m in mult]))
    assert np.array_equal(got, np.vstack(rows))
    assert (got[:, 5] == 7).all() and (got[:, 6:8].sum(axis=1) == 2).all()


def np_rng(seed):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("n", [10, 5000, 70_000])
def test_stable_order_is_the_stable_argsort(n):
    rng = np.random.default_rng(n)
    cases = [
        np.round(rng.normal(size=n), 2),  # ~600 distinct: the radix path from 4096 cases
        rng.normal(size=n),  # no ties: numpy's stable sort
        np.where(rng.random(n) < 0.5, 0.0, -0.0),  # -0.0 == 0.0: one value, case order kept
        rng.integers(0, 3, n).astype(float),
    ]
    for x in cases:
        assert np.array_equal(stable_order(x), np.argsort(x, kind="stable"))
