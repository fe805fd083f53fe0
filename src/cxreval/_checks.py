"""Input validation shared by every public function of :mod:`cxreval`.

Every check raises :class:`ValueError` or :class:`TypeError` whose message names the
argument and says what was expected, so a user sees *which* input is wrong.

One job: checking the inputs of cxreval's public functions (long because every kind of
argument has its one check here).
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cxreval._plain import to_plain
from cxreval.exceptions import UndefinedStatisticWarning

__all__ = [
    "MAX_UNSEEN_PREDICTED",
    "MIN_N_PERM",
    "N_BOOT_RECOMMENDED",
    "N_BOOT_WARN_BELOW",
    "SCORES_ADVICE",
    "ZERO_DIVISION_CHOICES",
    "broadcast_counts",
    "caller_stacklevel",
    "check_array_1d",
    "check_beta",
    "check_binary_probabilities",
    "check_binary_scores",
    "check_binary_target",
    "check_bounds",
    "check_choice",
    "check_class_names",
    "check_confusion_matrix",
    "check_consistent_length",
    "check_counts",
    "check_fraction",
    "check_groups",
    "check_labels",
    "check_level",
    "check_limits",
    "check_n_boot",
    "check_n_perm",
    "check_positive_int",
    "check_positive_number",
    "check_predicted_labels",
    "check_prevalence",
    "check_probability_grid",
    "check_random_state",
    "check_rates",
    "check_real_dtype",
    "check_score_matrix",
    "check_scores",
    "check_target",
    "check_threshold",
    "check_unseen_predictions",
    "check_zero_division",
    "flatten_column",
    "min_n_boot",
]

#: The values ``zero_division=`` accepts, as the error and warning messages name them.
ZERO_DIVISION_CHOICES = '"warn", 0.0, 1.0 or numpy.nan'


def check_path(path: Any, name: str) -> Path:
    """``path`` (str or path-like) as a :class:`pathlib.Path`; anything else raises a
    TypeError naming ``name``."""
    if isinstance(path, (str, os.PathLike)):
        return Path(path)
    raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(path).__name__}")


def check_bool(value: Any, name: str) -> bool:
    """``value`` if it is a bool (numpy's included), else a TypeError naming ``name``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


#: Policies for uncertain labels coded -1 (CheXpert): what -1 becomes.
UNCERTAIN_POLICIES = {"ignore": np.nan, "zeros": 0.0, "ones": 1.0}


def warn_undefined(message: str) -> None:
    """Warn with :class:`~cxreval.UndefinedStatisticWarning`, pointing at the user's code."""
    warnings.warn(message, UndefinedStatisticWarning, stacklevel=caller_stacklevel())


def check_multilabel_target(
    y_true: Any, *, uncertain: str = "ignore", name: str = "y_true"
) -> tuple[np.ndarray, np.ndarray]:
    """``(labels, uncertain_mask)``: float (n, L) of 1, 0 and NaN (missing) after the policy.

    1-D input is one finding (n, 1). Values must be 0, 1, -1 (uncertain: NaN, 0 or 1 by
    ``uncertain``) or NaN / None (missing); anything else is a ValueError naming ``name``
    and the first bad value; strings are a TypeError.
    """
    uncertain = check_choice(uncertain, "uncertain", tuple(UNCERTAIN_POLICIES))
    try:
        raw = np.asarray(y_true)
    except Exception as exc:  # ragged rows
        raise ValueError(f"{name} could not be read as an array: {exc}") from exc
    if raw.dtype == object:
        try:
            raw = np.where(raw == None, np.nan, raw).astype(float)  # noqa: E711
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must hold numbers 1, 0, -1 or NaN: {exc}") from exc
    if raw.dtype == bool:
        raw = raw.astype(float)
    check_real_dtype(raw, name)
    y = raw.astype(float)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty (n, L) array, got shape {raw.shape}")
    bad = ~(np.isnan(y) | np.isin(y, (0.0, 1.0, -1.0)))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must hold 1, 0, -1 (uncertain) or NaN (missing), got {float(y[row, col])!r} "
            f"at row {row}, column {col} ({int(bad.sum())} such values)"
        )
    is_uncertain = y == -1.0
    y[is_uncertain] = UNCERTAIN_POLICIES[uncertain]
    return y, is_uncertain


