import csv
import json
from pathlib import Path

import numpy as np
import pytest
from tests._helpers import run_snippet

import cxreval
from cxreval._plain import to_plain
from cxreval.cli import main
from cxreval.report import REPORT_FILES


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def predictions(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 150)
    p = 1 / (1 + np.exp(-((2 * y - 1) + rng.normal(0, 1.2, 150))))
    q = 1 / (1 + np.exp(-(0.3 * (2 * y - 1) + rng.normal(0, 1.2, 150))))
    rows = [[int(a), f"{b:.6f}", f"{c:.6f}"] for a, b, c in zip(y, p, q, strict=True)]
    return _write(tmp_path / "pred.csv", ["y", "p", "q"], rows)


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cxreval: error: ")
    return lines[0]


def test_report_one_model(predictions, tmp_path, capsys):
    out = tmp_path / "rep"
    code = main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out.splitlines()
    # a short summary: one line for the model, one for the folder
    assert len(printed) == 2 and printed[0].startswith("p: AUC 0.")
    assert "sensitivity" in printed[0] and printed[1].startswith(f"wrote {out}")
    assert main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--out", str(out), "--force", "--verbose"]) == 0  # fmt: skip
    assert "cxreval report: p (binary, n = 150)" in capsys.readouterr().out
    data = json.loads((out / "report.json").read_text())
    assert data["name"] == "p" and data["n"] == 150 and data["threshold"] == 0.5
    page = (out / "report.html").read_text()
    assert page.count('src="data:image/png;base64,') == 5
    assert (out / "report.txt").read_text().startswith("cxreval report: p")


def test_report_comparison_and_force(predictions, tmp_path, capsys):
    out = tmp_path / "cmp"
    args = ["report", str(predictions), "--label-col", "y", "--score-col", "p",
            "--score-col", "q", "--out", str(out), "--threshold", "0.4"]  # fmt: skip
    assert main(args) == 0
    data = json.loads((out / "report.json").read_text())
    assert list(data["models"]) == ["p", "q"]
    assert data["tests"][0]["a"] == "p" and "p_holm" in data["tests"][0]
    before = (out / "report.json").read_bytes()
    capsys.readouterr()
    assert main(args) == 1
    assert _error(capsys) == (
        f"cxreval: error: {out} already holds a report ({', '.join(REPORT_FILES)}); "
        "pass --force to replace it"
    )
    assert (out / "report.json").read_bytes() == before
    assert main([*args[:-2], "--threshold", "0.6", "--force"]) == 0
    assert json.loads((out / "report.json").read_text())["models"]["p"]["threshold"] == 0.6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp", "pred.csv"]


def test_string_labels_positive_and_bootstrap(tmp_path):
    rows = [["PNEUMONIA" if i % 3 else "NORMAL", f"{(i % 7 + 0.5) / 7.2:.4f}"] for i in range(60)]
    csv_path = _write(tmp_path / "s.csv", ["label", "prob"], rows)
    out = tmp_path / "s"
    code = main(["report", str(csv_path), "--label-col", "label", "--score-col", "prob",
                 "--out", str(out), "--pos-label", "PNEUMONIA", "--auc-ci-method", "bootstrap",
                 "--n-boot", "100", "--seed", "3"])  # fmt: skip
    assert code == 0
    data = json.loads((out / "report.json").read_text())
    assert data["positive"] == "PNEUMONIA" and data["auc"]["PNEUMONIA"]["seed"] == 3


