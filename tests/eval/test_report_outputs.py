"""Paper-ready outputs of a report: Table 1 in every format, valid HTML, provenance, the
methods paragraph with its BibTeX, and the quiet CLI."""

import csv
import hashlib
import io
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, f1_score, matthews_corrcoef

import cxreval
from cxreval.cli import main
from cxreval.report import REPORT_FILES
from cxreval.report.table_one import bootstrap_f1_ap_mcc

#: Elements HTML never closes.
VOID = {"meta", "img", "br", "hr", "input", "link", "col", "source", "wbr"}


class StrictChecker(HTMLParser):
    """Every opened element closed in order, and no ``<`` left in the text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)  # &lt; stays out of the text
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.errors.append(f"stray angle bracket in text: {data[:40]!r}")


def check_html(page: str) -> None:
    checker = StrictChecker()
    checker.feed(page)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert checker.stack == [], checker.stack
    html5lib = _optional_html5lib()
    if html5lib is not None:
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(page)  # raises on any parse error


def _optional_html5lib():
    try:
        import html5lib
    except ImportError:
        return None
    return html5lib


def _data(n=150, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = 1 / (1 + np.exp(-((2 * y - 1) + rng.normal(0, 1.2, n))))
    q = 1 / (1 + np.exp(-(0.3 * (2 * y - 1) + rng.normal(0, 1.2, n))))
    return y, p, q


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    y, p, q = _data()
    folder = tmp_path_factory.mktemp("cmp")
    c = cxreval.compare(y, {"good": p, "weak|<b>": q}, random_state=3)
    c.save(folder)
    return c, folder


def test_saved_report_html_is_valid_with_real_tables(saved):
    _, folder = saved
    page = (folder / "report.html").read_text(encoding="utf-8")
    check_html(page)
    assert "<pre>statmaker" not in page and page.count("<table>") >= 8
    assert page.count('<div class="row') >= 4  # figures beside their tables
    assert "weak|&lt;b&gt;" in page  # names escaped


def test_single_report_html_is_valid(tmp_path):
    y, p, _ = _data()
    multi = np.column_stack([p, 1 - p]) * 0.5
    check_html(cxreval.evaluate(y, p, name="m", random_state=0).to_html())
    rng = np.random.default_rng(1)
    y3 = rng.integers(0, 3, 90)
    prob = rng.dirichlet([1, 1, 1], 90)
    r3 = cxreval.evaluate(y3, prob, n_boot=200, random_state=0)
    check_html(r3.to_html())
    assert multi.shape == (150, 2) and "Hand &amp; Till M" in r3.to_html()


def test_table_one_holds_the_reports_numbers_with_one_decimals(saved):
    c, folder = saved
    rows = list(csv.DictReader(io.StringIO(c.to_table("csv", decimals=4))))
    assert [r["model"] for r in rows] == ["good", "weak|<b>"]
    for row, r in zip(rows, c.reports.values(), strict=True):
        s, auc = r.statistics, r.auc["1"]
        assert row["AUC [95% CI]"] == f"{auc.auc:.4f}"
        assert row["AUC [95% CI] low"] == f"{auc.low:.4f}"
        assert row["sensitivity [95% CI] high"] == f"{s.ci['sensitivity'][1]:.4f}"
        assert row["NPV [95% CI]"] == f"{s.npv:.4f}"
        assert row["AP [95% CI]"] == f"{r.average_precision['1']:.4f}"
        assert row["MCC [95% CI]"] == f"{s.mcc:.4f}"
        low, high = float(row["F1 [95% CI] low"]), float(row["F1 [95% CI] high"])
        assert low <= s.f1 <= high
    assert (folder / "table1.csv").read_text() == c.to_table("csv")
    assert (folder / "table1.md").read_text() == c.to_table("markdown") + "\n"
    tex = (folder / "table1.tex").read_text()
    assert r"\begin{tabular}{lrrrrrrrrr}" in tex and r"95\% CI" in tex
    assert r"weak\textbar{}\textless{}b\textgreater{}" in tex
    # one number of decimals everywhere in the comparison's own tables
    text = c.table()
    summary = text.split("Models (threshold")[1].split("Decision curves")[0]
    numbers = re.findall(r"\d+\.\d+", summary.split("\n", 2)[2])
    assert numbers and all(len(x.split(".")[1]) == 3 for x in numbers)
    assert "sensitivity [95% CI]" in summary and "specificity [95% CI]" in summary
    with pytest.raises(ValueError, match="format"):
        c.to_table("docx")


def test_the_bootstrap_of_f1_ap_mcc_is_the_plain_bootstrap():
    y, p, _ = _data(80, seed=4)
    is_pos = y == 1
    fast = bootstrap_f1_ap_mcc(is_pos, p, 0.5, n_boot=200, level=0.95, random_state=7)

    def plain(t, s):
        return [f1_score(t, s >= 0.5), average_precision_score(t, s),
                matthews_corrcoef(t, s >= 0.5)]  # fmt: skip

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slow = cxreval.bootstrap(plain, is_pos, p, n_boot=200, strata=is_pos, random_state=7)
    np.testing.assert_allclose(fast.estimate, slow.estimate, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.replicates, slow.replicates, rtol=0, atol=1e-12)


def test_provenance_and_methods(tmp_path):
    y, p, _ = _data()
    source = tmp_path / "scores.csv"
    source.write_text("made up\n")
    r = cxreval.evaluate(y, p, threshold=0.42, threshold_rule="Youden's J on validation data",
                         source=source, auc_ci_method="bootstrap", random_state=5)  # fmt: skip
    prov = r.to_dict()["provenance"]
    assert prov["sha256"] == hashlib.sha256(b"made up\n").hexdigest()
    assert prov["threshold"] == 0.42 and prov["threshold_rule"].startswith("Youden")
    assert prov["seeds"] == {"AUC bootstrap": 5, "F1/AP/MCC bootstrap": 5}
    assert set(prov["versions"]) == {"cxreval", "numpy", "scipy", "scikit-learn", "python"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", prov["date"])
    assert "SHA-256" in r.table() and "Provenance" in r.to_html()
    text, bib = r.methods_text(), r.methods_bibtex()
    for cited in ("Youden 1950", "Wilson 1927", "Efron & Tibshirani 1993", "Vickers & Elkin"):
        assert cited in text
    assert "@article{youden1950," in bib and "@book{efron1993," in bib
    assert "delong1988" not in bib  # a bootstrap AUC interval cites no DeLong
    assert cxreval.evaluate(y, p).provenance.threshold_rule == "default"
    assert cxreval.evaluate(y, p, threshold=0.5).provenance.threshold_rule == "fixed by the user"
    c = cxreval.compare(y, {"a": p, "b": p[::-1]}, random_state=2)
    assert "Holm 1979" in c.methods_text() and "@article{holm1979," in c.methods_bibtex()
    assert "DeLong et al. 1988" in c.methods_text()


def test_cli_report_is_quiet_records_provenance_and_writes_every_file(tmp_path, capsys):
    y, p, q = _data()
    csv_path = tmp_path / "pred.csv"
    csv_path.write_text("y,p,q\n" + "".join(f"{a},{b:.6f},{c:.6f}\n" for a, b, c in
                                            zip(y, p, q, strict=True)))  # fmt: skip
    out = tmp_path / "out"
    args = ["report", str(csv_path), "--label-col", "y", "--score-col", "p", "--score-col",
            "q", "--out", str(out), "--seed", "1", "--decimals", "2"]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3 and printed[0].startswith("p: AUC 0.")
    assert re.search(r"sensitivity 0\.\d\d \[0\.\d\d, 0\.\d\d\]", printed[1])
    assert sorted(f.name for f in out.iterdir()) == sorted(REPORT_FILES)
    data = (out / "report.json").read_text()
    assert hashlib.sha256(csv_path.read_bytes()).hexdigest() in data
    assert '"command": "cxreval report ' in data and "--decimals 2" in data
    assert re.search(r"\| p \| 150 \| 0\.\d\d \[", (out / "table1.md").read_text())
    assert main([*args, "--force", "--formats", "latex", "--verbose"]) == 0
    assert "cxreval comparison: p, q" in capsys.readouterr().out
    assert main([*args, "--force", "--formats", "docx"]) == 1
    assert "formats must be among" in capsys.readouterr().err


def test_cli_report_into_a_closed_pipe_exits_quietly(tmp_path):
    y, p, _ = _data()
    csv_path = tmp_path / "pred.csv"
    csv_path.write_text("y,p\n" + "".join(f"{a},{b:.6f}\n" for a, b in zip(y, p, strict=True)))
    command = [sys.executable, "-m", "cxreval", "report", str(csv_path), "--label-col", "y",
               "--score-col", "p", "--out", str(tmp_path / "out"), "--verbose",
               "--no-table-intervals"]  # fmt: skip
    env = {**__import__("os").environ, "MPLBACKEND": "Agg"}
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    child.stdout.close()  # the reader is gone before the first line, as with ``| head -0``
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    assert err == "", err
    assert (Path(tmp_path) / "out" / "report.txt").exists()


def test_a_model_calling_no_image_positive_still_gets_a_report():
    """At a threshold above every score the MCC is undefined on every resample: the report
    is still made, Table 1 without F1/AP/MCC intervals, with a warning saying why."""
    import numpy as np

    import cxreval

    y = np.r_[np.zeros(30), np.ones(30)]
    p = np.linspace(0.1, 0.4, 60)  # all below 0.5
    with pytest.warns(cxreval.UndefinedStatisticWarning, match="calls no image positive"):
        report = cxreval.evaluate(y, p, n_boot=200, random_state=0)
    assert report.table_intervals is None
    assert "F1" in report.table()


@pytest.mark.parametrize("tied", [False, True])
def test_table_one_bootstrap_is_the_same_with_either_engine(tied, monkeypatch):
    pytest.importorskip("numba")
    from cxreval.report.table_one import bootstrap_f1_ap_mcc

    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 1500).astype(bool)
    p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, 1500))))
    p = np.round(p, 2) if tied else p
    found = {}
    for engine in ("numpy", "numba"):
        monkeypatch.setattr("cxreval._resampling.ENGINE", engine)
        found[engine] = bootstrap_f1_ap_mcc(y, p, 0.5, n_boot=200, level=0.95, random_state=3)
    a, b = found["numpy"], found["numba"]
    assert np.array_equal(a.replicates, b.replicates, equal_nan=True)
    assert str(a.to_dict()) == str(b.to_dict())