def check_multilabel_scores(
    y_score: Any, y_true: np.ndarray, name: str = "y_score", target: str = "y_true"
) -> np.ndarray:
    """Float scores of the shape of the checked ``y_true``, finite wherever a label is known.

    A score may be NaN where its label is missing (it is not used).
    """
    try:
        raw = np.asarray(y_score)
    except Exception as exc:
        raise ValueError(f"{name} could not be read as an array: {exc}") from exc
    if raw.dtype == bool:
        raise TypeError(f"{name} must be numeric (real, not bool), got dtype {raw.dtype}")
    check_real_dtype(raw, name)
    score = raw.astype(float)
    if score.ndim == 1:
        score = score[:, None]
    if score.shape != y_true.shape:
        raise ValueError(
            f"{name} must have the shape of {target} {y_true.shape} (images x findings), "
            f"got {raw.shape}"
        )
    bad = ~np.isfinite(score) & ~np.isnan(y_true)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must be finite where the label is known; got {score[row, col]} at row "
            f"{row}, column {col}"
        )
    return score


def check_subgroups(subgroups: Any, n_samples: int) -> dict[str, np.ndarray]:
    """Subgroup columns as ``{name: 1-D array}``; one column is named ``"subgroup"``.

    Raises ValueError naming the column when it is not 1-D, has another length than
    ``n_samples`` or holds NaN or None; TypeError when ``subgroups`` is a string or a
    mapping with non-string names.
    """
    if isinstance(subgroups, str):
        raise TypeError("subgroups must be one column (array-like) or a mapping of columns")
    columns = dict(subgroups) if isinstance(subgroups, Mapping) else {"subgroup": subgroups}
    if not columns:
        raise ValueError("subgroups holds no column")
    checked = {}
    for name, column in columns.items():
        if not isinstance(name, str):
            raise TypeError(f"subgroups' names must be str, got {name!r}")
        label = "subgroups" if len(columns) == 1 and name == "subgroup" else f"subgroups[{name!r}]"
        arr = check_array_1d(column, label)
        if len(arr) != n_samples:
            raise ValueError(
                f"{label} must hold one subgroup per image ({n_samples}), got {len(arr)} entries"
            )
        check_labels(arr, label)
        checked[name] = arr
    return checked


