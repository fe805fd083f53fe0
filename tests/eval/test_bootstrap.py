"""The bootstrap engine: intervals computed by hand, seeds, strata, fallbacks, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxreval import bootstrap
from cxreval._resampling import count_chunks
from cxreval.bootstrap import interval, quantiles


def test_percentile_and_basic_by_hand():
    reps = np.arange(1.0, 101.0)  # 1..100
    low, high, used = interval(reps, np.array(50.0), 0.9, "percentile")
    # numpy / R type-7 quantiles: 1 + 0.05 * 99 = 5.95 and 1 + 0.95 * 99 = 95.05
    assert (float(low), float(high), used) == pytest.approx((5.95, 95.05, "percentile"))
    low, high, used = interval(reps, np.array(50.0), 0.9, "basic")
    assert (float(low), float(high), used) == pytest.approx((100 - 95.05, 100 - 5.95, "basic"))


def test_bca_by_hand():
    rng = np.random.default_rng(0)
    reps = rng.normal(1.0, 1.0, 4000)
    jack = rng.gamma(2.0, 1.0, 50)
    est = 0.8
    z0 = stats.norm.ppf(np.mean(reps < est))
    d = jack.mean() - jack
    a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    expected = []
    for q in (0.025, 0.975):
        z = stats.norm.ppf(q)
        expected.append(np.quantile(reps, stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))))
    low, high, used = interval(reps, np.array(est), 0.95, "bca", lambda: jack)
    assert used == "bca"
    np.testing.assert_allclose([low, high], expected, atol=1e-12)


def test_bca_falls_back_to_percentile_with_warning():
    reps = np.full(100, 1.0)
    with pytest.warns(RuntimeWarning, match="BCa interval undefined"):
        low, high, used = interval(reps, np.array(1.0), 0.95, "bca", lambda: np.ones(10))
    assert (float(low), float(high), used) == (1.0, 1.0, "percentile")


def type7_extended(values, p):
    """R's type-7 quantile of a 1-D sample in the extended reals, one value at a time."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = int(np.floor(h))
    frac = h - lo
    if frac == 0:
        return x[lo]
    a, b = x[lo], x[lo + 1]
    if a == b:
        return a
    if np.isinf(a) and np.isinf(b):
        return np.nan  # -inf and +inf: no value in between
    if np.isinf(a) or np.isinf(b):
        return a if np.isinf(a) else b  # any positive weight on an infinity
    return a + frac * (b - a)


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2.0, 3.0, np.inf, np.inf],
        [-np.inf, 1.0, 2.0, 3.0, np.inf],
        [np.inf] * 4,
        [0.5, np.inf, 2.0, -np.inf, 7.0, 7.0, 1.0, np.inf],
    ],
)
def test_quantiles_with_infinities_match_extended_type7(values):
    probs = np.array([0.0, 0.025, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 0.975, 1.0])
    got = quantiles(np.array(values), probs)
    expected = [type7_extended(values, p) for p in probs]
    np.testing.assert_allclose(got, expected, rtol=1e-12)  # NaN only for -inf..+inf


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.floats(0, 1))
def test_quantiles_of_finite_values_are_numpys(values, p):
    x = np.array(values)
    assert quantiles(x, np.array([p]))[0] == np.quantile(x, p)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.integers(-5, 5).map(float), st.sampled_from([np.inf, -np.inf])),
             min_size=1, max_size=12),
    st.floats(0, 1),
)  # fmt: skip
def test_quantiles_with_random_infinities_match_extended_type7(values, p):
    got = quantiles(np.array(values), np.array([p]))[0]
    expected = type7_extended(values, p)
    if np.isnan(expected):
        assert np.isnan(got)
    elif np.isinf(expected):
        assert got == expected
    else:  # numpy's lerp rounds differently from a + t (b - a) in the last bits
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_infinite_replicates_stay_and_give_infinite_bounds_and_se():
    def ratio(v):  # nonzero / 0 = inf; the engine keeps it (only NaN is undefined)
        zeros = np.sum(v == 0)
        return np.inf if zeros == 0 else np.sum(v == 1) / zeros

    x = np.r_[np.zeros(2), np.ones(8)]
    res = bootstrap(ratio, x, n_boot=400, random_state=0)
    share_inf = np.mean(np.isinf(res.replicates))  # P(no zero drawn) = 0.8^10 = 0.107
    assert res.n_boot == 400 and 0.05 < share_inf < 0.2
    assert res.high == np.inf and np.isfinite(res.low) and res.se == np.inf
    assert res.low == type7_extended(res.replicates, 0.025)
    basic = bootstrap(
        ratio, x, n_boot=400, random_state=0, bootstrap_method="basic", bounds=(0, np.inf)
    )
    assert basic.low == 0.0  # 2 * 4 - inf = -inf, clipped to the lower bound
    assert basic.high == pytest.approx(8 - type7_extended(res.replicates, 0.025))


