import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxreval.decision import decision_curve

# Worked by hand: y = 0 0 1 1, p = .2 .6 .7 .9, n = 4, prevalence .5
#   pt = .10: treat all four: TP 2, FP 2 -> 2/4 - 2/4 * (.1/.9) = 0.444444...
#   pt = .50: treat .6 .7 .9: TP 2, FP 1 -> 2/4 - 1/4 * 1        = 0.25
#   pt = .60: .6 is still treated (p >= pt)                         = 0.5 - 0.25 * 1.5 = 0.125
#   pt = .65: treat .7 .9: TP 2, FP 0                              = 0.5
#   pt = .80: treat .9: TP 1                                       = 0.25
#   treat all: .5 - .5 * pt / (1 - pt)
Y = [0, 0, 1, 1]
P = [0.2, 0.6, 0.7, 0.9]
GRID = [0.1, 0.5, 0.6, 0.65, 0.8]


def test_net_benefit_by_hand():
    dc = decision_curve(Y, P, thresholds=GRID)
    np.testing.assert_allclose(dc.net_benefit["model"], [4 / 9, 0.25, 0.125, 0.5, 0.25])
    np.testing.assert_allclose(dc.treat_all, [4 / 9, 0.0, -0.25, -1 / 2 * 0.65 / 0.35 + 0.5, -1.5])
    np.testing.assert_array_equal(dc.treat_none, 0.0)
    assert dc.prevalence == 0.5 and dc.n == 4
    np.testing.assert_allclose(dc.standardized["model"], [8 / 9, 0.5, 0.25, 1.0, 0.5])
    np.testing.assert_allclose(dc.standardized["treat all"], np.asarray(dc.treat_all) / 0.5)
    np.testing.assert_allclose(dc.useful_thresholds("model"), [0.5, 0.6, 0.65, 0.8])


def _formula(y, p, pt):
    """Net benefit straight from its definition, one threshold at a time."""
    y = np.asarray(y, bool)
    p = np.asarray(p)
    treated = p >= pt
    tp = np.sum(treated & y)
    fp = np.sum(treated & ~y)
    return tp / len(y) - fp / len(y) * pt / (1 - pt)


@settings(max_examples=40)
@given(
    data=st.lists(st.tuples(st.booleans(), st.sampled_from(np.linspace(0, 1, 21).tolist())),
                  min_size=2, max_size=50),
)  # fmt: skip
def test_against_the_formula(data):
    y = np.array([d[0] for d in data])
    p = np.array([d[1] for d in data])
    if len(np.unique(y)) < 2:
        y[0], y[1] = False, True
    dc = decision_curve(y, {"a": p, "b": 1 - p})
    for i, pt in enumerate(dc.thresholds):
        assert dc.net_benefit["a"][i] == pytest.approx(_formula(y, p, pt), abs=1e-12)
        assert dc.net_benefit["b"][i] == pytest.approx(_formula(y, 1 - p, pt), abs=1e-12)
        # treat-all is the model that gives every case probability 1
        assert dc.treat_all[i] == pytest.approx(_formula(y, np.ones_like(p), pt), abs=1e-12)


def test_default_grid_and_outputs():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200)
    y = rng.uniform(size=200) < p
    dc = decision_curve(y, p)
    np.testing.assert_allclose(dc.thresholds, np.arange(1, 100) / 100)
    d = dc.to_dict()
    assert set(d) == {"thresholds", "net_benefit", "treat_all", "treat_none", "prevalence", "n"}
    assert len(d["net_benefit"]["model"]) == 99
    text = dc.table()
    assert "treat all" in text and "TP/n - FP/n * pt/(1-pt)" in text
    assert len(text.splitlines()) <= 19 + 3
    ax = dc.plot(standardized=True)
    assert ax.get_ylabel() == "standardized net benefit"
    assert {line.get_label() for line in ax.lines} >= {"model", "treat all", "treat none"}


def test_thresholds_are_sorted():
    # the hand-worked grid given backwards gives the same curve, in increasing order
    dc = decision_curve(Y, P, thresholds=GRID[::-1])
    np.testing.assert_array_equal(dc.thresholds, GRID)
    np.testing.assert_allclose(dc.net_benefit["model"], [4 / 9, 0.25, 0.125, 0.5, 0.25])


def test_bad_input():
    with pytest.raises(ValueError, match="thresholds must lie strictly between 0 and 1"):
        decision_curve(Y, P, thresholds=[0.0, 0.5])
    with pytest.raises(ValueError, match=r"y_prob\['b'\] must hold probabilities"):
        decision_curve(Y, {"a": P, "b": [0.1, 0.2, 2.0, 0.3]})
    with pytest.raises(ValueError, match=r"thresholds must not repeat a value, got 0\.5 twice"):
        decision_curve(Y, P, thresholds=[0.5, 0.2, 0.5])
    # 1 and "1" would both be the curve "1": refused, as compare() refuses them
    with pytest.raises(
        ValueError, match=r"y_prob must have distinct model names, got \['1', '1'\]"
    ):
        decision_curve(Y, {1: P, "1": [0.9, 0.1, 0.2, 0.3]})
    with pytest.raises(ValueError, match="empty mapping"):
        decision_curve(Y, {})
    with pytest.raises(ValueError, match="one class only"):
        decision_curve([1, 1, 1, 1], P)
    with pytest.raises(ValueError, match="name must be one of"):
        decision_curve(Y, P).useful_thresholds("other")