def test_multiclass_report(tmp_path):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 120)
    prob = rng.dirichlet([1, 1, 1], 120)
    prob[np.arange(120), y] += 0.6
    prob /= prob.sum(axis=1, keepdims=True)
    rows = [[int(a), *map(float, b)] for a, b in zip(y, prob, strict=True)]
    csv_path = _write(tmp_path / "m.csv", ["y", "p0", "p1", "p2"], rows)
    out = tmp_path / "m"
    columns = ["--score-col", "p0", "--score-col", "p1", "--score-col", "p2"]
    code = main(["report", str(csv_path), "--label-col", "y", *columns, "--multiclass",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    data = json.loads((out / "report.json").read_text())
    assert data["task"] == "multiclass" and data["labels"] == [0, 1, 2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "is empty"),
        ("y,p\n", "has a header but no rows"),
        ("y,x\n0,0.1\n1,0.9\n", "no column 'p' (columns: y, x)"),
        ("y,p\n0,0.1\n1,abc\n", "column 'p' has a non-numeric value 'abc' on line 3"),
        ("y,p\n0,0.1\n1,\n", "column 'p' is empty on line 3"),
        ("y,p\n1,0.1\n1,0.9\n", "column 'y' holds one class only (1); both classes"),
        ("y,p\nN,0.1\nN,0.9\n", "column 'y' holds one class only ('N'); both classes"),
        ("y,p\n0,0.1\n1,1.9\n", "y_score must hold probabilities in [0, 1]"),
    ],
)
def test_bad_files(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_text(content)
    out = tmp_path / "out"
    code = main(["report", str(path), "--label-col", "y", "--score-col", "p", "--out", str(out)])
    assert code == 1
    assert message in _error(capsys)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ([] if content is None else ["bad.csv"])


def test_force_into_the_folder_of_the_predictions(predictions, tmp_path, capsys):
    # --out may be the folder that holds the CSV: only the report's own files are written
    (tmp_path / "notes.txt").write_text("my notes")
    args = ["report", str(predictions), "--label-col", "y", "--score-col", "p",
            "--out", str(tmp_path)]  # fmt: skip
    csv_before = predictions.read_bytes()
    assert main(args) == 0
    assert main([*args, "--force"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["notes.txt", "pred.csv", *REPORT_FILES]
    )
    assert predictions.read_bytes() == csv_before
    assert (tmp_path / "notes.txt").read_text() == "my notes"


def test_predictions_path_is_a_folder(tmp_path, capsys):
    code = main(["report", str(tmp_path), "--label-col", "y", "--score-col", "p",
                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 1
    assert _error(capsys) == f"cxreval: error: {tmp_path} is a folder, not a CSV file"


def test_repeated_score_column(predictions, tmp_path, capsys):
    code = main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--score-col", "q", "--score-col", "p", "--out", str(tmp_path / "x")])  # fmt: skip
    assert code == 1
    assert _error(capsys) == "cxreval: error: --score-col p is given more than once"
    assert not (tmp_path / "x").exists()


@pytest.mark.filterwarnings("ignore:undefined")  # a perfect matrix: some ratios undefined
def test_report_labels_may_have_spaces(tmp_path):
    # columns in the order C, A, B; each case gets 0.8 in its own class's column
    truth = ["A", "B", "C"] * 10
    rows = [[lab, *(0.8 if col == lab else 0.1 for col in "CAB")] for lab in truth]
    csv_path = _write(tmp_path / "m.csv", ["y", "pc", "pa", "pb"], rows)
    code = main(["report", str(csv_path), "--label-col", "y", "--multiclass", "--score-col",
                 "pc", "--score-col", "pa", "--score-col", "pb", "--labels", "C, A ,B",
                 "--out", str(tmp_path / "m")])  # fmt: skip
    assert code == 0
    data = json.loads((tmp_path / "m" / "report.json").read_text())
    assert data["labels"] == ["C", "A", "B"]
    assert data["statistics"]["confusion_matrix"] == [[10, 0, 0], [0, 10, 0], [0, 0, 10]]


def test_stats_binary_and_multiclass(capsys):
    assert main(["stats", "--cm", "174 60; 40 350"]) == 0
    out = capsys.readouterr().out
    assert "0.8974" in out and "0.8537" in out  # recall 350/390, precision 350/410
    assert main(["stats", "--cm", "5,1,0; 2,6,1; 0,1,4", "--labels", "a,b,c"]) == 0
    out = capsys.readouterr().out
    assert "0.7500" in out and "3-class" in out
    assert main(["stats", "--cm", "174 60; 40 350", "--labels", "N,P", "--pos-label", "N"]) == 0
    assert "0.7436" in capsys.readouterr().out  # recall of N: 174 / 234


@pytest.mark.parametrize(
    ("cm", "message"),
    [
        ("1 2; 3", "--cm rows have different lengths"),
        ("1 x; 3 4", "--cm must hold numbers"),
        (";", "--cm is empty"),
        ("1 -2; 3 4", "cm"),
    ],
)
def test_stats_bad_matrix(capsys, cm, message):
    assert main(["stats", "--cm", cm]) == 1
    assert message in _error(capsys)


def test_labels_need_multiclass(predictions, tmp_path, capsys):
    code = main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--labels", "a,b", "--out", str(tmp_path / "x")])  # fmt: skip
    assert code == 1
    assert "add --multiclass" in _error(capsys)


def test_bad_options_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "x.csv", "--label-col", "y"])
    assert info.value.code == 2


@pytest.mark.parametrize("module", ["cxreval", "cxreval.cli"])
def test_module_entry_point_runs(module):
    # python -m cxreval is the cxreval command, as python -m cxreval.cli
    run = f"import runpy; runpy.run_module({module!r}, run_name='__main__')"
    done = run_snippet(run, "stats", "--cm", "174 60; 40 350")
    assert done.returncode == 0 and "0.8974" in done.stdout
    bad = run_snippet(run, "report", "missing.csv", "--label-col", "y", "--score-col", "p",
                      "--out", "never")  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == "cxreval: error: missing.csv: no such file"


@pytest.mark.parametrize("link", [None, "symlink", "hardlink"])
def test_report_refuses_to_overwrite_its_input(predictions, tmp_path, capsys, link):
    out = tmp_path / "D"
    out.mkdir()
    data = predictions.read_bytes()
    source = out / "report.json"
    if link is None:
        source.write_bytes(data)
    else:
        getattr(source, f"{link}_to")(predictions)
        source = predictions
    before = sorted(p.name for p in out.iterdir())
    args = [str(source), "--label-col", "y", "--score-col", "p", "--out", str(out), "--force"]
    assert main(["report", *args]) == 1
    assert f"--out {out} would replace the input {source}" in _error(capsys)
    assert source.read_bytes() == data and sorted(p.name for p in out.iterdir()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("y,p\n0,0.1\n1,nan\n0,0.2\n", "column 'p' has a non-finite value 'nan' on line 3"),
        ("y,p\n0,0.1\n1,0.9\n0,-inf\n", "column 'p' has a non-finite value '-inf' on line 4"),
        ("y,p\n0,0.1\n\n\n1,0.9\n0,inf\n", "column 'p' has a non-finite value 'inf' on line 6"),
        ('y,note,p\n0,"two\nlines",0.1\n1,x,abc\n', "non-numeric value 'abc' on line 4"),
        ("y,p\n\n0,0.1\n\n1,\n", "column 'p' is empty on line 5"),
        ("y,p\n0,0.1\nnan,0.9\n1,0.2\n", "column 'y' has a non-finite value 'nan' on line 3"),
        # a repeated column name (it used to resolve silently to the first column)
        ("y,p,p\n0,0.1,0.2\n1,0.9,0.8\n", "the header (line 1) names column 'p' 2 times"),
        ("y,y,p\n0,1,0.2\n1,0,0.8\n", "the header (line 1) names column 'y' 2 times"),
        ("\n\ny,p,p\n0,0.1,0.2\n1,0.9,0.8\n", "the header (line 3) names column 'p' 2 times"),
    ],
)
def test_bad_cells_name_the_column_and_the_file_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    out = tmp_path / "out"
    assert main(["report", str(path), "--label-col", "y", "--score-col", "p", "--out", str(out)])
    assert message in _error(capsys)
    assert not out.exists()


@pytest.mark.parametrize(
    ("cm", "message"),
    [
        ("1e300 1; 1 1e300", "--cm counts are too large: the matrix must sum to at most 2**53"),
        ("nan 1; 1 1", "--cm must hold counts (finite numbers)"),
        ("1 inf; 1 1", "--cm must hold counts (finite numbers)"),
    ],
)
def test_stats_refuses_a_matrix_it_cannot_compute_with(capsys, cm, message):
    assert main(["stats", "--cm", cm]) == 1
    assert message in _error(capsys)


def _multiclass_csv(tmp_path, scale=1.0, columns=3):
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 60)
    prob = rng.dirichlet([1, 1, 1], 60) * scale
    rows = [[int(a), *map(float, b[:columns])] for a, b in zip(y, prob, strict=True)]
    names = [f"p{j}" for j in range(columns)]
    columns = [arg for name in names for arg in ("--score-col", name)]
    return _write(tmp_path / "m.csv", ["y", *names], rows), columns


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--threshold", "0.3"], "--threshold applies to binary reports; --multiclass predicts"),
        (["--pos-label", "1"], "--pos-label applies to binary reports"),
    ],
)
def test_multiclass_refuses_binary_options(tmp_path, capsys, extra, message):
    csv_path, columns = _multiclass_csv(tmp_path)
    out = tmp_path / "out"
    args = ["report", str(csv_path), "--label-col", "y", *columns, "--multiclass"]
    assert main([*args, "--out", str(out), *extra]) == 1
    assert message in _error(capsys)


