"""The pruning scorer against Table A1 of 002_4631bb8bee1e60eb.txt (SZANet, 624 test images)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from cxreval.sparsity_score import score_sweep

# Table A1: sparsity, accuracy, score ("(Sparsity+Accuracy)/2") as published.
SPARSITY = [0.3, 0.4, 0.5, 0.7, 0.8]
ACCURACY = [0.88, 0.86, 0.63, 0.375, 0.375]
PUBLISHED_SCORE = [0.59, 0.62, 0.56, 0.54, 0.59]
# The test split: 390 pneumonia, 234 normal. "normal" for everything scores 234/624.
N_TEST, N_PNEUMONIA, N_NORMAL = 624, 390, 234
PREVALENCE = N_PNEUMONIA / N_TEST
# SZANet unpruned (Results, "SZANet displayed 132 TP, 102 FP, 6 FN, and 384 TN").
DENSE = (132 + 384) / 624


def test_mean_rule_reproduces_table_a1():
    result = score_sweep(SPARSITY, ACCURACY, rule="mean")
    computed = np.round(result.scores, 2)
    # Four of five published scores are (sparsity + accuracy) / 2 to two decimals ...
    for i in (0, 2, 3, 4):
        assert computed[i] == PUBLISHED_SCORE[i]
    # ... the 40 % row is not: (0.4 + 0.86) / 2 = 0.63, printed 0.62 in the paper (an
    # arithmetic slip there; the code is not bent to it).
    assert result.scores[1] == pytest.approx(0.63)
    assert PUBLISHED_SCORE[1] == 0.62
    # Either way the maximum, and 002's choice, is 40 %.
    assert result.best_sparsity == 0.4
    assert SPARSITY[int(np.argmax(PUBLISHED_SCORE))] == 0.4


def test_the_trap():
    # 0.375 is exactly what answering "normal" for every test image scores.
    assert N_NORMAL / N_TEST == 0.375
    mean = score_sweep(SPARSITY, ACCURACY, rule="mean").scores
    # The mean score ranks the 80 % model (a one-class answerer) above the working 50 %
    # one, and level with the 30 % one at the paper's two decimals (0.5875 vs 0.59).
    assert mean[4] > mean[2]
    assert round(mean[4], 2) == round(mean[0], 2) == 0.59
    # One step further (90 %, still "normal" for everything) it would win outright:
    wider = score_sweep([*SPARSITY, 0.9], [*ACCURACY, 0.375], rule="mean")
    assert SPARSITY[int(np.argmax(wider.scores[:5]))] == 0.4
    assert wider.sparsity[int(np.argmax(wider.scores))] == 0.9  # the raw argmax is the trap
    assert wider.best_sparsity == 0.9  # without prevalence nothing knows it is degenerate
    guarded = score_sweep([*SPARSITY, 0.9], [*ACCURACY, 0.375], rule="mean", prevalence=PREVALENCE)
    assert guarded.best_sparsity == 0.4
    assert guarded.degenerate.tolist() == [False, False, False, True, True, True]


def test_degenerate_levels_from_prevalence():
    result = score_sweep(SPARSITY, ACCURACY, prevalence=PREVALENCE)
    assert result.baseline == 0.625  # answering "pneumonia" for everything
    assert result.degenerate.tolist() == [False, False, False, True, True]
    assert "no better than one class for everything (0.625)" in result.reasons[4]
    assert result.reasons[:3] == ("", "", "")
    table = result.table()
    assert table.count("degenerate") == 2 and "chosen" in table
    # class fractions work the same way (and for more than two classes)
    same = score_sweep(SPARSITY, ACCURACY, prevalence=[N_NORMAL / N_TEST, PREVALENCE])
    np.testing.assert_array_equal(same.degenerate, result.degenerate)
    with pytest.warns(UserWarning, match="no level can be chosen"):
        three = score_sweep([0.1, 0.2], [0.5, 0.45], prevalence=[0.2, 0.3, 0.5])
    assert three.degenerate.tolist() == [True, True]


def test_weighted_rule_avoids_the_trap():
    result = score_sweep(SPARSITY, ACCURACY, rule="weighted", weight=0.75)
    # 0.75 * accuracy + 0.25 * sparsity, worked by hand
    np.testing.assert_allclose(result.scores, [0.735, 0.745, 0.5975, 0.45625, 0.48125])
    assert result.best_sparsity == 0.4
    # the one-class models now rank below every working one, even without prevalence
    assert result.scores[4] < min(result.scores[:3])
    assert result.scores[3] < min(result.scores[:3])
    # weight 0.5 is the mean rule
    half = score_sweep(SPARSITY, ACCURACY, rule="weighted", weight=0.5)
    np.testing.assert_allclose(half.scores, score_sweep(SPARSITY, ACCURACY).scores)


def test_tolerance_rule():
    # within 0.05 of the dense 0.827: 30 % and 40 % qualify; the highest sparsity is 40 %
    result = score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=DENSE, delta=0.05)
    np.testing.assert_allclose(result.scores, np.array(ACCURACY) - (DENSE - 0.05))
    assert result.best_sparsity == 0.4
    assert result.params["dense"] == DENSE and result.params["delta"] == 0.05
    # a level at sparsity 0 serves as the dense model
    with_dense = score_sweep([0.0, *SPARSITY], [DENSE, *ACCURACY], rule="tolerance", delta=0.05)
    assert with_dense.best_sparsity == 0.4
    # a tolerance wide enough to admit 0.375 still never picks a degenerate level
    wide = score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=DENSE, delta=0.5,
                       prevalence=PREVALENCE)  # fmt: skip
    assert wide.best_sparsity == 0.5


def test_tolerance_judged_with_the_wilson_interval():
    # dense 0.88, delta 0.03: the point estimate 0.86 is within tolerance ...
    point = score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=0.88, delta=0.03)
    assert point.best_sparsity == 0.4
    # ... but its 95 % Wilson lower bound on 624 images (0.8306) is not (floor 0.85)
    ci = score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=0.88, delta=0.03,
                     level=0.95, n_cases=N_TEST)  # fmt: skip
    assert ci.best_sparsity == 0.3
    np.testing.assert_allclose(ci.scores, ci.ci_low - 0.85)
    # the interval is Wilson's on the count of correct answers
    exact = score_sweep([0.3], [549 / N_TEST], level=0.95, n_cases=N_TEST)
    expected = binomtest(549, N_TEST).proportion_ci(method="wilson")
    assert exact.ci_low[0] == pytest.approx(expected.low, abs=1e-12)
    assert exact.ci_high[0] == pytest.approx(expected.high, abs=1e-12)
    assert "wilson 95% CI" in ci.table()


def test_per_level_predictions():
    y = np.array([1] * N_PNEUMONIA + [0] * N_NORMAL)
    rng = np.random.default_rng(0)

    def with_errors(k):
        pred = y.copy()
        pred[rng.choice(N_TEST, k, replace=False)] ^= 1
        return pred

    preds = [with_errors(75), with_errors(87), with_errors(231), np.zeros(N_TEST, int)]
    result = score_sweep([0.3, 0.4, 0.5, 0.8], preds, y_true=y, rule="mean")
    np.testing.assert_allclose(result.metric, [549 / 624, 537 / 624, 393 / 624, 0.375])
    assert result.degenerate.tolist() == [False, False, False, True]
    assert result.reasons[3] == "constant predictions (every case 0)"
    assert result.baseline == 0.625 and result.params["n_cases"] == N_TEST
    assert result.best_sparsity == 0.4
    # constant predictions are degenerate even when they happen to score well
    skewed = np.array([1] * 95 + [0] * 5)
    flat = score_sweep([0.2, 0.9], [skewed, np.ones(100, int)], y_true=skewed)
    assert flat.reasons[1].startswith("constant predictions")
    assert flat.best_sparsity == 0.2


@settings(max_examples=40)
@given(
    levels=st.lists(st.floats(0, 0.99), min_size=1, max_size=8, unique=True),
    rule=st.sampled_from(["mean", "weighted", "tolerance"]),
    prevalence=st.floats(0.05, 0.95),
    data=st.data(),
)
def test_no_rule_ever_picks_a_degenerate_level(levels, rule, prevalence, data):
    acc = data.draw(st.lists(st.floats(0, 1), min_size=len(levels), max_size=len(levels)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "no level can be chosen" is allowed
        result = score_sweep(levels, acc, rule=rule, prevalence=prevalence, dense=1.0, delta=0.6)
    if result.best_index is not None:
        assert not result.degenerate[result.best_index]
        assert result.metric[result.best_index] > max(prevalence, 1 - prevalence)
    else:
        assert result.best_sparsity is None


def test_no_level_left_warns():
    with pytest.warns(UserWarning, match="no level can be chosen under rule='mean'"):
        result = score_sweep([0.7, 0.8], [0.375, 0.375], prevalence=PREVALENCE)
    assert result.best_sparsity is None and result.best_index is None
    assert "chosen sparsity: none" in result.table()


def test_plot_marks_chosen_and_degenerate():
    result = score_sweep(SPARSITY, ACCURACY, prevalence=PREVALENCE, level=0.95, n_cases=N_TEST)
    ax = result.plot()
    labels = [h.get_label() for h in ax.get_legend_handles_labels()[0]]
    assert {"chosen", "degenerate", "one class for all", "accuracy", "mean score"} <= set(labels)
    offsets = {c.get_label(): c.get_offsets() for c in ax.collections if c.get_label()}
    np.testing.assert_allclose(offsets["chosen"], [[0.4, 0.86]])
    np.testing.assert_allclose(offsets["degenerate"], [[0.7, 0.375], [0.8, 0.375]])


def test_json_ready():
    d = score_sweep(SPARSITY, ACCURACY, prevalence=PREVALENCE).to_dict()
    assert d["best_sparsity"] == 0.4 and d["degenerate"][3] is True and d["rule"] == "mean"


def test_bad_input():
    with pytest.raises(ValueError, match="rule must be one of"):
        score_sweep(SPARSITY, ACCURACY, rule="best")
    with pytest.raises(ValueError, match="one accuracy per level"):
        score_sweep(SPARSITY, ACCURACY[:4])
    with pytest.raises(ValueError, match=r"sparsity must lie in \[0, 1\)"):
        score_sweep([0.5, 1.0], [0.8, 0.7])
    with pytest.raises(ValueError, match="sparsity must not repeat"):
        score_sweep([0.5, 0.5], [0.8, 0.7])
    with pytest.raises(ValueError, match=r"metric must hold accuracies in \[0, 1\]"):
        score_sweep([0.5, 0.6], [80, 70])
    with pytest.raises(ValueError, match="needs dense="):
        score_sweep(SPARSITY, ACCURACY, rule="tolerance")
    with pytest.raises(ValueError, match="level needs n_cases="):
        score_sweep(SPARSITY, ACCURACY, level=0.95)
    with pytest.raises(ValueError, match=r"prevalence must be in \(0, 1\)"):
        score_sweep(SPARSITY, ACCURACY, prevalence=1.5)
    with pytest.raises(ValueError, match="weight must be in"):
        score_sweep(SPARSITY, ACCURACY, rule="weighted", weight=1.0)
    with pytest.raises(ValueError, match=r"shape \(n_levels, n_cases\) = \(2, 3\)"):
        score_sweep([0.1, 0.2], [[0, 1, 1]], y_true=[0, 1, 1])
    with pytest.raises(ValueError, match="labels not in y_true"):
        score_sweep([0.1], [[0, 1, 2]], y_true=[0, 1, 1])
    with pytest.raises(ValueError, match="give either y_true or prevalence"):
        score_sweep([0.1], [[0, 1, 1]], y_true=[0, 1, 1], prevalence=0.5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rule": "tolerance", "dense": "0.9"}, r"dense must be a number in \[0, 1\], got str"),
        ({"rule": "tolerance", "dense": 0.9, "delta": "0.1"},
         r"delta must be a number in \[0, 1\), got str"),
        ({"prevalence": "0.6"}, "prevalence must be a number or a sequence of numbers"),
        ({"prevalence": [0.4, "0.6"]}, "prevalence must be a number or a sequence of numbers"),
        ({"level": 0.95, "n_cases": "624"}, "n_cases must be a positive integer, got str"),
        ({"rule": "weighted", "weight": "0.75"}, "weight must be a number in"),
    ],
)  # fmt: skip
def test_text_is_not_a_number(options, message):
    with pytest.raises(TypeError, match=message):
        score_sweep(SPARSITY, ACCURACY, **options)


def test_numbers_still_accepted():
    # numpy numbers are numbers; delta 0.1 below dense 0.9 accepts accuracies >= 0.8
    r = score_sweep([0.0, 0.5, 0.7], [0.9, 0.85, 0.75], rule="tolerance",
                    dense=np.float32(0.9), delta=np.float64(0.1))  # fmt: skip
    assert r.best_sparsity == 0.5
    assert r.params["dense"] == pytest.approx(0.9) and r.params["delta"] == 0.1
    with pytest.raises(ValueError, match=r"dense must be in \[0, 1\], e.g. 0.5, got 1.5"):
        score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=1.5)
    with pytest.raises(ValueError, match=r"delta must be in \[0, 1\)"):
        score_sweep(SPARSITY, ACCURACY, rule="tolerance", dense=0.9, delta=1.0)


# issue 16, item 15: NaN labels were accepted here (every other function refuses them)
def test_nan_labels_are_refused():
    with pytest.raises(ValueError, match="y_true contains NaN"):
        score_sweep([0.0, 0.5], [[0, 1, 1], [0, 1, 1]], y_true=[0, 1, np.nan])
