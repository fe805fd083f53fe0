"""cxreval._plain.to_plain: the one conversion behind every result's to_dict and report JSON."""

import datetime
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cxreval
from cxreval import BootstrapResult
from cxreval._plain import to_plain
from cxreval.sparsity_score import score_sweep


def _leaks(value, path="value"):
    """Paths inside ``value`` that are not plain Python (numpy types, tuples, arrays)."""
    if isinstance(value, dict):
        found = [f"{path} key {k!r}" for k in value if isinstance(k, (np.generic, tuple))]
        for k, v in value.items():
            found += _leaks(v, f"{path}[{k!r}]")
        return found
    if isinstance(value, list):
        return [leak for i, v in enumerate(value) for leak in _leaks(v, f"{path}[{i}]")]
    if isinstance(value, (np.generic, np.ndarray, tuple)):
        return [f"{path}: {type(value).__name__}"]
    return []


def test_numpy_scalars_arrays_and_tuples_exactly():
    value = {
        "f64": np.float64(0.25),
        "f32": np.float32(0.5),
        "f16": np.float16(1.5),
        "i8": np.int8(-3),
        "u64": np.uint64(7),
        "bool": np.bool_(True),
        "str": np.str_("x"),
        "zero_d": np.array(2.5),
        "zero_d_int": np.array(4, dtype=np.int16),
        "two_d": np.array([[1, 2], [3, 4]], dtype=np.int32),
        "two_d_float": np.array([[0.5], [1.0]], dtype=np.float32),
        "objects": np.array([np.int64(1), "a", (2, 3)], dtype=object),
        "tuple": (1, (np.int64(2), "a"), []),
        "mixed_list": [np.float64(1.0), None, True],
        np.int64(5): "numpy key",
    }
    out = to_plain(value)
    assert out == {
        "f64": 0.25,
        "f32": 0.5,
        "f16": 1.5,
        "i8": -3,
        "u64": 7,
        "bool": True,
        "str": "x",
        "zero_d": 2.5,
        "zero_d_int": 4,
        "two_d": [[1, 2], [3, 4]],
        "two_d_float": [[0.5], [1.0]],
        "objects": [1, "a", [2, 3]],
        "tuple": [1, [2, "a"], []],
        "mixed_list": [1.0, None, True],
        5: "numpy key",
    }
    assert _leaks(out) == []
    kinds = {k: type(v) for k, v in out.items() if not isinstance(v, list)}
    assert kinds == {
        "f64": float,
        "f32": float,
        "f16": float,
        "i8": int,
        "u64": int,
        "bool": bool,
        "str": str,
        "zero_d": float,
        "zero_d_int": int,
        5: str,
    }
    assert type(next(k for k in out if not isinstance(k, str))) is int
    # The input is not modified.
    assert isinstance(value["tuple"], tuple) and isinstance(value["f64"], np.float64)


def test_nested_results_become_their_dictionaries():
    boot = BootstrapResult(
        estimate=np.float64(0.5),
        low=0.25,
        high=0.75,
        se=0.125,
        level=0.95,
        ci_type="percentile",
        n_boot=10,
        stratified=False,
        seed=3,
        statistic="mean",
        replicates=np.zeros(10),
    )
    expected_boot = {
        "statistic": "mean",
        "estimate": 0.5,
        "low": 0.25,
        "high": 0.75,
        "se": 0.125,
        "level": 0.95,
        "method": "bootstrap",
        "ci_type": "percentile",
        "n_boot": 10,
        "stratified": False,
        "seed": 3,
    }
    assert to_plain({"runs": (boot, [boot]), "one": boot}) == {
        "runs": [expected_boot, [expected_boot]],
        "one": expected_boot,
    }
    # The statistics results are mappings too; their to_dict wins over the mapping view.
    stats = cxreval.statmaker([[40, 5], [3, 12]])
    plain = to_plain({"stats": stats})["stats"]
    assert plain == stats.to_dict()
    assert plain["kind"] == "binary" and plain["confusion_matrix"] == [[40, 5], [3, 12]]
    assert plain["statistics"]["tp"] == 12 and plain["ci"]["recall"] == list(stats.ci["recall"])
    # A class (not an instance) that has a to_dict method is left alone.
    assert to_plain(BootstrapResult) is BootstrapResult