def check_level(level: float, name: str = "level") -> float:
    """Return ``level`` as a float strictly between 0 and 1, or raise ValueError."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{name} must be a number in (0, 1), got {type(level).__name__}")
    level = float(level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"{name} must be in (0, 1), e.g. 0.95, got {level!r}")
    return level


#: The sides of a one- or two-sided interval or test, R's words: ``"greater"`` asks for
#: a lower bound (the interval ``[low, max]``), ``"less"`` for an upper one.
ALTERNATIVE_CHOICES = ("two-sided", "greater", "less")


def check_alternative(alternative: Any, name: str = "alternative") -> str:
    """Return ``alternative`` when it is ``"two-sided"``, ``"greater"`` or ``"less"``."""
    if not isinstance(alternative, str) or alternative not in ALTERNATIVE_CHOICES:
        raise ValueError(
            f'{name} must be "two-sided", "greater" (a lower bound) or "less" (an upper '
            f"bound), got {alternative!r}"
        )
    return alternative


def check_sample_weight(sample_weight: Any, n: int, name: str = "sample_weight") -> np.ndarray:
    """Return ``sample_weight`` as ``n`` finite non-negative floats with a positive sum."""
    weight = check_array_1d(sample_weight, name, numeric=True).astype(float)
    if len(weight) != n:
        raise ValueError(f"{name} has {len(weight)} weights for {n} cases")
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError(f"{name} must hold finite non-negative numbers")
    if weight.sum() <= 0:
        raise ValueError(f"{name} must not be all zero")
    return weight


def check_choice_or_none(value: Any, name: str, choices: tuple[str, ...]) -> str | None:
    """Return ``value`` when it is None or one of ``choices`` (strings), else raise."""
    if value is None or (isinstance(value, str) and value in choices):
        return value
    options = ", ".join(repr(c) for c in choices)
    raise ValueError(f"{name} must be None or one of {options}, got {value!r}")


def check_direction(direction: Any) -> str:
    """Return ``direction`` when it is ``"<"``, ``">"`` or ``"auto"`` (pROC's words)."""
    if not isinstance(direction, str) or direction not in ("<", ">", "auto"):
        raise ValueError(
            'direction must be "<" (higher scores mean positive), ">" (lower scores mean '
            f'positive) or "auto", got {direction!r}'
        )
    return direction


#: The number of bootstrap resamples recommended (pROC's ``boot.n``).
N_BOOT_RECOMMENDED = 2000

#: Fewer resamples than this are accepted (down to :func:`min_n_boot`) with a UserWarning:
#: the bounds then move noticeably from one seed to the next.
N_BOOT_WARN_BELOW = 1000


def min_n_boot(level: float) -> int:
    """The fewest bootstrap resamples that can form an interval at ``level``.

    Each tail beyond a percentile interval must hold at least one resample:
    ``(n_boot + 1) * (1 - level) / 2 >= 1``, i.e. ``n_boot >= 2 / (1 - level) - 1``
    (Davison & Hinkley 1997, section 5.2.3): 19 at 90 %, 39 at 95 %, 199 at 99 %. With
    fewer, the "interval" is the range of the resamples, or a single resample.
    """
    return max(2, math.ceil(2.0 / (1.0 - level) - 1.0 - 1e-9))


def check_n_boot(n_boot: Any, level: float, *, warn: bool = True) -> int:
    """Return ``n_boot`` as an int of at least :func:`min_n_boot` ``(level)``, or raise.

    ``level`` must already be checked. Below :data:`N_BOOT_WARN_BELOW` a UserWarning
    naming ``n_boot`` recommends :data:`N_BOOT_RECOMMENDED` (unless ``warn`` is False, for
    a function that only validates an ``n_boot`` it does not use).
    """
    n_boot = check_positive_int(n_boot, "n_boot")
    least = min_n_boot(level)
    if n_boot < least:
        raise ValueError(
            f"n_boot={n_boot} is too few resamples for a {100 * level:g}% interval: at "
            f"least {least} are needed, so that each tail beyond the interval holds one "
            f"resample ((n_boot + 1) * (1 - level) / 2 >= 1); {N_BOOT_RECOMMENDED} is "
            "recommended"
        )
    if warn and n_boot < N_BOOT_WARN_BELOW:
        warnings.warn(
            f"n_boot={n_boot} resamples give interval bounds that move from seed to seed; "
            f"{N_BOOT_RECOMMENDED} is recommended",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    return n_boot


#: The fewest permutations of a permutation test (``n_perm=``): with fewer, even the
#: smallest Monte Carlo p-value ``1 / (n_perm + 1)`` is above 0.05.
MIN_N_PERM = 19


def check_n_perm(n_perm: Any) -> int:
    """Return ``n_perm`` as an int of at least :data:`MIN_N_PERM`, or raise.

    The rule of :func:`check_n_boot` for a permutation test: a test at the 5 % level
    needs ``(n_perm + 1) * 0.05 >= 1`` (Davison & Hinkley 1997, section 4.2.5), i.e.
    19 permutations; below :data:`N_BOOT_WARN_BELOW` a UserWarning naming ``n_perm``
    recommends :data:`N_BOOT_RECOMMENDED` (the p-value then moves from seed to seed).
    """
    n_perm = check_positive_int(n_perm, "n_perm")
    if n_perm < MIN_N_PERM:
        raise ValueError(
            f"n_perm={n_perm} is too few permutations for a test: at least {MIN_N_PERM} are "
            "needed, so that a p-value below 0.05 is possible ((n_perm + 1) * 0.05 >= 1); "
            f"{N_BOOT_RECOMMENDED} is recommended"
        )
    if n_perm < N_BOOT_WARN_BELOW:
        warnings.warn(
            f"n_perm={n_perm} permutations give p-values that move from seed to seed; "
            f"{N_BOOT_RECOMMENDED} is recommended",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    return n_perm


def check_fraction(value: Any, name: str, *, allow_one: bool = False) -> float:
    """Return ``value`` as a float in [0, 1) -- or [0, 1] with ``allow_one`` -- or raise.

    Without ``allow_one``, for fractions where 0 is allowed and 1 is not, such as a
    pruning sparsity (0 keeps every weight; 1 would remove them all); with it, for one
    number that may be 0 or 1, such as an accuracy. A bool or a string such as ``"0.9"``
    is a TypeError, not a number.
    """
    interval = "[0, 1]" if allow_one else "[0, 1)"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in {interval}, got {type(value).__name__}")
    value = float(value)
    if not (0.0 <= value <= 1.0 if allow_one else 0.0 <= value < 1.0):
        raise ValueError(f"{name} must be in {interval}, e.g. 0.5, got {value!r}")
    return value


def check_random_state(random_state: Any) -> np.random.Generator:
    """Turn ``random_state`` (None, int, Generator or SeedSequence) into a Generator."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(random_state, bool):
            raise TypeError("random_state must be None, an int or a numpy.random.Generator")
        if isinstance(random_state, numbers.Integral) and random_state < 0:
            raise ValueError(f"random_state must be a non-negative int, got {random_state}")
        return np.random.default_rng(random_state)
    raise TypeError(
        "random_state must be None, an int or a numpy.random.Generator, "
        f"got {type(random_state).__name__}"
    )


def check_array_1d(x: Any, name: str, *, numeric: bool = False) -> np.ndarray:
    """Return ``x`` as a non-empty 1-D array; a column vector (n, 1) is flattened."""
    try:
        arr = flatten_column(x)
    except Exception as exc:  # ragged input and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if numeric:
        if arr.dtype == bool:
            arr = arr.astype(float)
        check_real_dtype(arr, name)
    return arr


def flatten_column(x: Any) -> np.ndarray:
    """``x`` as an array; a column vector (n, 1), as a sigmoid output, becomes 1-D (any
    other shape is returned as it is)."""
    arr = np.asarray(x)
    return arr[:, 0] if arr.ndim == 2 and arr.shape[1] == 1 else arr


def check_real_dtype(arr: np.ndarray, name: str) -> None:
    """Raise TypeError naming ``name`` unless ``arr`` holds real numbers (not complex)."""
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be numeric (real numbers), got dtype {arr.dtype}")


def check_counts(x: Any, name: str) -> np.ndarray:
    """Return counts (scalar or array) as floats, or raise on NaN, inf or negatives.

    Counts are numbers: strings (even ``"3"``), booleans and None are a TypeError, as in
    :func:`check_confusion_matrix`.
    """
    try:
        raw = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} could not be read as counts: {exc}") from exc
    if raw.dtype == object:
        kinds = {type(v).__name__ for v in raw.ravel() if not _is_real(v)}
        if kinds:
            raise TypeError(f"{name} must be numeric counts, got {', '.join(sorted(kinds))}")
    elif raw.dtype == bool or not np.issubdtype(raw.dtype, np.number):
        raise TypeError(f"{name} must be numeric counts, got dtype {raw.dtype}")
    if np.iscomplexobj(raw):
        raise TypeError(f"{name} must be real counts, got complex values")
    arr = raw.astype(float)
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"{name} must be non-negative counts without NaN or inf")
    return arr


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def broadcast_counts(**counts: np.ndarray) -> list[np.ndarray]:
    """The arrays broadcast to one shape, or a ValueError naming them and their shapes."""
    try:
        return np.broadcast_arrays(*counts.values())
    except ValueError:
        detail = ", ".join(f"{k} {np.shape(v)}" for k, v in counts.items())
        raise ValueError(
            f"{', '.join(counts)} must have one shape (or broadcast to one), got {detail}"
        ) from None


def check_consistent_length(**arrays: np.ndarray) -> int:
    """Raise ValueError naming the arrays when their lengths differ; return the length."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise ValueError(f"arrays must have the same length, got {detail}")
    return next(iter(lengths.values()))


def check_scores(y_score: Any, name: str = "y_score") -> np.ndarray:
    """Return a 1-D float array of finite scores or raise ValueError naming the problem."""
    score = check_array_1d(y_score, name, numeric=True).astype(float, copy=False)
    bad = ~np.isfinite(score)
    if bad.any():
        kind = "NaN" if np.isnan(score).any() else "infinite"
        raise ValueError(f"{name} contains {kind} values (first at index {int(np.argmax(bad))})")
    return score


def check_binary_target(
    y_true: Any, *, pos_label: Any = None, name: str = "y_true"
) -> tuple[np.ndarray, Any]:
    """Validate a binary target and return ``(is_positive, positive_label)``.

    Both classes must be present. ``pos_label`` defaults to the larger of the two sorted
    labels (1 for {0, 1}, True for booleans), as scikit-learn does.
    """
    y = check_array_1d(y_true, name)
    classes = check_labels(y, name)
    if len(classes) > 2:
        raise ValueError(
            f"{name} must be binary, got {len(classes)} labels {classes.tolist()[:10]}; "
            "use the multi-class functions for more than two classes"
        )
    if pos_label is None:
        if len(classes) < 2:
            raise ValueError(
                f"{name} contains one class only ({classes.tolist()}); both classes are needed"
            )
        pos_label = classes[-1]
    elif pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label!r} is not a label of {name} {classes.tolist()}")
    if len(classes) < 2:
        raise ValueError(
            f"{name} contains one class only ({classes.tolist()}); both classes are needed"
        )
    pos_label = pos_label.item() if isinstance(pos_label, np.generic) else pos_label
    return y == pos_label, pos_label


def distinct_integers(y: np.ndarray) -> np.ndarray:
    """``numpy.unique(y)`` of a non-empty bool or integer array, by counting when the
    values span fewer than 2^16 integers (labels usually do: one pass instead of a sort
    or a hash of n values).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval._checks import distinct_integers
    >>> distinct_integers(np.array([3, 1, 3, 7])), distinct_integers(np.array([True, True]))
    (array([1, 3, 7]), array([ True]))
    """
    if y.dtype.kind == "b":
        return np.array([v for v in (False, True) if (y == v).any()], dtype=bool)
    low = y.min()
    if int(y.max()) - int(low) >= 1 << 16:
        return np.unique(y)
    # offsets from the minimum, computed where they cannot wrap (int8: -100..100 spans 200)
    offsets = y - low if y.dtype.kind == "u" else y.astype(np.int64) - np.int64(low)
    present = np.flatnonzero(np.bincount(offsets.astype(np.intp, copy=False)))
    if y.dtype.kind == "u":
        return present.astype(y.dtype) + low
    return (present.astype(np.int64) + np.int64(low)).astype(y.dtype)


def check_labels(y: np.ndarray, name: str = "y_true") -> np.ndarray:
    """The sorted distinct labels of a 1-D array; raise naming ``name`` on NaN, None or
    labels of mixed types that cannot be sorted (e.g. numbers and strings)."""
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(f"{name} contains NaN")
    if y.dtype == object:
        missing = [i for i, v in enumerate(y) if v is None]
        if missing:
            raise ValueError(f"{name} contains None (first at index {missing[0]})")
    if y.dtype.kind in "biu" and y.size:
        return distinct_integers(y)
    try:
        return np.unique(y)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in y})
        raise TypeError(
            f"{name} must hold labels of one type, got a mix of {', '.join(kinds)}"
        ) from exc


