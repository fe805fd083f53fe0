import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxreval._checks import (
    check_array_1d,
    check_binary_target,
    check_bounds,
    check_consistent_length,
    check_counts,
    check_labels,
    check_level,
    check_random_state,
    check_score_matrix,
    check_scores,
    distinct_integers,
)


def test_level_bounds():
    assert check_level(0.9) == 0.9
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="level must be in"):
            check_level(bad)
    with pytest.raises(TypeError, match="level"):
        check_level("0.95")


def test_random_state_is_reproducible():
    a = check_random_state(3).integers(0, 1000, 5)
    b = check_random_state(3).integers(0, 1000, 5)
    np.testing.assert_array_equal(a, b)
    g = np.random.default_rng(0)
    assert check_random_state(g) is g
    with pytest.raises(TypeError, match="random_state"):
        check_random_state("seed")


def test_array_1d_errors():
    np.testing.assert_array_equal(check_array_1d([[1], [2]], "x"), [1, 2])
    with pytest.raises(ValueError, match="x must be 1-D"):
        check_array_1d(np.zeros((2, 2)), "x")
    with pytest.raises(ValueError, match="x is empty"):
        check_array_1d([], "x")
    with pytest.raises(TypeError, match="x must be numeric"):
        check_array_1d(["a"], "x", numeric=True)


def test_scores_and_lengths():
    with pytest.raises(ValueError, match="y_score contains NaN"):
        check_scores([0.1, np.nan])
    with pytest.raises(ValueError, match="infinite"):
        check_scores([0.1, np.inf])
    with pytest.raises(ValueError, match="y_true=2, y_score=3"):
        check_consistent_length(y_true=np.zeros(2), y_score=np.zeros(3))


def test_binary_target():
    pos, label = check_binary_target(["n", "p", "p"])
    assert label == "p"
    np.testing.assert_array_equal(pos, [False, True, True])
    pos, label = check_binary_target([0, 1, 1], pos_label=0)
    np.testing.assert_array_equal(pos, [True, False, False])
    with pytest.raises(ValueError, match="one class only"):
        check_binary_target([1, 1, 1])
    with pytest.raises(ValueError, match="must be binary, got 3 labels"):
        check_binary_target([0, 1, 2])
    with pytest.raises(ValueError, match="pos_label=5 is not a label"):
        check_binary_target([0, 1], pos_label=5)


def test_choice_positive_int_threshold_and_score_matrix():
    from cxreval._checks import (
        check_choice,
        check_positive_int,
        check_score_matrix,
        check_threshold,
    )

    assert check_choice("bca", "bootstrap_method", ("percentile", "bca")) == "bca"
    with pytest.raises(
        ValueError, match="bootstrap_method must be one of 'percentile', 'bca', got 'x'"
    ):
        check_choice("x", "bootstrap_method", ("percentile", "bca"))
    assert check_positive_int(np.int64(3), "n_boot") == 3
    with pytest.raises(ValueError, match="n_boot must be a positive integer, got 0"):
        check_positive_int(0, "n_boot")
    with pytest.raises(TypeError, match="n_boot must be a positive integer, got bool"):
        check_positive_int(True, "n_boot")
    assert check_threshold(np.float32(0.5)) == 0.5
    with pytest.raises(ValueError, match="threshold must be finite, got inf"):
        check_threshold(np.inf)
    with pytest.raises(TypeError, match="threshold must be a number, got str"):
        check_threshold("0.5")
    np.testing.assert_array_equal(check_score_matrix([[1, 2], [3, 4]]), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"y_score must be 2-D .* got shape \(3,\)"):
        check_score_matrix([1, 2, 3])
    with pytest.raises(ValueError, match="y_score contains infinite values \\(first in row 1\\)"):
        check_score_matrix([[1, 2], [np.inf, 4]])
    with pytest.raises(TypeError, match="y_score must be numeric"):
        check_score_matrix([["a", "b"], ["c", "d"]])