def test_nan_and_inf_in_both_modes():
    value = {
        "scalars": [np.nan, np.float32(np.inf), -math.inf, np.float64(-np.inf)],
        "array": np.array([[1.0, np.nan], [np.inf, -0.5]]),
        "zero_d": np.array(np.nan),
        "tuple": (np.float16(np.nan), 2),
    }
    plain = to_plain(value)
    assert _leaks(plain) == []
    assert math.isnan(plain["scalars"][0]) and plain["scalars"][1:] == [
        math.inf,
        -math.inf,
        -math.inf,
    ]
    assert plain["array"][0][0] == 1.0 and math.isnan(plain["array"][0][1])
    assert plain["array"][1] == [math.inf, -0.5]
    assert math.isnan(plain["zero_d"]) and math.isnan(plain["tuple"][0]) and plain["tuple"][1] == 2
    assert to_plain(value, json_safe=True) == {
        "scalars": [None, None, None, None],
        "array": [[1.0, None], [None, -0.5]],
        "zero_d": None,
        "tuple": [None, 2],
    }


def test_json_safe_keys_and_unknown_objects():
    value = {
        1: "int key",
        np.int64(2): "numpy key",
        (3, 4): "tuple key",
        None: "none key",
        "path": Path("a") / "b",
        "set": {1},
        "complex": 1 + 2j,
        "complex_array": np.array([1 + 2j]),
        "date": np.datetime64("2024-01-02"),
        "bytes": b"x",
    }
    assert to_plain(value, json_safe=True) == {
        "1": "int key",
        "2": "numpy key",
        "(3, 4)": "tuple key",
        "None": "none key",
        "path": str(Path("a") / "b"),
        "set": "{1}",
        "complex": "(1+2j)",
        "complex_array": ["(1+2j)"],
        "date": "2024-01-02",
        "bytes": "b'x'",
    }
    # Without json_safe, keys keep their type and unknown objects pass through unchanged.
    plain = to_plain(value)
    assert list(plain) == [1, 2, (3, 4), None, *list(value)[4:]]
    assert plain["path"] == Path("a") / "b" and plain["set"] == {1} and plain["complex"] == 1 + 2j
    assert plain["complex_array"] == [1 + 2j] and plain["bytes"] == b"x"
    assert plain["date"] == datetime.date(2024, 1, 2)


# ------------------------------------------------------------------ every public result


_RNG = np.random.default_rng(0)
_Y = np.r_[np.zeros(30, int), np.ones(20, int)]
_S = np.clip(_Y * 0.3 + _RNG.random(50) * 0.7, 0, 1)
_S2 = np.clip(_Y * 0.2 + _RNG.random(50) * 0.8, 0, 1)
_Y3 = np.repeat([0, 1, 2], 12)
_P3 = _RNG.dirichlet([1, 1, 1], 36) + 0.5 * np.eye(3)[_Y3]
_P3 /= _P3.sum(axis=1, keepdims=True)

