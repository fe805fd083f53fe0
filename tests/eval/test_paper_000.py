"""Reproduce the results table (Fig. 1) of report 000 with statmaker.

The report gives, per model, recall, precision, F1, "AUC" and accuracy on its test split of
390 pneumonia and 234 normal images. Its "AUC" comes from one confusion matrix, so it is
the single-point AUC (TPR + TNR) / 2, statmaker's ``auc_single_point``.

For each row we search every integer matrix (TP + FN = 390, FP + TN = 234) whose recall
and precision round to the published 4 decimals, then check the other three numbers.
Six rows agree on all five numbers. Four do not, and the tests below say exactly where:
the code is not bent to fit.
"""

from fractions import Fraction

import numpy as np
import pytest

from cxreval import statmaker
from cxreval.cli import main

POSITIVES, NEGATIVES = 390, 234  # PNEUMONIA, NORMAL

# Fig. 1 as printed: recall, precision, F1, AUC, accuracy. Cells printed with three
# decimals (0.875, 0.851, 0.821, 0.731, 0.792, 0.71, 0.625, 0.5, 1) are kept as printed.
FIG1 = {
    "Arch 1": ("0.8153", "0.8641", "0.8391", "0.8008", "0.8045"),
    "Arch 2": ("0.8974", "0.8537", "0.875", "0.8205", "0.8397"),
    "Arch 3": ("0.8615", "0.8773", "0.8693", "0.8303", "0.8381"),
    "Arch 4": ("0.8487", "0.8531", "0.851", "0.8026", "0.8141"),
    "Arch 5": ("0.8282", "0.8411", "0.8346", "0.7838", "0.7949"),
    "Arch 6": ("0.9872", "0.7026", "0.821", "0.7581", "0.731"),
    "IncV3-NW": ("0.9179", "0.792", "0.8503", "0.7581", "0.7981"),
    "IncV3-W": ("0.9795", "0.71", "0.8233", "0.6564", "0.7372"),
    "VGG16-NW": ("1", "0.625", "0.7692", "0.5", "0.625"),
    "VGG16-W": ("1", "0.625", "0.7692", "0.5", "0.625"),
}
KEYS = ("recall", "precision", "f1", "auc_single_point", "accuracy")
HALF_UNIT = Fraction(1, 20000)  # half a unit in the 4th decimal


def rounds_to(value: Fraction, published: str) -> bool:
    """True when ``value`` rounds to ``published`` at 4 decimals (exact arithmetic)."""
    return abs(value - Fraction(published)) <= HALF_UNIT


def consistent_matrices(recall: str, precision: str, tolerance=HALF_UNIT):
    """Every (TP, FP) on the 390/234 split with recall and precision within ``tolerance``."""
    found = []
    for tp in range(POSITIVES + 1):
        if abs(Fraction(tp, POSITIVES) - Fraction(recall)) > tolerance:
            continue
        for fp in range(NEGATIVES + 1):
            if tp + fp and abs(Fraction(tp, tp + fp) - Fraction(precision)) <= tolerance:
                found.append((tp, fp))
    return found


def stats_of(tp: int, fp: int):
    fn, tn = POSITIVES - tp, NEGATIVES - fp
    return statmaker([[tn, fp], [fn, tp]], labels=["NORMAL", "PNEUMONIA"], zero_division=0.0)


AGREE = {  # the rows where one matrix reproduces all five published numbers
    "Arch 2": (350, 60),
    "Arch 3": (336, 47),
    "Arch 5": (323, 61),
    "IncV3-W": (382, 156),
    "VGG16-NW": (390, 234),
    "VGG16-W": (390, 234),
}


@pytest.mark.parametrize("model", sorted(AGREE))
def test_rows_reproduced_to_four_decimals(model):
    published = FIG1[model]
    assert consistent_matrices(*published[:2]) == [AGREE[model]]  # and it is unique
    s = stats_of(*AGREE[model])
    for key, value in zip(KEYS, published, strict=True):
        assert round(s[key], 4) == float(value), (model, key)


def test_vgg16_predicts_everything_as_pneumonia():
    s = stats_of(390, 234)
    assert (s.tn, s.fn) == (0, 0) and s.specificity == 0.0
    assert s.auc_single_point == 0.5  # the "AUC" of 0.5 is chance at one operating point


