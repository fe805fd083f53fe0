import base64
import dataclasses
import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

import cxreval
from cxreval.decision import decision_curve
from cxreval.intervals import holm_adjust
from cxreval.report import REPORT_FILES, load_report

REAL_REPLACE = os.replace


def _binary(n=240, seed=0, strength=1.0):
    """Labels and overlapping probabilities (every cell of the matrix is filled)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = 1 / (1 + np.exp(-(strength * (2 * y - 1) + rng.normal(0, 1.2, n))))
    return y, p


def _images(page: str) -> list[bytes]:
    marker = 'src="data:image/png;base64,'
    chunks = page.split(marker)[1:]
    return [base64.b64decode(c.split('"', 1)[0]) for c in chunks]


def test_binary_report_gathers_every_part():
    y, p = _binary()
    r = cxreval.evaluate(y, p, threshold=0.6, name="szanet")
    assert r.task == "binary" and r.positive == 1 and r.n == 240 and r.labels == (0, 1)
    # statmaker at the threshold: counts worked out directly from the predictions
    called = p >= 0.6
    assert r.statistics.tp == np.sum(called & (y == 1))
    assert r.statistics.fp == np.sum(called & (y == 0))
    assert r.statistics.tn == np.sum(~called & (y == 0))
    assert r.auc["1"].auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert r.auc["1"].method == "DeLong" and r.auc["1"].low < r.auc["1"].auc < r.auc["1"].high
    assert r.average_precision["1"] == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert r.calibration.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    np.testing.assert_allclose(
        r.decision["1"].net_benefit["szanet"], decision_curve(y, p).net_benefit["model"]
    )
    text = str(r)
    for heading in ("threshold 0.6 on P(1)", "Discrimination", "Calibration", "Decision curve"):
        assert heading in text


def test_threshold_and_two_column_scores():
    y, p = _binary(seed=1)
    low = cxreval.evaluate(y, p, threshold=0.2)
    high = cxreval.evaluate(y, p, threshold=0.8)
    assert low.statistics.sensitivity >= high.statistics.sensitivity
    assert low.statistics.specificity <= high.statistics.specificity
    both = cxreval.evaluate(y, np.column_stack([1 - p, p]), threshold=0.2)
    assert both.to_dict()["statistics"] == low.to_dict()["statistics"]
    assert both.auc["1"].auc == low.auc["1"].auc


def test_string_labels_and_positive():
    y, p = _binary(seed=2)
    names = np.where(y == 1, "PNEUMONIA", "NORMAL")
    r = cxreval.evaluate(names, 1 - p, pos_label="NORMAL")
    assert r.positive == "NORMAL" and r.labels == ("PNEUMONIA", "NORMAL")
    assert r.auc["NORMAL"].auc == pytest.approx(roc_auc_score(y == 0, 1 - p), abs=1e-12)


def test_json_round_trip_and_strictness(tmp_path):
    y, p = _binary(seed=3)
    r = cxreval.evaluate(y, p, auc_ci_method="bootstrap", n_boot=200, random_state=7)
    d = r.to_dict()
    assert json.loads(r.to_json()) == d
    assert d["auc"]["1"]["seed"] == 7 and d["auc"]["1"]["n_boot"] == 200
    # a perfect split leaves undefined ratios: written as null, never as NaN
    with pytest.warns(UserWarning, match="lr_positive"):
        perfect = cxreval.evaluate([0, 0, 1, 1, 0, 1], [0.1, 0.2, 0.8, 0.9, 0.3, 0.7])
    text = perfect.to_json()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert perfect.to_dict()["statistics"]["statistics"]["lr_positive"] is None
    folder = r.save(tmp_path / "out")
    assert load_report(folder) == d
    assert load_report(folder / "report.json") == d


def test_html_is_self_contained_with_figures(tmp_path):
    y, p = _binary(seed=4)
    page = cxreval.evaluate(y, p, name="m").to_html()
    images = _images(page)
    assert len(images) == 5  # confusion matrix, ROC, PR, reliability, decision
    assert all(img.startswith(b"\x89PNG\r\n\x1a\n") for img in images)
    for caption in ("Confusion matrix", "ROC curve", "Precision-recall curve",
                    "Reliability diagram", "Decision curve"):  # fmt: skip
        assert f"<figcaption>{caption}</figcaption>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def _listing(folder: Path) -> list[str]:
    return sorted(f.name for f in folder.iterdir())


def test_save_writes_only_its_files_and_needs_force_to_replace(tmp_path):
    y, p = _binary(seed=5)
    first, second = cxreval.evaluate(y, p), cxreval.evaluate(y, p, threshold=0.7)
    out = tmp_path / "study"
    out.mkdir()
    (out / "predictions.csv").write_text("y,p\n0,0.1\n")
    (out / "note.txt").write_text("mine")
    assert first.save(out) == out  # a folder holding other files but no report is fine
    assert _listing(out) == sorted(["note.txt", "predictions.csv", *REPORT_FILES])
    saved = {name: (out / name).read_bytes() for name in REPORT_FILES}
    with pytest.raises(
        FileExistsError,
        match=re.escape(f"already holds a report ({', '.join(REPORT_FILES)}); ")
        + "pass force=True to replace it",
    ):
        second.save(out)
    assert {name: (out / name).read_bytes() for name in REPORT_FILES} == saved
    assert second.save(out, force=True) == out
    assert load_report(out) == second.to_dict() != first.to_dict()
    assert (out / "report.txt").read_text() == second.table() + "\n"
    # the user's files are untouched and nothing temporary is left
    assert (out / "predictions.csv").read_text() == "y,p\n0,0.1\n"
    assert (out / "note.txt").read_text() == "mine"
    assert _listing(out) == sorted(["note.txt", "predictions.csv", *REPORT_FILES])
    # one leftover report file is enough to need force
    (out / "report.txt").unlink()
    (out / "report.html").unlink()
    with pytest.raises(FileExistsError, match=r"already holds a report \(report.json, table1.csv"):
        first.save(out)


def test_save_into_the_current_folder(tmp_path, monkeypatch):
    y, p = _binary(seed=5)
    r = cxreval.evaluate(y, p)
    (tmp_path / "keep.txt").write_text("kept")
    monkeypatch.chdir(tmp_path)
    assert r.save(".") == Path(".")
    r.save(".", force=True)
    assert _listing(tmp_path) == sorted(["keep.txt", *REPORT_FILES])
    assert (tmp_path / "keep.txt").read_text() == "kept"
    assert load_report(".") == r.to_dict()


def test_save_refuses_a_file_or_a_folder_in_the_way(tmp_path):
    r = cxreval.evaluate(*_binary(seed=5))
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="file exists and is not a folder"):
        r.save(tmp_path / "file", force=True)
    (tmp_path / "out" / "report.html").mkdir(parents=True)
    with pytest.raises(FileExistsError, match=r"report.html is a folder, not a report file"):
        r.save(tmp_path / "out", force=True)
    assert _listing(tmp_path / "out") == ["report.html"]
    assert (tmp_path / "file").read_text() == "x"


def _fail_on_call(monkeypatch, k):
    """Make the k-th call of os.replace from now on fail as a full disk would."""
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == k:
            raise OSError("disk full (simulated)")
        return REAL_REPLACE(src, dst)

    monkeypatch.setattr(os, "replace", flaky)


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_failed_save_keeps_the_previous_report(tmp_path, monkeypatch, failing_call):
    y, p = _binary(seed=5)
    out = tmp_path / "report"
    cxreval.evaluate(y, p).save(out)
    (out / "note.txt").write_text("mine")
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    _fail_on_call(monkeypatch, failing_call)
    with pytest.raises(OSError, match="disk full"):
        cxreval.evaluate(y, p, threshold=0.7).save(out, force=True)
    # every file as before (old report, complete), no temporary or backup file
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before
    assert _listing(tmp_path) == ["report"]


def test_a_failed_rollback_keeps_the_previous_content_and_raises_the_first_error(
    tmp_path, monkeypatch
):
    y, p = _binary(seed=5)
    out = tmp_path / "report"
    cxreval.evaluate(y, p).save(out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    new = cxreval.evaluate(y, p, threshold=0.7)
    calls = []

    def failing(src, dst):  # the 3rd file's replace fails, then putting report.txt back
        calls.append(Path(dst).name)
        if len(calls) == 3:
            raise OSError("disk gone (simulated)")
        if len(calls) > 3 and Path(dst).name == "report.txt":
            raise OSError("rollback failed (simulated)")
        return REAL_REPLACE(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="disk gone"):  # the error that stopped the save
        new.save(out, force=True)
    monkeypatch.undo()
    # report.json was put back; report.txt could not be, and its previous content is
    # kept beside it, never deleted
    assert (out / "report.json").read_bytes() == before["report.json"]
    assert (out / "report.html").read_bytes() == before["report.html"]
    kept = [f for f in out.iterdir() if f.name.startswith(".report.txt.")]
    assert len(kept) == 1 and kept[0].read_bytes() == before["report.txt"]
    # ... and the journal stays, so the next look at the folder finishes putting it back
    assert _listing(out)[:2] == [".cxreval-replace.rollback", kept[0].name]
    assert len(list(out.iterdir())) == len(REPORT_FILES) + 2  # + the journal and the backup
    with (
        pytest.warns(UserWarning, match=r"undid the interrupted replacement of report.txt"),
        pytest.raises(FileExistsError, match="already holds a report"),
    ):
        new.save(out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_failed_first_save_removes_every_folder_it_made(tmp_path, monkeypatch):
    y, p = _binary(seed=5)
    _fail_on_call(monkeypatch, 2)
    with pytest.raises(OSError, match="disk full"):
        cxreval.evaluate(y, p).save(tmp_path / "a" / "b" / "c")
    assert _listing(tmp_path) == []


def test_failed_first_save_leaves_nothing(tmp_path, monkeypatch):
    y, p = _binary(seed=5)
    r = cxreval.evaluate(y, p)
    _fail_on_call(monkeypatch, 2)
    with pytest.raises(OSError, match="disk full"):
        r.save(tmp_path / "new")
    assert _listing(tmp_path) == []  # the folder this save made is gone again
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "note.txt").write_text("mine")
    _fail_on_call(monkeypatch, 2)
    with pytest.raises(OSError, match="disk full"):
        r.save(tmp_path / "old")
    assert _listing(tmp_path / "old") == ["note.txt"]  # a folder it did not make stays
    # a failure while the report is being built writes nothing
    monkeypatch.undo()
    monkeypatch.setattr(type(r), "to_html", lambda self, decimals=3: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        r.save(tmp_path / "broken")
    assert _listing(tmp_path) == ["old"]


def test_multiclass_report():
    rng = np.random.default_rng(6)
    n = 300
    y = rng.choice(["covid", "normal", "pneumonia"], n)
    idx = np.searchsorted(["covid", "normal", "pneumonia"], y)
    prob = rng.dirichlet([1, 1, 1], n)
    prob[np.arange(n), idx] += 0.3
    prob /= prob.sum(axis=1, keepdims=True)
    r = cxreval.evaluate(y, prob, n_boot=200, random_state=0)
    assert r.task == "multiclass" and r.labels == ("covid", "normal", "pneumonia")
    assert r.threshold is None and r.positive is None
    predicted = np.array(["covid", "normal", "pneumonia"])[prob.argmax(axis=1)]
    assert r.statistics.accuracy == pytest.approx(np.mean(predicted == y))
    for k, name in enumerate(r.labels):
        assert r.auc[name].auc == pytest.approx(roc_auc_score(y == name, prob[:, k]), abs=1e-12)
        assert r.average_precision[name] == pytest.approx(
            average_precision_score(y == name, prob[:, k]), abs=1e-12
        )
    # the averages come from cxreval.roc_auc_multiclass; Hand & Till's M is sklearn's "ovo"
    mc = r.multiclass_auc
    assert mc.macro.estimate == pytest.approx(np.mean([r.auc[k].auc for k in r.labels]))
    assert mc.hand_till.estimate == pytest.approx(
        roc_auc_score(y, prob, multi_class="ovo", labels=list(r.labels)), abs=1e-12
    )
    assert "Hand & Till" in r.table()
    # calibration of the top-label confidence
    assert r.calibration.brier == pytest.approx(
        brier_score_loss(predicted == y, prob.max(axis=1)), abs=1e-12
    )
    assert "top-label confidence" in r.table()
    assert json.loads(r.to_json()) == r.to_dict()
    assert len(_images(r.to_html())) == 4 + 3  # + one decision curve per class


@pytest.mark.parametrize("right", [True, False])
def test_multiclass_always_right_or_always_wrong(right):
    # nine cases, top-label confidence 0.9, 0.6 and 0.5 three times each, on the true
    # class (right) or the next one (wrong); the other two columns share the rest
    y = np.array([0, 1, 2] * 3)
    confidence = np.repeat([0.9, 0.6, 0.5], 3)
    top = y if right else (y + 1) % 3
    score = np.repeat(((1 - confidence) / 2)[:, None], 3, axis=1)
    score[np.arange(9), top] = confidence
    with warnings.catch_warnings():  # a perfect matrix leaves some ratios undefined
        warnings.simplefilter("ignore", UserWarning)
        r = cxreval.evaluate(y, score)
    cal = r.calibration
    assert cal.n_positive.sum() == (9 if right else 0)
    if right:  # outcome 1: gap 1 - confidence; ECE (3 * .1 + 3 * .4 + 3 * .5) / 9 = 1 / 3
        assert cal.ece == pytest.approx(1 / 3, abs=1e-12)
        assert cal.brier == pytest.approx((3 * 0.01 + 3 * 0.16 + 3 * 0.25) / 9, abs=1e-12)
        assert cal.mce == pytest.approx(0.5, abs=1e-12)
    else:  # outcome 0: gap = confidence; ECE (3 * .9 + 3 * .6 + 3 * .5) / 9 = 2 / 3
        assert cal.ece == pytest.approx(2 / 3, abs=1e-12)
        assert cal.brier == pytest.approx((3 * 0.81 + 3 * 0.36 + 3 * 0.25) / 9, abs=1e-12)
        assert cal.mce == pytest.approx(0.9, abs=1e-12)
    assert r.statistics.accuracy == (1.0 if right else 0.0)
    assert json.loads(r.to_json()) == r.to_dict()


def test_one_column_scores_are_one_dimensional():
    y, p = _binary(seed=10)
    q = _binary(seed=11)[1]
    column = cxreval.evaluate(y, p[:, None], name="m", random_state=0)
    assert _numbers(column) == _numbers(cxreval.evaluate(y, p, name="m", random_state=0))
    assert column.auc["1"].auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    both = cxreval.compare(y, {"a": p[:, None], "b": q.reshape(-1, 1)}, random_state=0)
    assert _numbers(both) == _numbers(cxreval.compare(y, {"a": p, "b": q}, random_state=0))


def _numbers(document) -> dict:
    """``to_dict()`` without the provenance (its date moves from call to call)."""
    data = document.to_dict()
    data.pop("provenance")
    for model in data.get("models", {}).values():
        model.pop("provenance")
    return data


def test_compare_bootstrap_uses_one_seed_for_every_model():
    y, p = _binary(seed=12)
    options = {"auc_ci_method": "bootstrap", "n_boot": 200}
    expected = int(np.random.default_rng(5).integers(2**63))  # one draw from the Generator
    c = cxreval.compare(y, {"a": p, "b": p.copy()}, random_state=np.random.default_rng(5),
                        **options)  # fmt: skip
    a, b = c.reports["a"].auc["1"], c.reports["b"].auc["1"]
    assert a.seed == b.seed == expected
    assert (a.low, a.high) == (b.low, b.high)
    again = cxreval.roc_auc_ci(y, p, ci_method="bootstrap", n_boot=200, random_state=a.seed)
    assert (again.low, again.high) == (a.low, a.high)
    # None: a fresh seed, the same for both and recorded; an int is used as given
    fresh = cxreval.compare(y, {"a": p, "b": p.copy()}, random_state=None, **options)
    seeds = {name: r.auc["1"].seed for name, r in fresh.reports.items()}
    assert isinstance(seeds["a"], int) and seeds["a"] == seeds["b"]
    fixed = cxreval.compare(y, {"a": p, "b": 1 - p}, random_state=3, **options)
    assert [r.auc["1"].seed for r in fixed.reports.values()] == [3, 3]


def test_compare_with_holm_adjusted_delong_tests(tmp_path):
    y, good = _binary(seed=7, strength=2.0)
    rng = np.random.default_rng(8)
    weak = np.clip(0.15 * y + rng.uniform(0, 0.85, len(y)), 0, 1)
    twin = np.clip(good + rng.normal(0, 0.02, len(y)), 0, 1)
    c = cxreval.compare(y, {"good": good, "weak": weak, "twin": twin})
    assert list(c.tests) == [("good", "weak"), ("good", "twin"), ("weak", "twin")]
    raw = [c.tests[pair].p_value for pair in c.tests]
    np.testing.assert_allclose(list(c.p_holm.values()), holm_adjust(raw))
    direct = cxreval.delong_test(y, good, weak)
    assert c.tests[("good", "weak")].p_value == direct.p_value
    assert c.p_holm[("good", "weak")] < 0.05 < c.p_holm[("good", "twin")]
    d = c.to_dict()
    assert json.loads(c.to_json()) == d
    assert d["multiple_comparisons"] == "Holm" and len(d["tests"]) == 3
    assert set(d["decision"]["net_benefit"]) == {"good", "weak", "twin"}
    text = c.table()
    assert "p (Holm)" in text and "good: Calibration" in text
    from matplotlib.figure import Figure

    for caption, draw in c.figures()[:3]:  # overlays: every model once, guide lines once
        labels = [t.get_text() for t in draw(Figure().subplots()).get_legend().get_texts()]
        assert len(labels) == len(set(labels)), caption
        assert sum(name in " ".join(labels) for name in ("good", "weak", "twin")) == 3
    folder = c.save(tmp_path / "cmp")
    assert load_report(folder) == d
    assert len(_images((folder / "report.html").read_text())) == 4 + 3


def test_holm_by_hand():
    # sorted .01 .03 .04 -> 3*.01 = .03, 2*.03 = .06, 1*.04 -> max(.04, .06) = .06
    np.testing.assert_allclose(holm_adjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
    np.testing.assert_allclose(holm_adjust([0.5, 0.9]), [1.0, 1.0])
    np.testing.assert_allclose(holm_adjust([0.2]), [0.2])
    with pytest.raises(ValueError, match=r"p_values must be numbers in \[0, 1\]"):
        holm_adjust([0.1, 1.2])
    # an undefined test stays NaN and is not counted (R's p.adjust with NA):
    # .01 and .03 of two tests -> 2 * .01 = .02, max(1 * .03, .02) = .03
    np.testing.assert_allclose(holm_adjust([0.01, np.nan, 0.03]), [0.02, np.nan, 0.03])
    assert np.isnan(holm_adjust([np.nan, np.nan])).all()


def test_compare_with_an_undefined_delong_test_keeps_the_others():
    # one positive: DeLong's variance is undefined, so are its p-values (NaN + warning);
    # the comparison is still made and says so instead of failing
    y = np.array([0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
    s = np.linspace(0.05, 0.95, 10)
    with pytest.warns(RuntimeWarning, match="DeLong"):
        c = cxreval.compare(y, {"a": s, "b": s[::-1]}, n_boot=50, random_state=0)
    assert np.isnan(c.tests[("a", "b")].p_value) and np.isnan(c.p_holm[("a", "b")])
    assert json.loads(c.to_json())["tests"]  # strict JSON: NaN written as null


def test_bad_input():
    y, p = _binary(seed=9)
    with pytest.raises(ValueError, match=r"y_score must hold probabilities in \[0, 1\]"):
        cxreval.evaluate(y, p * 3)
    with pytest.raises(ValueError, match="arrays must have the same length"):
        cxreval.evaluate(y, p[:-1])
    with pytest.raises(ValueError, match="one class only"):
        cxreval.evaluate(np.ones(10), np.linspace(0, 1, 10))
    with pytest.raises(ValueError, match="y_score has 3 columns but labels has 4 classes"):
        cxreval.evaluate([0, 1, 2], np.full((3, 3), 1 / 3), labels=[0, 1, 2, 3])
    with pytest.raises(ValueError, match="at least two"):
        cxreval.compare(y, {"only": p})
    with pytest.raises(ValueError, match="compare\\(\\) tests binary models"):
        cxreval.compare(y, {"a": p, "b": np.column_stack([p, p, p])})


def test_multiclass_scores_must_be_probabilities_and_take_no_binary_options():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 90)
    prob = rng.dirichlet([1, 1, 1], 90)
    assert cxreval.evaluate(y, np.round(prob, 4)).task == "multiclass"  # rounding is fine
    with pytest.raises(ValueError, match=r"each row summing to 1 \(within 0.001\); row 0 sums "
                       r"to 0.5 \(90 of 90 rows do not\)"):  # fmt: skip
        cxreval.evaluate(y, prob / 2)
    for option in ({"pos_label": 2}, {"threshold": 0.3}):
        with pytest.raises(ValueError, match=f"{next(iter(option))}=.* applies to binary scores"):
            cxreval.evaluate(y, prob, **option)
    with pytest.raises(ValueError, match=r"y_score has 2 columns but there are 3 classes"):
        cxreval.evaluate(y, prob[:, :2])  # an IndexError before
    with pytest.raises(ValueError, match=r"y_score has 3 columns but y_true has 4 classes"):
        cxreval.evaluate(np.r_[y, 3], np.r_[prob, [[0.2, 0.3, 0.5]]])


def test_ragged_lists_unknown_options_and_no_name_are_refused_by_name():
    y = [0, 1, 0, 1]
    with pytest.raises(ValueError, match="y_true could not be read as an array"):
        cxreval.evaluate([0, 1, [1, 0]], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_score could not be read as an array"):
        cxreval.evaluate(y, [[0.1], [0.2, 0.3], [0.3], [0.4]])
    with pytest.raises(ValueError, match=r"models\['a'\] could not be read as an array"):
        cxreval.compare(y, {"a": [0.1, [0.2], 0.3, 0.4], "b": [0.1, 0.2, 0.3, 0.4]})
    with pytest.raises(TypeError, match=r"compare\(\) got an unexpected keyword argument 'bogus'"):
        cxreval.compare(y, {"a": [0.1, 0.6, 0.3, 0.4], "b": [0.1, 0.2, 0.3, 0.4]}, bogus=1)
    with pytest.raises(TypeError, match="name must be the model's name"):
        cxreval.evaluate(y, [0.1, 0.6, 0.3, 0.4], name=None)


def test_real_chest_xrays(pneumoniamnist_path, tmp_path):
    """PneumoniaMNIST's test split is 002's: 390 pneumonia, 234 normal images."""
    from sklearn.linear_model import LogisticRegression

    from cxreval.sparsity_score import score_sweep

    data = np.load(pneumoniamnist_path)

    def pooled(images):  # 28 x 28 -> 7 x 7 means: a small, quick model
        return images.reshape(len(images), 7, 4, 7, 4).mean(axis=(2, 4)).reshape(len(images), -1)

    y_train = data["train_labels"].ravel()
    y = data["test_labels"].ravel()
    model = LogisticRegression(max_iter=1000).fit(pooled(data["train_images"]) / 255, y_train)
    p = model.predict_proba(pooled(data["test_images"]) / 255)[:, 1]
    brightness = data["test_images"].reshape(len(y), -1).mean(axis=1) / 255

    c = cxreval.compare(y, {"logreg": p, "brightness": brightness})
    r = c.reports["logreg"]
    assert r.n == 624 and r.statistics.prevalence == 390 / 624
    assert r.auc["1"].auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert r.auc["1"].auc > 0.85 and r.auc["1"].low < r.auc["1"].auc < r.auc["1"].high
    assert c.tests[("logreg", "brightness")].difference > 0
    assert load_report(c.save(tmp_path / "real")) == c.to_dict()

    # answering "normal" for every image scores 234 / 624 = 0.375, Table A1's 70-80 % rows
    normal_everywhere = np.zeros(len(y), dtype=y.dtype)
    sweep = score_sweep([0.4, 0.8], [(p >= 0.5).astype(y.dtype), normal_everywhere], y_true=y)
    assert sweep.metric[1] == 0.375
    assert sweep.reasons[1] == "constant predictions (every case 0)"
    assert sweep.best_sparsity == 0.4


def test_any_name_draws_literally_in_figures():
    """Names starting with "_" stayed out of legends; "$" was drawn as mathematics."""
    from cxreval.plotting import plot_comparison, plot_confusion_matrix

    y, p = _binary(seed=11)
    names = ["_hidden", r"$\frac{a$", "cost $5 or $6"]
    c = cxreval.compare(y, {names[0]: p, names[1]: p**2, names[2]: np.sqrt(p)})
    page = c.to_html()  # $\frac{a$ used to stop the drawing
    assert len(_images(page)) == 4 + 3
    ax = plot_comparison(c)
    texts = ax.get_legend().get_texts()
    drawn = [t._preprocess_math(t.get_text()) for t in texts]
    assert [math for _, math in drawn] == [False] * len(texts)  # no mathematics
    models = [text.split(": AUC")[0] for text, _ in drawn if ": AUC" in text]
    assert models == ["\u200b_hidden", *names[1:]]  # a zero-width space keeps "_" shown
    ax = plot_confusion_matrix([[3, 1], [2, 4]], labels=["$x$", "_y"])
    ticks = [t._preprocess_math(t.get_text()) for t in ax.get_xticklabels()]
    assert ticks == [("$x$", False), ("\u200b_y", False)]


def _largest_gap(x, y, kept):
    """How far the dropped points of (x, y) lie from the polyline through ``kept``."""
    dropped = np.setdiff1d(np.arange(len(x)), kept)
    right = np.searchsorted(kept, dropped)
    a, b = kept[right - 1], kept[right]
    ax, ay, bx, by = x[a], y[a], x[b], y[b]
    length2 = (bx - ax) ** 2 + (by - ay) ** 2
    t = np.clip(((x[dropped] - ax) * (bx - ax) + (y[dropped] - ay) * (by - ay)) / length2, 0, 1)
    return float(np.max(np.hypot(x[dropped] - ax - t * (bx - ax), y[dropped] - ay - t * (by - ay))))


def test_large_reports_store_thinned_curves_and_unchanged_numbers(tmp_path):
    """A 10-million-row report.json was 1.0 GB: the curves were stored point by point."""
    from cxreval.curves import thin_indices

    rng = np.random.default_rng(12)
    y = rng.integers(0, 2, 30_000)
    p = 1 / (1 + np.exp(-(1.2 * y + rng.normal(0, 1, y.size))))
    full = cxreval.evaluate(y, p, threshold=0.62, full_curves=True, random_state=1)
    thin = cxreval.evaluate(y, p, threshold=0.62, random_state=1)
    full = dataclasses.replace(full, provenance=thin.provenance)  # the same date
    assert len(full.roc["1"].fpr) > 5000 and len(full.pr["1"].recall) == 30_001
    assert len(thin.roc["1"].fpr) <= 1003 and len(thin.pr["1"].recall) <= 1003
    assert thin.curves_thinned and not full.curves_thinned
    roc, pr = full.roc["1"], full.pr["1"]
    np.testing.assert_array_equal(roc.fpr, cxreval.roc_curve(y, p).fpr)  # full on request
    # every number is computed on all cases: only the stored curves differ
    a, b = thin.to_dict(), full.to_dict()
    assert a.pop("curves_thinned") == 1000 and "curves_thinned" not in b
    for key in ("roc", "pr"):
        a.pop(key), b.pop(key)
    assert a == b and thin.table() == full.table()
    # the ends and the operating point are kept, with their exact thresholds
    at = thin.roc["1"]
    point = int(np.sum(roc.thresholds >= 0.62)) - 1
    assert (at.fpr[0], at.tpr[0], at.fpr[-1], at.tpr[-1]) == (0, 0, 1, 1)
    assert roc.thresholds[point] in at.thresholds
    assert float(pr.thresholds[np.searchsorted(pr.thresholds, 0.62)]) in thin.pr["1"].thresholds
    # the curve drawn is the full one within 1/1000 of its length (0.002 for a ROC)
    kept = thin_indices(roc.fpr, roc.tpr, keep=[point])
    np.testing.assert_array_equal(roc.fpr[kept], at.fpr)
    assert _largest_gap(roc.fpr, roc.tpr, kept) < 0.002
    length = np.sum(np.abs(np.diff(pr.recall)) + np.abs(np.diff(pr.precision)))
    assert _largest_gap(pr.recall, pr.precision, thin_indices(pr.recall, pr.precision)) < (
        length / 1000
    )
    # a small report is stored whole, exactly as before
    small = cxreval.evaluate(*_binary(seed=2))
    assert not small.curves_thinned and "curves_thinned" not in small.to_dict()
    # saved, the thinned report is small
    thin.save(tmp_path / "thin")
    full.save(tmp_path / "full")
    sizes = [(tmp_path / f / "report.json").stat().st_size for f in ("thin", "full")]
    assert sizes[0] < 200_000 < sizes[1]