RESULTS = {
    "statmaker": lambda: cxreval.statmaker([[40, 5], [3, 12]]),
    "statmaker_undefined": lambda: cxreval.statmaker([[10, 0], [2, 8]]),
    "statmaker_multiclass": lambda: cxreval.statmaker([[5, 1, 0], [2, 6, 1], [0, 1, 7]]),
    "roc_curve": lambda: cxreval.roc_curve(_Y, _S),
    "pr_curve": lambda: cxreval.pr_curve(_Y, _S),
    "roc_auc_ci": lambda: cxreval.roc_auc_ci(_Y, _S),
    "roc_auc_ci_bootstrap": lambda: cxreval.roc_auc_ci(
        _Y, _S, ci_method="bootstrap", n_boot=50, random_state=0
    ),
    "roc_band": lambda: cxreval.roc_band(_Y, _S, n_boot=40, random_state=0),
    "delong_test": lambda: cxreval.delong_test(_Y, _S, _S2),
    "delong_test_unpaired": lambda: cxreval.delong_test_unpaired(_Y, _S, _Y, _S2),
    "bootstrap_auc_test": lambda: cxreval.bootstrap_auc_test(
        _Y, _S, _S2, n_boot=40, random_state=0
    ),
    "reliability_curve": lambda: cxreval.reliability_curve(_Y, _S, n_bins=5),
    "decision_curve": lambda: cxreval.decision_curve(_Y, {"a": _S, "b": _S2}),
    "score_sweep": lambda: score_sweep([0.0, 0.5, 0.9], [0.9, 0.88, 0.6], prevalence=0.6),
    "operating_point": lambda: cxreval.operating_point(_Y, _S, n_boot=40, random_state=0),
    "bootstrap": lambda: cxreval.bootstrap(np.mean, _S, n_boot=40, random_state=0),
    "bootstrap_vector": lambda: cxreval.bootstrap(
        lambda a: np.array([a.mean(), a.std()]), _S, n_boot=40, random_state=0
    ),
    "roc_auc_multiclass": lambda: cxreval.roc_auc_multiclass(_Y3, _P3, n_boot=40, random_state=0),
    "evaluate": lambda: cxreval.evaluate(_Y, _S, n_boot=40, random_state=0),
    "compare": lambda: cxreval.compare(_Y, {"a": _S, "b": _S2}, n_boot=40, random_state=0),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_every_to_dict_is_plain_and_strict_json(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = RESULTS[name]()
    d = result.to_dict()
    assert isinstance(d, dict) and _leaks(d) == []
    # to_dict output is a fixed point of to_plain (repr compares NaN and float types too).
    assert repr(to_plain(d)) == repr(d) == repr(to_plain(result))
    text = json.dumps(to_plain(d, json_safe=True), allow_nan=False)
    assert json.loads(text) == to_plain(result, json_safe=True)


def test_statistics_with_undefined_values_need_json_safe():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = cxreval.statmaker([[10, 0], [2, 8]]).to_dict()
    assert math.isnan(d["statistics"]["lr_positive"])  # FP = 0: sensitivity / 0
    with pytest.raises(ValueError, match="Out of range float values"):
        json.dumps(d, allow_nan=False)
    assert to_plain(d, json_safe=True)["statistics"]["lr_positive"] is None


def test_former_numpy_and_tuple_leaks_are_python_now():
    ci = cxreval.roc_auc_ci(_Y, _S).to_dict()
    test = cxreval.delong_test(_Y, _S, _S2).to_dict()
    assert type(ci["low"]) is float and type(ci["high"]) is float
    assert type(test["low"]) is float and type(test["high"]) is float
    sweep = score_sweep([0.0, 0.5, 0.9], [0.9, 0.88, 0.6], prevalence=0.6)
    assert sweep.to_dict()["reasons"] == list(sweep.reasons)


# ------------------------------------------------------------------------- properties

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.floats(allow_nan=True, allow_infinity=True).map(np.float64),
    st.floats(width=32, allow_nan=True, allow_infinity=True).map(np.float32),
    st.integers(-100, 100).map(np.int8),
    st.integers(0, 2**40).map(np.uint64),
    st.booleans().map(np.bool_),
)
_arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.int32, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3),
)
_data = st.recursive(
    st.one_of(_scalars, _arrays),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(-5, 5)), inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_data)
def test_to_plain_is_idempotent_and_leaves_no_numpy(value):
    plain = to_plain(value)
    assert _leaks(plain) == []
    assert repr(to_plain(plain)) == repr(plain)
    safe = to_plain(value, json_safe=True)
    assert _leaks(safe) == []
    assert to_plain(safe, json_safe=True) == safe
    assert to_plain(plain, json_safe=True) == safe
    assert json.loads(json.dumps(safe, allow_nan=False)) == safe