def test_arch1_recall_agrees_with_no_matrix():
    recall, precision, f1, auc, accuracy = FIG1["Arch 1"]
    # 317/390 = 0.81282 and 318/390 = 0.81538: no TP rounds to the published 0.8153
    assert not any(rounds_to(Fraction(tp, POSITIVES), recall) for tp in range(POSITIVES + 1))
    assert consistent_matrices(recall, precision) == []
    # within one unit of the 4th decimal exactly one matrix remains: TP 318, FP 50
    assert consistent_matrices(recall, precision, tolerance=2 * HALF_UNIT) == [(318, 50)]
    s = stats_of(318, 50)
    assert round(s.precision, 4) == float(precision)
    assert round(s.f1, 4) == float(f1)
    assert round(s.accuracy, 4) == float(accuracy)
    # recall 0.815385 and AUC 0.800855 round to 0.8154 and 0.8009; the report shows them
    # truncated (0.8153, 0.8008), one unit lower than rounding
    assert (round(s.recall, 4), round(s.auc_single_point, 4)) == (0.8154, 0.8009)
    assert np.floor(s.recall * 1e4) / 1e4 == float(recall)
    assert np.floor(s.auc_single_point * 1e4) / 1e4 == float(auc)


def test_arch4_f1_agrees_only_at_the_printed_three_decimals():
    recall, precision, f1, auc, accuracy = FIG1["Arch 4"]
    assert consistent_matrices(recall, precision) == [(331, 57)]
    s = stats_of(331, 57)
    for key, value in (("recall", recall), ("precision", precision),
                       ("auc_single_point", auc), ("accuracy", accuracy)):  # fmt: skip
        assert round(s[key], 4) == float(value), key
    # F1 = 662/778 = 0.850900: 0.8509 at four decimals, not 0.8510; "0.851" is its
    # three-decimal rounding
    assert round(s.f1, 4) == 0.8509 and round(s.f1, 3) == float(f1)


def test_arch6_auc_agrees_with_no_matrix():
    recall, precision, f1, auc, accuracy = FIG1["Arch 6"]
    assert consistent_matrices(recall, precision) == [(385, 163)]
    s = stats_of(385, 163)
    # F1 0.8209 and accuracy 0.7308 agree at the three decimals printed (0.821, 0.731)
    assert round(s.f1, 3) == float(f1) and round(s.accuracy, 3) == float(accuracy)
    # the published AUC 0.7581 would need specificity 2 * 0.7581 - 0.9872 = 0.529, i.e.
    # about 124 true negatives, yet the published precision fixes TN = 71 (AUC 0.6453)
    assert round(s.auc_single_point, 4) == 0.6453
    no_matrix = [
        (tp, fp)
        for tp in range(POSITIVES + 1)
        if rounds_to(Fraction(tp, POSITIVES), recall)
        for fp in range(NEGATIVES + 1)
        if rounds_to((Fraction(tp, POSITIVES) + Fraction(NEGATIVES - fp, NEGATIVES)) / 2, auc)
        and tp + fp
        and rounds_to(Fraction(tp, tp + fp), precision)
    ]
    assert no_matrix == []
    assert auc == FIG1["IncV3-NW"][3]  # the same value as the next row's AUC


def test_incv3_nw_f1_agrees_with_no_matrix():
    recall, precision, f1, auc, accuracy = FIG1["IncV3-NW"]
    assert consistent_matrices(recall, precision) == [(358, 94)]
    s = stats_of(358, 94)
    for key, value in (("recall", recall), ("precision", precision),
                       ("auc_single_point", auc), ("accuracy", accuracy)):  # fmt: skip
        assert round(s[key], 4) == float(value), key
    # F1 = 716/842 = 0.850356 rounds to 0.8504; the published 0.8503 is the harmonic mean
    # of the *rounded* recall and precision, 2 * 0.9179 * 0.792 / (0.9179 + 0.792)
    assert round(s.f1, 4) == 0.8504 != float(f1)
    r, p = float(recall), float(precision)
    assert round(2 * r * p / (r + p), 4) == float(f1)


def test_demo_prints_the_arch2_reproduction(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Arch 2" in out and "000" in out
    assert "[[174, 60], [40, 350]]" in out
    for value in ("0.8974", "0.8537", "0.8750", "0.8205", "0.8397"):
        assert value in out
    assert "not a ranking AUC" in out


@pytest.mark.parametrize("level", ["1.5", "0", "nan"])
def test_demo_bad_level_is_a_usage_error(capsys, level):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--level", level])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"cxreval demo: error: --level must be in (0, 1), e.g. 0.95, got {float(level)!r}"
    )


def test_demo_bad_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--bogus"])
    assert info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "cxreval: error: unrecognized arguments: --bogus"
    )