def test_plot_leaves_infinite_replicates_out_and_counts_them():
    def ratio(v):
        zeros = np.sum(v == 0)
        return np.inf if zeros == 0 else np.sum(v == 1) / zeros

    res = bootstrap(ratio, np.r_[np.zeros(2), np.ones(8)], n_boot=400, random_state=0)
    ax = res.plot()
    n_inf = int(np.isinf(res.replicates).sum())
    assert ax.get_title() == f"{n_inf} of 400 resamples infinite (not drawn)"
    drawn = sum(patch.get_height() for patch in ax.patches)
    assert drawn == 400 - n_inf  # the histogram holds the finite replicates only
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1].startswith(f"95% CI {res.low:.4g} to inf")
    # estimate and lower bound drawn, the infinite upper bound not
    assert sorted(line.get_xdata()[0] for line in ax.lines if len(line.get_xdata())) == sorted(
        [res.estimate, res.low]
    )
    import matplotlib.pyplot as plt

    plt.close("all")


def test_bca_falls_back_with_infinite_jackknife_or_replicates():
    reps = np.random.default_rng(0).normal(size=200)
    with pytest.warns(RuntimeWarning, match="constant or infinite"):
        _, _, used = interval(reps, np.array(0.1), 0.95, "bca", lambda: np.r_[np.inf, 1.0, 2.0])
    assert used == "percentile"
    with pytest.warns(RuntimeWarning, match="BCa interval undefined"):
        low, high, used = interval(np.r_[reps, np.inf], np.array(0.1), 0.95, "bca",
                                   lambda: np.r_[0.0, 1.0, 3.0])  # fmt: skip
    assert (
        used == "percentile"
        and np.isfinite(low)
        and high == type7_extended(np.r_[reps, np.inf], 0.975)
    )


def test_basic_with_infinite_estimate_falls_back_to_percentile():
    reps = np.r_[np.arange(10.0), np.inf]
    with pytest.warns(RuntimeWarning, match="basic interval undefined with an infinite"):
        low, high, used = interval(reps, np.array(np.inf), 0.5, "basic")
    assert (float(low), float(high), used) == (2.5, 7.5, "percentile")


def test_mean_interval_and_result_fields():
    x = np.random.default_rng(3).normal(10, 2, 80)
    res = bootstrap(np.mean, x, n_boot=999, level=0.9, random_state=5)
    assert res.estimate == pytest.approx(x.mean())
    assert res.low < res.estimate < res.high
    assert res.se == pytest.approx(2 / np.sqrt(80), rel=0.2)
    assert (res.n_boot, res.seed, res.ci_type, res.stratified) == (999, 5, "percentile", False)
    assert res.replicates.shape == (999,)
    assert res.to_dict()["method"] == "bootstrap"
    assert "bootstrap (percentile, B=999)" in str(res)


def test_vectorized_and_looped_statistics_agree():
    x = np.random.default_rng(1).normal(size=60)
    looped = bootstrap(np.median, x, n_boot=300, random_state=2, bootstrap_method="bca")
    vect = bootstrap(lambda a: np.median(a, axis=-1), x, n_boot=300, random_state=2,
                     vectorized=True, bootstrap_method="bca")  # fmt: skip
    np.testing.assert_allclose(looped.replicates, vect.replicates)
    assert (looped.low, looped.high) == pytest.approx((vect.low, vect.high))


def test_paired_arrays_share_indices():
    x = np.arange(30.0)
    res = bootstrap(lambda a, b: np.mean(a - b), x, 2 * x, n_boot=100, random_state=0)
    res2 = bootstrap(lambda a: -np.mean(a), x, n_boot=100, random_state=0)
    np.testing.assert_allclose(res.replicates, res2.replicates)


def test_vector_statistic_gives_vector_interval():
    x = np.random.default_rng(0).normal(size=(50, 3))
    res = bootstrap(lambda a: a.mean(axis=0), x, n_boot=200, random_state=1)
    assert res.estimate.shape == res.low.shape == res.high.shape == (3,)
    assert np.all(res.low < res.high)
    assert "statistic" in res.table()