def check_groups(
    groups: Any, n_samples: int, *, name: str = "groups", min_clusters: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Validate cluster IDs (one per image): ``(codes 0..K-1, the K sorted IDs)``.

    Raises ValueError naming ``name`` when it is not 1-D, has another length than
    ``n_samples``, holds NaN or None, or has fewer than ``min_clusters`` distinct IDs;
    TypeError when the IDs mix types that cannot be sorted.
    """
    arr = check_array_1d(groups, name)
    if len(arr) != n_samples:
        raise ValueError(
            f"{name} must hold one cluster ID per image ({n_samples}), got {len(arr)} entries"
        )
    if arr.dtype == object:
        missing = [i for i, v in enumerate(arr) if isinstance(v, float) and np.isnan(v)]
        if missing:
            raise ValueError(f"{name} contains NaN (first at index {missing[0]})")
    ids = check_labels(arr, name)
    if len(ids) < min_clusters:
        raise ValueError(
            f"{name} holds {len(ids)} cluster(s) only ({ids.tolist()[:3]}); at least "
            f"{min_clusters} are needed for a between-cluster variance"
        )
    return np.searchsorted(ids, arr), ids


#: What to do with scores passed as predicted labels (the end of those messages).
SCORES_ADVICE = (
    "pass scores as y_score= with a threshold= (statmaker_from_predictions, "
    "bootstrap_statmaker), or threshold them first, e.g. y_pred = y_score >= 0.5"
)

#: More predicted-only classes than this (or than twice y_true's classes) means scores.
MAX_UNSEEN_PREDICTED = 20


def check_unpaired_groups(
    groups_a: Any, groups_b: Any, n_a: int, n_b: int
) -> tuple[list[np.ndarray] | None, int | None]:
    """Patient IDs of two independent samples: ``(codes, n_clusters)``.

    ``codes`` holds each sample's patient codes (0..K-1; a sample without IDs has one
    image per patient) and ``n_clusters`` the patients of both; ``(None, None)`` when
    neither sample has IDs. Each is checked as ``groups`` is (named ``groups_a``,
    ``groups_b``), and a patient in both samples is refused: an unpaired test assumes
    independent samples.

    Examples
    --------
    >>> from cxreval._checks import check_unpaired_groups
    >>> codes, k = check_unpaired_groups(["p1", "p1", "p2"], None, 3, 2)
    >>> [c.tolist() for c in codes], k
    ([[0, 0, 1], [0, 1]], 4)
    """
    if groups_a is None and groups_b is None:
        return None, None
    codes, ids = [], []
    for name, groups, n in (("groups_a", groups_a, n_a), ("groups_b", groups_b, n_b)):
        if groups is None:
            codes.append(np.arange(n))
            ids.append(None)
            continue
        c, i = check_groups(groups, n, name=name)
        codes.append(c)
        ids.append(i)
    if ids[0] is not None and ids[1] is not None:
        shared = set(ids[0].tolist()) & set(ids[1].tolist())
        if shared:
            raise ValueError(
                f"groups_a and groups_b share {len(shared)} patient(s) "
                f"({sorted(shared, key=str)[:5]}): an unpaired test needs independent "
                "samples; compare the shared images with the paired test (groups=), or "
                "drop the shared patients from one sample"
            )
    return codes, sum(int(c.max()) + 1 for c in codes)


def _whole(arr: np.ndarray) -> bool:
    return arr.dtype.kind != "f" or bool(np.all(arr == np.round(arr)))


def check_predicted_labels(y_true: np.ndarray, y_pred: np.ndarray, name: str = "y_pred") -> None:
    """Refuse predicted labels that are scores: ``y_pred`` holds non-whole numbers (e.g.
    0.73) while every label of ``y_true`` is a whole number, a bool or a string."""
    if _whole(y_pred) or not _whole(y_true):
        return
    at = int(np.argmax(y_pred != np.round(y_pred)))
    raise ValueError(
        f"{name} must hold predicted labels, but it holds non-integer numbers (first "
        f"{float(y_pred[at]):.6g} at index {at}) while the labels of y_true are whole "
        f"numbers: these look like scores or probabilities; {SCORES_ADVICE}"
    )


def check_unseen_predictions(n_true: int, unseen: list, name: str = "y_pred") -> None:
    """Refuse predictions with more classes absent from y_true than
    ``max(2 * n_true, MAX_UNSEEN_PREDICTED)``: they are scores, not labels (pass ``labels=``
    to count predictions of many classes the test set lacks)."""
    if len(unseen) > max(2 * n_true, MAX_UNSEEN_PREDICTED):
        raise ValueError(
            f"{name} holds {len(unseen)} values that are not labels of y_true (which has "
            f"{n_true}), e.g. {unseen[:5]}: these look like scores, not predicted labels; "
            f"{SCORES_ADVICE} (or pass labels= if they really are classes)"
        )


def _number_pair(pair: Any, name: str, a_pair: str, numbers_: str) -> tuple[float, float]:
    """``pair`` as two floats; TypeError "``name`` must be ``a_pair``" when it is not a pair,
    "... must be ``numbers_``" when one of them is not a real number (or is a bool)."""
    try:
        first, second = pair
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be {a_pair}, got {pair!r}") from exc
    for value in (first, second):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be {numbers_}, got {pair!r}")
    return float(first), float(second)


def check_bounds(bounds: Any, name: str = "bounds") -> tuple[float, float]:
    """Return ``(low, high)`` as floats with ``low < high`` (each may be infinite, not NaN)."""
    low, high = _number_pair(bounds, name, "a pair (low, high)", "two numbers (low, high)")
    if not low < high:  # also False with NaN
        raise ValueError(f"{name} must be (low, high) with low < high, got {bounds!r}")
    return low, high


def check_limits(limits: Any, name: str = "limits") -> tuple[float, float]:
    """``(lo, hi)`` with ``0 <= lo < hi <= 1`` from a pair in either order, or raise
    TypeError/ValueError naming ``name`` (the range of a partial AUC)."""
    expected = "a pair of numbers in [0, 1]"
    lo, hi = sorted(_number_pair(limits, name, expected, expected))
    if not (0.0 <= lo < hi <= 1.0):  # also False with NaN
        raise ValueError(
            f"{name} must be two different numbers in [0, 1], e.g. (0.8, 1.0), got {limits!r}"
        )
    return lo, hi


def check_rates(values: Any, name: str) -> tuple[np.ndarray, bool]:
    """``(rates as a 1-D float array, whether a single number was given)``; every value
    must be a number in [0, 1] (sensitivities or specificities to read a ROC curve at)."""
    if isinstance(values, numbers.Real) and not isinstance(values, bool):
        scalar, values = True, [values]
    elif isinstance(values, (bool, str)):
        raise TypeError(f"{name} must be a number in [0, 1] or an array of them, got {values!r}")
    else:
        scalar = False
    rates = check_array_1d(values, name, numeric=True).astype(float)
    if not np.all((rates >= 0) & (rates <= 1)):  # also False with NaN
        raise ValueError(f"{name} must hold numbers in [0, 1], got {rates.tolist()[:5]}")
    return rates, scalar


def check_binary_probabilities(
    y_true: Any, y_prob: Any, *, pos_label: Any = None, name: str = "y_prob"
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a binary target and probabilities in [0, 1] of the same length.

    Returns ``(is_positive, probabilities)``; see :func:`check_binary_target`.
    """
    is_positive, _ = check_binary_target(y_true, pos_label=pos_label)
    prob = check_scores(y_prob, name)
    check_consistent_length(y_true=is_positive, **{name: prob})
    if prob.min() < 0 or prob.max() > 1:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values in "
            f"[{prob.min():.4g}, {prob.max():.4g}]"
        )
    return is_positive, prob