def test_probability_closed_interval():
    from cxreval._checks import check_fraction

    assert check_fraction(0, "acc", allow_one=True) == 0.0
    assert check_fraction(1, "acc", allow_one=True) == 1.0
    assert check_fraction(np.float32(0.5), "acc", allow_one=True) == 0.5
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"acc must be in \[0, 1\], e.g. 0.5, got"):
            check_fraction(bad, "acc", allow_one=True)
    for bad in ("0.9", True, None):
        with pytest.raises(TypeError, match=r"acc must be a number in \[0, 1\], got"):
            check_fraction(bad, "acc", allow_one=True)


def test_negative_seed_is_named():
    with pytest.raises(ValueError, match="random_state must be a non-negative int, got -1"):
        check_random_state(-1)
    assert check_random_state(0).integers(10) == np.random.default_rng(0).integers(10)


def test_complex_values_are_not_numbers_here():
    with pytest.raises(TypeError, match=r"y_score must be numeric \(real numbers\), got dtype "
                       "complex128"):  # fmt: skip
        check_scores(np.array([0.1, 0.2]) + 1j)
    with pytest.raises(TypeError, match=r"y_score must be numeric .* complex128"):
        check_score_matrix(np.ones((2, 2)) + 1j)
    with pytest.raises(TypeError, match="tp must be real counts, got complex"):
        check_counts(np.array([1 + 1j]), "tp")


def test_counts_must_be_finite():
    with pytest.raises(ValueError, match="trials must be non-negative counts without NaN or inf"):
        check_counts(np.inf, "trials")
    with pytest.raises(ValueError, match="fp must be non-negative counts without NaN or inf"):
        check_counts([1, -np.inf], "fp")
    assert check_counts([0, 2], "fp").tolist() == [0.0, 2.0]


def test_labels_with_none_or_mixed_types_are_named():
    with pytest.raises(ValueError, match=r"y_true contains None \(first at index 2\)"):
        check_binary_target([0, 1, None, 1])
    with pytest.raises(
        TypeError, match="y_true must hold labels of one type, got a mix of int, str"
    ):
        check_binary_target(np.array([0, "a", 1], dtype=object))
    with pytest.raises(ValueError, match="labels contains NaN"):
        check_labels(np.array([0.0, np.nan]), "labels")
    assert check_labels(np.array(["b", "a", "b"], dtype=object), "y").tolist() == ["a", "b"]


def test_bounds():
    assert check_bounds((0, 1)) == (0.0, 1.0)
    assert check_bounds((0, np.inf)) == (0.0, np.inf)  # a ratio: bounded below only
    for bad in ((1, 0), (0.5, 0.5), (np.nan, 1)):
        with pytest.raises(ValueError, match="bounds must be \\(low, high\\) with low < high"):
            check_bounds(bad)
    with pytest.raises(TypeError, match="bounds must be a pair"):
        check_bounds(1.0)
    with pytest.raises(TypeError, match="bounds must be two numbers"):
        check_bounds(("0", 1))


def test_a_matrix_too_large_to_count_exactly_is_refused_by_name():
    """``statmaker([[1e300, 1], [1, 1e300]])`` overflowed inside the int64 cast."""
    import cxreval

    with pytest.raises(ValueError, match=r"cm counts sum past 2\*\*53"):
        cxreval.statmaker([[1e300, 1], [1, 1e300]])
    with pytest.raises(ValueError, match="cm counts sum past"):
        cxreval.statmaker([[2**52, 0], [0, 2**52 + 2]])
    assert cxreval.statmaker([[2**51, 1], [1, 2**51]]).n == 2**52 + 2


@settings(max_examples=200, deadline=None)
@given(
    dtype=st.sampled_from(["bool", "int8", "int16", "int64", "uint8", "uint32", "uint64"]),
    data=st.data(),
)
def test_distinct_integers_equals_numpy_unique(dtype, data):
    if dtype == "bool":
        values = data.draw(st.lists(st.booleans(), min_size=1, max_size=40))
    else:
        info = np.iinfo(dtype)
        low = data.draw(st.integers(int(info.min), int(info.max)))
        span = data.draw(st.sampled_from([0, 3, 300, 70_000]))
        values = data.draw(
            st.lists(st.integers(low, min(low + span, int(info.max))), min_size=1, max_size=40)
        )
    y = np.array(values, dtype=dtype)
    found, expected = distinct_integers(y), np.unique(y)
    assert found.dtype == expected.dtype and np.array_equal(found, expected)