@settings(max_examples=25, deadline=None)
@given(
    n_pos=st.integers(1, 30),
    n_neg=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratified_resamples_keep_class_counts(n_pos, n_neg, seed):
    y = np.r_[np.ones(n_pos), np.zeros(n_neg)]
    np.random.default_rng(seed).shuffle(y)
    res = bootstrap(np.sum, y, strata=y, n_boot=50, random_state=seed)
    assert np.all(res.replicates == n_pos)
    for counts in count_chunks([n_neg, n_pos], 50, np.random.default_rng(seed)):
        assert [p.sum(axis=1).tolist() for p in counts] == [
            [n_neg] * len(counts[0]),
            [n_pos] * len(counts[0]),
        ]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), level=st.floats(0.5, 0.98))
def test_same_seed_same_interval_and_wider_with_level(seed, level):
    x = np.random.default_rng(0).exponential(size=40)
    a = bootstrap(np.mean, x, n_boot=200, level=level, random_state=seed)
    b = bootstrap(np.mean, x, n_boot=200, level=level, random_state=seed)
    wider = bootstrap(np.mean, x, n_boot=200, level=min(level + 0.01, 0.99), random_state=seed)
    assert (a.low, a.high) == (b.low, b.high)
    assert wider.low <= a.low and wider.high >= a.high


def test_none_seed_is_recorded_and_reproduces():
    x = np.arange(20.0)
    res = bootstrap(np.mean, x, n_boot=100)
    again = bootstrap(np.mean, x, n_boot=100, random_state=res.seed)
    np.testing.assert_array_equal(res.replicates, again.replicates)


def test_generator_seed_is_not_recorded():
    res = bootstrap(np.mean, np.arange(5.0), n_boot=40, random_state=np.random.default_rng(0))
    assert res.seed is None


def test_undefined_resamples_are_dropped_with_warning():
    y = np.array([0] * 9 + [1])

    def share_of_ones_among_zeros(v):
        return np.nan if v.sum() == 0 else v.mean()

    with pytest.warns(RuntimeWarning, match="resamples gave an undefined"):
        res = bootstrap(share_of_ones_among_zeros, y, n_boot=200, random_state=0)
    assert res.n_boot < 200 and np.isfinite([res.low, res.high]).all()


def test_bounds_clip_the_interval():
    x = np.r_[np.ones(19), 0.0]
    res = bootstrap(np.mean, x, n_boot=200, bootstrap_method="basic", bounds=(0, 1), random_state=0)
    assert res.high <= 1.0


def test_bad_arguments():
    x = np.arange(10.0)
    with pytest.raises(TypeError, match="statistic must be callable"):
        bootstrap("mean", x)
    with pytest.raises(ValueError, match="at least one array"):
        bootstrap(np.mean)
    with pytest.raises(ValueError, match="bootstrap_method must be one of"):
        bootstrap(np.mean, x, bootstrap_method="studentized")
    with pytest.raises(ValueError, match="n_boot must be a positive integer"):
        bootstrap(np.mean, x, n_boot=0)
    with pytest.raises(TypeError, match="n_boot"):
        bootstrap(np.mean, x, n_boot=10.5)
    with pytest.raises(ValueError, match="level must be in"):
        bootstrap(np.mean, x, level=95)
    with pytest.raises(ValueError, match=r"arrays\[0\]=10, arrays\[1\]=9"):
        bootstrap(np.mean, x, x[:-1])
    with pytest.raises(ValueError, match="arrays=10, strata=3"):
        bootstrap(np.mean, x, strata=[0, 1, 0])
    with pytest.raises(ValueError, match="undefined on every resample"):
        bootstrap(lambda a: np.nan, x, n_boot=40, random_state=0)


def test_bad_bounds_and_matrix_statistic_are_named():
    x = np.arange(5.0)
    with pytest.raises(
        ValueError, match=r"bounds must be \(low, high\) with low < high, got \(1, 0\)"
    ):
        bootstrap(np.mean, x, n_boot=40, random_state=0, bounds=(1, 0))
    with pytest.raises(TypeError, match="bounds must be a pair"):
        bootstrap(np.mean, x, n_boot=40, random_state=0, bounds=1)
    with pytest.raises(
        ValueError, match=r"statistic must return a float or a 1-D array .*\(2, 2\)"
    ):
        bootstrap(lambda v: np.ones((2, 2)), x, n_boot=40, random_state=0)
    with pytest.raises(ValueError, match="random_state must be a non-negative int, got -1"):
        bootstrap(np.mean, x, n_boot=40, random_state=-1)