def test_multiclass_rows_must_be_probabilities(tmp_path, capsys):
    csv_path, columns = _multiclass_csv(tmp_path, scale=0.5)
    out = tmp_path / "out"
    args = ["report", str(csv_path), "--label-col", "y", *columns, "--multiclass"]
    assert main([*args, "--out", str(out)]) == 1
    assert "each row summing to 1 (within 0.001); line 2 sums to 0.5 (60 of 60" in _error(capsys)
    csv_path, columns = _multiclass_csv(tmp_path, columns=2)
    assert main(["report", str(csv_path), "--label-col", "y", *columns, "--multiclass",
                 "--out", str(out)]) == 1  # fmt: skip
    assert "needs one --score-col per class: 2 given, but column 'y' has 3 classes [0, 1, 2]" in (
        _error(capsys)
    )


def test_full_curves_option(predictions, tmp_path):
    out = tmp_path / "full"
    args = ["report", str(predictions), "--label-col", "y", "--score-col", "p", "--out", str(out)]
    assert main([*args, "--full-curves"]) == 0
    data = json.loads((out / "report.json").read_text())
    assert len(data["pr"]["1"]["recall"]) == 151 and "curves_thinned" not in data


# --- multi-label reports and patient IDs (issue 17) ---------------------------------------
FINDINGS = ["Edema", "Mass", "Nodule"]