def check_binary_scores(
    y_true: Any, y_score: Any, pos_label: Any = None, name: str = "y_score"
) -> tuple[np.ndarray, np.ndarray, Any]:
    """Validate a binary target and its scores: ``(is_positive, scores, positive_label)``."""
    score = check_scores(y_score, name)
    is_pos, pos_label = check_binary_target(y_true, pos_label=pos_label)
    check_consistent_length(y_true=is_pos, **{name: score})
    return is_pos, score, pos_label


def check_confusion_matrix(cm: Any) -> np.ndarray:
    """Return a K x K (K >= 2) matrix of non-negative integer counts as int64, or raise."""
    try:
        arr = np.asarray(cm)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"cm could not be read as a matrix: {exc}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number)):
        raise TypeError(f"cm must hold integer counts, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"cm must hold integer counts, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError("cm is empty")
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"cm must be a square K x K matrix, got shape {arr.shape}")
    if arr.shape[0] < 2:
        raise ValueError(f"cm must have at least 2 classes, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError("cm contains NaN")
        if not np.isfinite(arr).all():
            raise ValueError("cm contains infinite values")
        if (arr != np.round(arr)).any():
            raise ValueError("cm must hold integer counts, got non-integer values")
    if (arr < 0).any():
        raise ValueError("cm must hold non-negative counts, got a negative entry")
    if arr.sum() == 0:
        raise ValueError("cm is all zeros: there is nothing to evaluate")
    if float(np.sum(arr, dtype=np.float64)) > 2**53:
        raise ValueError(
            "cm counts sum past 2**53: too large to compute with exactly "
            f"(total {float(np.sum(arr, dtype=np.float64)):.3g})"
        )
    return arr.astype(np.int64)


def check_class_names(labels: Any, k: int, name: str = "labels") -> tuple:
    """The names of the K classes of a confusion matrix (default ``0 .. K-1``), as a tuple
    of distinct plain values, or raise naming ``name``."""
    if labels is None:
        return tuple(range(k))
    if isinstance(labels, str) or not hasattr(labels, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of {k} class labels, got {type(labels).__name__}"
        )
    if isinstance(labels, np.ndarray):
        values = check_array_1d(labels, name).tolist()
    else:
        values = [to_plain(x) for x in labels]
    if len(values) != k:
        raise ValueError(f"{name} has {len(values)} entries but cm is {k} x {k}")
    if len(set(values)) != k:
        raise ValueError(f"{name} must be unique, got {values}")
    return tuple(values)


def check_zero_division(zero_division: Any) -> str | float:
    """Return ``zero_division`` ("warn", 0.0, 1.0 or NaN), or raise ValueError."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return zero_division
    elif isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        value = float(zero_division)
        if np.isnan(value) or value in (0.0, 1.0):
            return value
    raise ValueError(f"zero_division must be {ZERO_DIVISION_CHOICES}, got {zero_division!r}")


def check_positive_number(value: Any, name: str, *, allow_none: bool = False) -> float | None:
    """Return ``value`` as a positive finite float (None passes with ``allow_none``), or
    raise TypeError/ValueError naming ``name``."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def check_beta(beta: Any) -> float:
    """Return the F-beta ``beta`` as a positive finite float, or raise."""
    return check_positive_number(beta, "beta")


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` when it is one of ``choices`` (strings), else raise ValueError."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int >= 1, or raise TypeError/ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_score_matrix(y_score: Any, name: str = "y_score") -> np.ndarray:
    """Return a 2-D float array (cases x classes, >= 2 columns) of finite scores."""
    try:
        score = np.asarray(y_score)
    except Exception as exc:
        raise ValueError(f"{name} could not be read as an array: {exc}") from exc
    if score.ndim != 2 or score.shape[1] < 2:
        raise ValueError(
            f"{name} must be 2-D with one column per class (>= 2), got shape {score.shape}"
        )
    if score.shape[0] == 0:
        raise ValueError(f"{name} is empty")
    if score.dtype == bool:
        raise TypeError(f"{name} must be numeric (real, not bool), got dtype {score.dtype}")
    check_real_dtype(score, name)
    score = score.astype(float, copy=False)
    bad = ~np.isfinite(score)
    if bad.any():
        kind = "NaN" if np.isnan(score).any() else "infinite"
        row = int(np.argmax(bad.any(axis=1)))
        raise ValueError(f"{name} contains {kind} values (first in row {row})")
    return score


def check_threshold(threshold: Any, name: str = "threshold") -> float:
    """Return a decision threshold as a finite float, or raise TypeError/ValueError."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(threshold).__name__}")
    if not np.isfinite(threshold):
        raise ValueError(f"{name} must be finite, got {threshold!r}")
    return float(threshold)


def check_probability_grid(thresholds: Any) -> np.ndarray:
    """A grid of threshold probabilities in increasing order; each strictly between 0 and 1,
    none twice (the grid of a decision curve)."""
    grid = check_array_1d(thresholds, "thresholds", numeric=True).astype(float)
    if not np.all((grid > 0) & (grid < 1)):
        raise ValueError("thresholds must lie strictly between 0 and 1")
    grid = np.sort(grid)
    repeated = grid[1:][grid[1:] == grid[:-1]]
    if repeated.size:
        raise ValueError(f"thresholds must not repeat a value, got {repeated[0]:g} twice")
    return grid


def check_target(criterion: str, target: Any) -> float | None:
    """The target sensitivity or specificity of an operating-point ``criterion`` (None for
    the criteria without one), or raise."""
    if criterion in ("youden", "closest_topleft"):
        if target is not None:
            raise ValueError(f"target is not used by criterion={criterion!r}; leave it None")
        return None
    if target is None:
        raise ValueError(f"criterion={criterion!r} needs target=, a {criterion} in [0, 1]")
    if isinstance(target, bool) or not isinstance(target, numbers.Real):
        raise TypeError(
            f"target must be a real number, a {criterion} in [0, 1], got {type(target).__name__}"
        )
    target = float(target)
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target must be a {criterion} in [0, 1], got {target!r}")
    return target


def check_prevalence(prevalence: Any) -> np.ndarray:
    """Class fractions from a positive-class prevalence or a sequence of fractions."""
    values = np.asarray(prevalence)
    if values.dtype == bool or not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"prevalence must be a number or a sequence of numbers, got {prevalence!r}")
    fractions = np.atleast_1d(values.astype(float))
    if fractions.ndim != 1 or not np.all(np.isfinite(fractions)):
        raise ValueError(f"prevalence must be a number or a 1-D sequence, got {prevalence!r}")
    if fractions.size == 1:
        p = float(fractions[0])
        if not 0.0 < p < 1.0:
            raise ValueError(f"prevalence must be in (0, 1), got {p!r}")
        return np.array([1.0 - p, p])
    if np.any(fractions < 0) or not np.isclose(fractions.sum(), 1.0):
        raise ValueError("prevalence as a sequence must hold class fractions summing to 1")
    return fractions


def caller_stacklevel() -> int:
    """``stacklevel`` for :func:`warnings.warn` that points at the first frame outside cxreval.

    Called from inside the function that warns, it counts the frames up to the user's code,
    however deep inside the package the warning is raised.
    """
    package = os.path.dirname(os.path.abspath(__file__))
    frame, depth = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, depth = frame.f_back, depth + 1
    return depth


# --- report and command-line inputs

#: How far a row of multi-class probabilities may sum from 1: float32 softmax output and
#: probabilities rounded to 4 decimals (up to 20 classes) pass; a row summing to 0.5 or 2
#: (scores that are not probabilities) does not.
ROW_SUM_TOLERANCE = 1e-3


def read_array(x: Any, name: str) -> np.ndarray:
    """``x`` as an array, a column vector (n, 1) flattened (:func:`flatten_column`); a
    ragged nested list raises :class:`ValueError` naming ``name``."""
    try:
        return flatten_column(x)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} could not be read as an array (rows of different "
                         f"lengths?): {exc}") from exc  # fmt: skip


def bad_probability_rows(score: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``score`` that do not sum to 1 within ROW_SUM_TOLERANCE."""
    return np.flatnonzero(np.abs(score.sum(axis=1) - 1.0) > ROW_SUM_TOLERANCE)


def check_probability_rows(score: np.ndarray, name: str = "y_score") -> np.ndarray:
    """Return ``score`` if each row (one case's class probabilities) sums to 1, else raise."""
    bad = bad_probability_rows(score)
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"{name} must hold class probabilities, each row summing to 1 (within "
            f"{ROW_SUM_TOLERANCE:g}); row {row} sums to {score[row].sum():.6g} "
            f"({bad.size} of {len(score)} rows do not)"
        )
    return score


def check_name(name: Any, argument: str = "name") -> str:
    """A model's name: any value but None, as ``str(name)``."""
    if name is None:
        raise TypeError(f"{argument} must be the model's name (a str), got None")
    return str(name)