# issue 16, item 10: too few resamples to form the interval are refused, few are warned
def _every_bootstrap(n_boot, level=0.95):
    import cxreval

    y = np.r_[np.zeros(30), np.ones(30)]
    s = y + np.random.default_rng(0).normal(0, 1, 60)
    y3, p3 = np.arange(60) % 3, np.random.default_rng(1).dirichlet([1, 1, 1], 60)
    common = {"n_boot": n_boot, "level": level, "random_state": 0}
    return {
        "bootstrap": lambda: bootstrap(np.mean, s, **common),
        "bootstrap_statmaker": lambda: cxreval.bootstrap_statmaker(y, y_score=s, **common),
        "roc_auc_ci": lambda: cxreval.roc_auc_ci(y, s, ci_method="bootstrap", **common),
        "bootstrap_auc_test": lambda: cxreval.bootstrap_auc_test(y, s, -s, **common),
        "roc_band": lambda: cxreval.roc_band(y, s, **common),
        "roc_auc_multiclass": lambda: cxreval.roc_auc_multiclass(y3, p3, **common),
        "operating_point": lambda: cxreval.operating_point(y, s, **common),
    }


@pytest.mark.parametrize("name", sorted(_every_bootstrap(1)))
@pytest.mark.parametrize(("level", "least"), [(0.95, 39), (0.9, 19), (0.99, 199)])
def test_too_few_resamples_are_refused_and_few_warned(name, level, least):
    with pytest.raises(ValueError, match=f"n_boot={least - 1} is too few .* at least {least}"):
        _every_bootstrap(least - 1, level)[name]()
    with pytest.raises(ValueError, match="n_boot=1 is too few"):
        _every_bootstrap(1, level)[name]()
    with pytest.warns(UserWarning, match=f"n_boot={least} resamples .* 2000 is recommended"):
        _every_bootstrap(least, level)[name]()


def test_the_minimum_is_where_each_tail_holds_one_resample():
    from cxreval._checks import min_n_boot

    for level in (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999):
        least = min_n_boot(level)
        assert (least + 1) * (1 - level) / 2 >= 1 - 1e-9 > least * (1 - level) / 2


def test_no_warning_from_a_thousand_resamples_on():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bootstrap(np.mean, np.arange(10.0), n_boot=1000, random_state=0)


def test_auc_test_with_one_resample_no_longer_gives_an_infinite_statistic():
    from cxreval import bootstrap_auc_test

    y, s = np.r_[np.zeros(10), np.ones(10)], np.arange(20.0)
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_auc_test(y, s, s[::-1], n_boot=1, random_state=0)


# issue 16, item 14: NaN in the data gave a NaN estimate with a finite interval
def test_nan_or_none_in_the_data_is_refused_by_name():
    with pytest.raises(ValueError, match=r"arrays\[0\] contains NaN or None \(first in case 0\)"):
        bootstrap(np.mean, [np.nan, 1, 2, 3])
    with pytest.raises(ValueError, match=r"arrays\[1\] contains NaN or None \(first in case 2\)"):
        bootstrap(lambda a, b: a.mean(), [1, 2, 3], [[1, 1], [2, 2], [3, np.nan]])
    with pytest.raises(ValueError, match=r"arrays\[0\] contains NaN or None"):
        bootstrap(lambda a: 0.0, np.array(["a", None], dtype=object))
    assert bootstrap(lambda a: np.mean(a == "a"), np.array(["a", "b"] * 5), random_state=0)


# issue 16, items 20 and 23: the statistic's output and the strata are checked by name
def test_statistic_output_and_strata_are_checked_by_name():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="with vectorized=True, statistic must return one"):
        bootstrap(lambda a: 1.0, x, vectorized=True)
    with pytest.raises(ValueError, match="with vectorized=True, statistic must return one"):
        bootstrap(np.mean, x, vectorized=True)  # the mean of the whole batch: a scalar
    with pytest.raises(TypeError, match=r"statistic must return a float .* got str 'abc'"):
        bootstrap(lambda a: "abc", x)
    with pytest.raises(ValueError, match="strata contains NaN"):
        bootstrap(np.mean, x, strata=[0.0, 1.0, np.nan] + [1.0] * 7)
    with pytest.raises(ValueError, match="strata contains None"):
        bootstrap(np.mean, x, strata=np.array([0, None] + [1] * 8, dtype=object))