@pytest.fixture
def findings_csv(tmp_path):
    """3 findings (a missing cell, an uncertain one), two models, two images per patient."""
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, (120, 3))
    p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, (120, 3)))))
    q = 1 / (1 + np.exp(-(0.5 * (2 * y - 1) + rng.normal(0, 1, (120, 3)))))
    rows = []
    for i in range(120):
        labels = [str(v) for v in y[i]]
        labels[1] = "" if i == 5 else "-1" if i == 7 else labels[1]
        sex = "F" if (i // 2) % 2 == 0 else "M"  # a patient attribute
        rows.append([f"P{i // 2:03d}", *labels, *(f"{v:.5f}" for v in (*p[i], *q[i])), sex])
    header = ["patient", *FINDINGS, "pe", "pm", "pn", "qe", "qm", "qn", "sex"]
    return _write(tmp_path / "findings.csv", header, rows)


def test_report_multilabel_end_to_end(findings_csv, tmp_path, capsys):
    out = tmp_path / "ml"
    args = ["report", str(findings_csv), "--label-col", "Edema,Mass", "--label-col", "Nodule",
            "--score-col", "dense=pe,pm,pn", "--score-col", "weak=qe,qm,qn",
            "--groups-col", "patient", "--uncertain", "zeros", "--subset", "Edema,Nodule",
            "--n-boot", "200", "--seed", "3", "--out", str(out)]  # fmt: skip
    with pytest.warns(UserWarning, match="n_boot=200"):
        assert main(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3 and printed[0].startswith("dense: macro AUC 0.")
    assert "cluster bootstrap (percentile, B=200)" in printed[0] and "Nodule" in printed[1]
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    data = json.loads((out / "report.json").read_text())
    dense = data["models"]["dense"]
    assert dense["task"] == "multilabel" and dense["labels"] == FINDINGS
    assert dense["n_clusters"] == 60 and dense["uncertain"] == "zeros"
    mass = dense["auc"]["findings"][1]
    assert mass["n_images"] == 119 and mass["n_uncertain"] == 1
    assert dense["auc"]["subset"] == ["Edema", "Nodule"]
    assert data["tests"][0]["findings"][0]["method"] == "Obuchowski (clustered DeLong) paired"
    assert "--groups-col patient" in dense["provenance"]["command"]
    page = (out / "report.html").read_text()
    assert "AUC differences: dense - weak" in page and "Findings&#x27; AUCs: dense" in page


def test_report_multilabel_one_model_and_binary_with_patients(findings_csv, tmp_path, capsys):
    out = tmp_path / "one"
    assert main(["report", str(findings_csv), "--label-col", "Edema,Mass,Nodule",
                 "--score-col", "pe,pm,pn", "--out", str(out), "--seed", "0"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("model: macro AUC 0.")
    assert json.loads((out / "report.json").read_text())["name"] == "model"
    out = tmp_path / "binary"
    assert main(["report", str(findings_csv), "--label-col", "Edema", "--score-col", "pe",
                 "--groups-col", "patient", "--out", str(out), "--seed", "0"]) == 0  # fmt: skip
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("pe: AUC 0.") and "Obuchowski (clustered DeLong)" in line
    data = json.loads((out / "report.json").read_text())
    assert data["n_clusters"] == 60 and data["auc"]["1"]["n_clusters"] == 60


def test_report_subgroup_columns_give_the_audit(findings_csv, tmp_path, capsys):
    with open(findings_csv, newline="") as f:
        table = list(csv.DictReader(f))
    y = np.array([int(r["Edema"]) for r in table])
    score = np.array([float(r["pe"]) for r in table])
    patients = np.array([r["patient"] for r in table])
    sex = np.array([r["sex"] for r in table])
    out = tmp_path / "sub"
    assert main(["report", str(findings_csv), "--label-col", "Edema", "--score-col", "pe",
                 "--groups-col", "patient", "--subgroup-col", "sex", "--out", str(out),
                 "--seed", "0"]) == 0  # fmt: skip
    capsys.readouterr()
    saved = json.loads((out / "report.json").read_text())["subgroups"]
    expected = cxreval.subgroup_audit(y, score, {"sex": sex}, threshold=0.5, groups=patients)
    assert saved == json.loads(json.dumps(to_plain(expected, json_safe=True)))
    out = tmp_path / "sub_ml"
    assert main(["report", str(findings_csv), "--label-col", "Edema,Mass,Nodule",
                 "--score-col", "pe,pm,pn", "--subgroup-col", "sex", "--out", str(out),
                 "--seed", "0"]) == 0  # fmt: skip
    data = json.loads((out / "report.json").read_text())
    assert sorted(data["subgroups"]) == FINDINGS


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--label-col", "Edema", "--score-col", "pe", "--subgroup-col", "nope"],
         "no column 'nope'"),
        (["--label-col", "Edema,Mass,Nodule", "--score-col", "m=pe,pm"],
         "--score-col 'm=pe,pm' gives 2 column(s) but --label-col names 3 findings"),
        (["--label-col", "Edema,Mass", "--score-col", "a=pe,pm", "--score-col", "a=pm,pe"],
         "--score-col: the model name 'a' is given more than once"),
        (["--label-col", "Edema,Mass", "--score-col", "pe,pm", "--groups-col", "who"],
         "no column 'who'"),
        (["--label-col", "Edema,Mass", "--score-col", "pe,px"], "no column 'px'"),
        (["--label-col", "Edema,patient", "--score-col", "pe,pm"],
         "column 'patient' must hold 1, 0, -1 (uncertain) or an empty cell (missing), got 'P000'"),
        (["--label-col", "Edema,Mass", "--score-col", "pe,pm", "--pos-label", "1"],
         "--pos-label does not apply to a multi-label report"),
        (["--label-col", "Edema", "--score-col", "pe", "--uncertain", "ones"],
         "--uncertain applies to multi-label reports"),
        (["--label-col", "Edema", "--score-col", "pe", "--subset", "Edema"],
         "--subset applies to multi-label reports"),
    ],
)  # fmt: skip
def test_report_multilabel_bad_columns_by_name(findings_csv, tmp_path, capsys, extra, message):
    assert main(["report", str(findings_csv), *extra, "--out", str(tmp_path / "bad")]) == 1
    assert message in _error(capsys)
    assert not (tmp_path / "bad").exists()
