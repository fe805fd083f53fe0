"""The ``cxreval`` command (also ``python -m cxreval``): a report from a CSV of
predictions, statistics from a matrix, and a worked example.

::

    cxreval report PREDICTIONS.csv --label-col y --score-col p [--score-col q ...] --out DIR
    cxreval report PREDICTIONS.csv --label-col Edema,Mass,Nodule \
        --score-col densenet=p_edema,p_mass,p_nodule [--score-col ...] \
        --groups-col patient_id --out DIR
    cxreval stats --cm "TN FP; FN TP"
    cxreval demo

``cxreval demo`` prints statmaker on a real example, report 000's best model: report 000
trained pneumonia classifiers on chest X-rays and published recall, precision, F1, "AUC"
and accuracy per model on a test split of 390 pneumonia and 234 normal images. Its best
model, "Arch 2", has recall 0.8974 and precision 0.8537; on that split only one confusion
matrix gives both numbers, [[TN, FP], [FN, TP]] = [[174, 60], [40, 350]]. The demo prints
statmaker's full table for that matrix and sets the published numbers beside the
recomputed ones.

``cxreval report`` prints one line per model (the AUC with its interval, sensitivity and
specificity at the threshold; for a multi-label model the macro mean AUC with its interval
and each finding's AUC) and the report folder; ``--verbose`` prints the whole text
report.

Several findings per image (multi-label): ``--label-col`` names one column per finding
(comma-separated, or the option repeated); each ``--score-col`` is one model, written
``NAME=col1,col2,...`` (or just the columns), one score column per finding in the same
order. A label cell is 1, 0, -1 (uncertain: ``--uncertain``) or empty (missing).
``--groups-col`` names the patient (or study) ID column, for every kind of report.

Bad input ends with a one-line error on stderr and exit status 1 (2 for bad
options); an existing report is never replaced without ``--force``, and a report only
ever writes its own files (:data:`cxreval.report.REPORT_FILES`, replaced together) into
``--out``. A closed output pipe (``cxreval report ... | head``) ends the command quietly.

One job: the command line -- reading the CSV columns, turning the options into calls of
cxreval and printing what they return.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import shlex
import sys
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import ROW_SUM_TOLERANCE, bad_probability_rows, check_level
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.intervals import KAPPA_CI_METHODS, PROPORTION_CI_METHODS, SIDES
from cxreval.partial_roc import FOCUSES

__all__ = ["ARCH2_MATRIX", "ARCH2_PUBLISHED", "build_parser", "main"]

#: 000's "Arch 2" test-set matrix, rebuilt from its published recall and precision.
ARCH2_MATRIX = [[174, 60], [40, 350]]
#: The row of 000's Fig. 1 for "Arch 2", as printed.
ARCH2_PUBLISHED = {
    "recall": 0.8974,
    "precision": 0.8537,
    "f1": 0.875,
    "auc_single_point": 0.8205,
    "accuracy": 0.8397,
}


class InputError(ValueError):
    """A problem with the user's file or options, reported in one line."""


def _convert(values: list[str]) -> np.ndarray:
    """Labels as ints if they all are, else floats if they all are, else strings."""
    for kind in (int, float):
        try:
            return np.array([kind(v) for v in values])
        except ValueError:
            continue
    return np.array(values)


def csv_cells(path: Path, wanted: list[str]) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of each row of a CSV file with a header: the ``wanted`` columns'
    cells, stripped (a short row's missing cells are empty), and the file line the row
    starts on (physical lines, counted as the csv module reads them, so a quoted cell
    spanning lines counts them all). Blank rows are skipped; a missing file or column,
    an empty file and unreadable text are an :class:`InputError` naming them."""
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a CSV file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    header: list[str] | None = None
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            last = 0
            for row in reader:
                line, last = last + 1, reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [cell.strip() for cell in row]
                    where = _column_indices(path, header, wanted, line)
                    continue
                yield line, [row[j].strip() if j < len(row) else "" for j in where]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})") from exc
    if header is None:
        raise InputError(f"{path} is empty")


def read_columns(
    path: Path, label_col: str, score_cols: list[str], text_cols: Sequence[str] = ()
) -> tuple[np.ndarray, dict, np.ndarray, dict[str, np.ndarray]]:
    """Read the label column, the score columns and the text columns (patient IDs,
    subgroups) of a CSV file with a header; return the labels, ``{column: scores}``, the
    file line each row starts on and ``{column: texts}``.

    Rows are read one at a time and only the named columns are kept (8 bytes a cell), so
    memory grows with the rows by a small constant. Blank rows are skipped. Every
    message names the column and the file's line (physical lines, counted as the csv
    module reads them, so a quoted cell spanning lines counts them all).
    """
    wanted = [label_col, *score_cols, *text_cols]
    codes: array = array("q")  # the label of each row, as its index in ``seen``
    lines: array = array("q")  # the line each row starts on
    seen: dict[str, tuple[int, int]] = {}  # label text -> (code, first line)
    scores = {name: array("d") for name in score_cols}
    texts: dict[str, list[str]] = {name: [] for name in text_cols}
    for line, cells in csv_cells(path, wanted):
        for name, cell in zip(wanted, cells, strict=True):
            if not cell:
                raise InputError(f"{path}: column {name!r} is empty on line {line}")
        codes.append(seen.setdefault(cells[0], (len(seen), line))[0])
        lines.append(line)
        for name, cell in zip(score_cols, cells[1 : 1 + len(score_cols)], strict=True):
            scores[name].append(_number(path, name, cell, line))
        for name, cell in zip(text_cols, cells[1 + len(score_cols) :], strict=True):
            texts[name].append(cell)
    if not codes:
        raise InputError(f"{path} has a header but no rows")
    names = list(seen)
    values = _convert(names)
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        bad = names[int(np.flatnonzero(~np.isfinite(values))[0])]
        raise InputError(
            f"{path}: column {label_col!r} has a non-finite value {bad!r} on line {seen[bad][1]}"
        )
    labels = values[np.frombuffer(codes, dtype=np.int64)]
    if len(values) < 2:
        raise InputError(
            f"{path}: column {label_col!r} holds one class only ({to_plain(labels[0])!r}); "
            "both classes are needed"
        )
    columns = {name: np.frombuffer(column, dtype=float) for name, column in scores.items()}
    found = {name: np.array(column) for name, column in texts.items()}
    return labels, columns, np.frombuffer(lines, dtype=np.int64), found


def _column_indices(path: Path, header: list[str], wanted: list[str], line: int) -> list[int]:
    """Where each wanted column is in the header; a missing or repeated name raises."""
    missing = [c for c in wanted if c not in header]
    if missing:
        raise InputError(f"{path}: no column {', '.join(map(repr, missing))} (columns: "
                         f"{', '.join(header)})")  # fmt: skip
    for name in wanted:
        if header.count(name) > 1:
            raise InputError(
                f"{path}: the header (line {line}) names column {name!r} "
                f"{header.count(name)} times; give each column its own name"
            )
    return [header.index(name) for name in wanted]


def _number(path: Path, name: str, cell: str, line: int) -> float:
    """A score cell as a finite float, or an error naming the column and the line."""
    try:
        value = float(cell)
    except ValueError:
        raise InputError(
            f"{path}: column {name!r} has a non-numeric value {cell!r} on line {line}"
        ) from None
    if not math.isfinite(value):
        raise InputError(f"{path}: column {name!r} has a non-finite value {cell!r} on line {line}")
    return value


#: A multi-label cell: present, absent, uncertain; an empty cell is missing (NaN).
FINDING_VALUES = {"1": 1.0, "0": 0.0, "-1": -1.0, "1.0": 1.0, "0.0": 0.0, "-1.0": -1.0, "": np.nan}


def read_table(
    path: Path, label_cols: list[str], score_cols: list[str], text_cols: list[str]
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Read finding label columns (1, 0, -1 or empty), score columns (finite numbers) and
    text columns (such as patient IDs) of a CSV file with a header: ``(labels (n, L),
    {column: scores}, {column: texts})``. Blank rows are skipped, as in
    :func:`read_columns`, so the rows of both line up; every message names the column
    and the file's line."""
    wanted = [*label_cols, *score_cols, *text_cols]
    labels: array = array("d")
    scores = {name: array("d") for name in score_cols}
    texts: dict[str, list[str]] = {name: [] for name in text_cols}
    for line, cells in csv_cells(path, wanted):
        for name, cell in zip(label_cols, cells, strict=False):
            if cell not in FINDING_VALUES:
                raise InputError(
                    f"{path}: column {name!r} must hold 1, 0, -1 (uncertain) or an "
                    f"empty cell (missing), got {cell!r} on line {line}"
                )
            labels.append(FINDING_VALUES[cell])
        for name, cell in zip(score_cols, cells[len(label_cols) :], strict=False):
            scores[name].append(_number(path, name, cell, line))
        for name, cell in zip(text_cols, cells[len(label_cols) + len(score_cols) :], strict=True):
            if not cell:
                raise InputError(f"{path}: column {name!r} is empty on line {line}")
            texts[name].append(cell)
    matrix = np.frombuffer(labels, dtype=float).reshape(-1, len(label_cols) or 1)
    if len(label_cols) == 0:
        matrix = matrix[:0]
    return (
        matrix,
        {name: np.frombuffer(column, dtype=float) for name, column in scores.items()},
        {name: np.array(column) for name, column in texts.items()},
    )


def model_columns(texts: list[str], n_findings: int) -> dict[str, list[str]]:
    """``{model name: its score columns}`` from the ``--score-col`` values of a
    multi-label report: ``NAME=col1,col2,...`` or ``col1,col2,...`` (named ``model 1``,
    ``model 2``, ... by position), one column per finding."""
    models: dict[str, list[str]] = {}
    for i, text in enumerate(texts):
        name, _, columns = text.rpartition("=")
        cols = _names(columns)
        name = name.strip() or (f"model {i + 1}" if len(texts) > 1 else "model")
        if len(cols) != n_findings or not all(cols):
            raise InputError(
                f"--score-col {text!r} gives {len(cols)} column(s) but --label-col names "
                f"{n_findings} findings; give one score column per finding, in the same "
                "order (NAME=col1,col2,...)"
            )
        if name in models:
            raise InputError(f"--score-col: the model name {name!r} is given more than once")
        models[name] = cols
    return models


#: Counts up to here are whole numbers a float64 holds exactly (and products stay finite).
LARGEST_COUNT = 2**53


def parse_matrix(text: str) -> np.ndarray:
    """``"TN FP; FN TP"`` (rows split by ``;``, cells by spaces or commas) to an array."""
    rows = [r.replace(",", " ").split() for r in text.split(";") if r.strip()]
    if not rows:
        raise InputError('--cm is empty; write it as "TN FP; FN TP"')
    if len({len(r) for r in rows}) != 1:
        raise InputError(f"--cm rows have different lengths: {text!r}")
    try:
        matrix = np.array([[float(x) for x in r] for r in rows])
    except ValueError:
        raise InputError(f"--cm must hold numbers, got {text!r}") from None
    if not np.isfinite(matrix).all():
        raise InputError(f"--cm must hold counts (finite numbers), got {text!r}")
    total = float(np.abs(matrix).sum())
    if total > LARGEST_COUNT:
        raise InputError(
            f"--cm counts are too large: the matrix must sum to at most 2**53 = "
            f"{LARGEST_COUNT} (whole numbers a float holds exactly), got a sum of {total:g}"
        )
    return matrix


def _names(text: str) -> list[str]:
    """A comma-separated list of names given on the command line, spaces stripped."""
    return [name.strip() for name in text.split(",")]


def _label(text: str | None) -> Any:
    """A label given on the command line, in the type of the label column."""
    if text is None:
        return None
    return to_plain(_convert([text])[0])


def _run_report(args: argparse.Namespace) -> int:
    from cxreval._io import check_not_an_input, recover_replacement
    from cxreval.report import compare, evaluate
    from cxreval.report.store import REPORT_FILES, check_report_folder

    findings = [c for text in args.label_col for c in _names(text)]
    if args.labels is not None and not args.multiclass:
        raise InputError("--labels names the --score-col classes of --multiclass; add --multiclass")
    _check_kind_options(args, findings)
    args.label_col = findings[0]
    repeated = sorted({c for c in args.score_col if args.score_col.count(c) > 1})
    if repeated:
        raise InputError(f"--score-col {', '.join(repeated)} is given more than once")
    for option in ("at_specificity", "at_sensitivity"):
        values = getattr(args, option) or []
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise InputError(f"--{option.replace('_', '-')} {twice[0]:g} is given more than once")
    predictions = Path(args.predictions)
    out = Path(args.out)
    try:
        check_not_an_input([out / name for name in REPORT_FILES], [predictions])
    except ValueError:
        raise InputError(
            f"--out {out} would replace the input {predictions} (a report writes "
            f"{', '.join(REPORT_FILES)}); choose another --out folder or rename the input"
        ) from None
    if out.is_dir():
        repaired = recover_replacement(out)
        if repaired is not None:
            print(f"cxreval: note: an earlier save was interrupted: {repaired}", file=sys.stderr)
    check_report_folder(out, force=args.force, option="--force")
    if len(findings) > 1:
        return _run_multilabel_report(args, findings, predictions, out)
    if args.multiclass:
        for given, option in ((args.threshold, "--threshold"), (args.pos_label, "--pos-label")):
            if given is not None:
                raise InputError(
                    f"{option} applies to binary reports; --multiclass predicts the class "
                    "with the highest probability and reports every class one-vs-rest"
                )
        for option in ("at_specificity", "at_sensitivity", "partial_auc"):
            if getattr(args, option) is not None:
                raise InputError(
                    f"--{option.replace('_', '-')} applies to binary reports (the ROC curve "
                    "of one positive class); --multiclass reports every class one-vs-rest"
                )
    text_cols = [c for c in (args.groups_col, *(args.subgroup_col or [])) if c is not None]
    labels, scores, lines, texts = read_columns(
        predictions, args.label_col, args.score_col, list(dict.fromkeys(text_cols))
    )
    if not args.multiclass:
        del lines  # only a multi-class check reports lines from here on
    groups = texts.get(args.groups_col)
    subgroups = {c: texts[c] for c in args.subgroup_col or []}
    options = {
        "threshold": args.threshold,
        "pos_label": _label(args.pos_label),
        "level": args.level,
        "auc_ci_method": args.auc_ci_method,
        "n_boot": args.n_boot,
        "random_state": args.seed,
        "n_bins": args.bins,
        "strategy": args.strategy,
        "full_curves": args.full_curves,
        "table_intervals": not args.no_table_intervals,
        "source": predictions,
        "command": shlex.join(["cxreval", *args.argv]),
        "threshold_rule": args.threshold_rule,
        "ci_method": args.ci_method,
        "alternative": args.alternative,
        "kappa_ci_method": args.kappa_ci_method,
        "at_specificity": args.at_specificity,
        "at_sensitivity": args.at_sensitivity,
        "partial_auc": args.partial_auc,
        "partial_auc_focus": args.partial_auc_focus,
        "partial_auc_standardized": args.partial_auc_standardized,
        "partial_auc_ci_method": args.partial_auc_ci_method,
        **({} if groups is None else {"groups": groups}),
        **({"subgroups": subgroups} if subgroups else {}),
    }
    if args.multiclass:
        matrix = np.column_stack([scores[c] for c in args.score_col])
        class_labels = None if args.labels is None else _convert(_names(args.labels))
        classes = np.unique(labels) if class_labels is None else class_labels
        if len(classes) != matrix.shape[1]:
            source = "--labels names" if args.labels else f"column {args.label_col!r} has"
            raise InputError(
                f"--multiclass needs one --score-col per class: {matrix.shape[1]} given, but "
                f"{source} {len(classes)} classes {to_plain(classes[:10])}"
            )
        bad = bad_probability_rows(matrix)
        if bad.size:
            raise InputError(
                f"{predictions}: the --score-col columns must hold class probabilities, each "
                f"row summing to 1 (within {ROW_SUM_TOLERANCE:g}); line {lines[bad[0]]} sums "
                f"to {matrix[bad[0]].sum():.6g} ({bad.size} of {len(matrix)} rows do not)"
            )
        del options["pos_label"], options["threshold"], options["threshold_rule"]
        for option in ("at_specificity", "at_sensitivity", "partial_auc"):
            del options[option]
        result = evaluate(labels, matrix, labels=class_labels, name=Path(args.predictions).stem,
                          **options)  # fmt: skip
    elif len(scores) == 1:
        (name, score), = scores.items()  # fmt: skip
        result = evaluate(labels, score, name=name, **options)
    else:
        result = compare(labels, scores, **options)
    return _save_and_print(result, args, out, predictions)


def _check_kind_options(args: argparse.Namespace, findings: list[str]) -> None:
    """Refuse options that do not apply to the kind of report the columns make."""
    if len(findings) > 1:
        given = [(args.multiclass, "--multiclass"), (args.pos_label, "--pos-label"),
                 (args.auc_ci_method != "delong", "--auc-ci-method bootstrap")]  # fmt: skip
        for value, option in given:
            if value not in (None, False):
                raise InputError(
                    f"{option} does not apply to a multi-label report (--label-col names "
                    f"{len(findings)} findings: {', '.join(findings)})"
                )
        return
    for value, option in ((args.uncertain, "--uncertain"), (args.subset, "--subset")):
        if value is not None:
            raise InputError(
                f"{option} applies to multi-label reports: give one --label-col per finding"
            )
    for value, option in ((args.groups_col, "--groups-col"), (args.subgroup_col, "--subgroup-col")):
        if args.multiclass and value is not None:
            raise InputError(
                f"{option} is not available with --multiclass (a multi-class report has no "
                "clustered statistics and no subgroup audit yet)"
            )


def _run_multilabel_report(
    args: argparse.Namespace, findings: list[str], predictions: Path, out: Path
) -> int:
    from cxreval.report import compare, evaluate

    models = model_columns(args.score_col, len(findings))
    columns = [c for cols in models.values() for c in cols]
    subgroup_cols = args.subgroup_col or []
    text_cols = list(dict.fromkeys(c for c in (args.groups_col, *subgroup_cols) if c is not None))
    y, scores, texts = read_table(predictions, findings, list(dict.fromkeys(columns)), text_cols)
    if not len(y):
        raise InputError(f"{predictions} has a header but no rows")
    matrices = {name: np.column_stack([scores[c] for c in cols]) for name, cols in models.items()}
    options = {
        "threshold": args.threshold,
        "level": args.level,
        "n_boot": args.n_boot,
        "random_state": args.seed,
        "full_curves": args.full_curves,
        "source": predictions,
        "command": shlex.join(["cxreval", *args.argv]),
        "threshold_rule": args.threshold_rule,
        "labels": findings,
        "uncertain": args.uncertain,
        "subset": None if args.subset is None else _names(args.subset),
        "groups": texts.get(args.groups_col),
        "subgroups": {c: texts[c] for c in subgroup_cols} or None,
    }
    if len(matrices) == 1:
        ((name, matrix),) = matrices.items()
        result = evaluate(y, matrix, name=name, **options)
    else:
        result = compare(y, matrices, **options)
    return _save_and_print(result, args, out, predictions)


def _save_and_print(result: Any, args: argparse.Namespace, out: Path, predictions: Path) -> int:
    """Save the report into ``out``; print one line per model (or the whole report)."""
    formats = _names(args.formats) if args.formats else []
    folder = result.save(
        out, force=args.force, inputs=[predictions], formats=formats, decimals=args.decimals
    )
    if args.verbose:
        print(result.table(args.decimals) + "\n")
    else:
        print(summary(result, args.decimals))
    print(
        f"wrote {folder}{os.sep} (report.html, report.txt, report.json, methods.txt, "
        f"methods.bib{''.join(f', table1.{TABLE_SUFFIX[f]}' for f in formats)})"
    )
    return 0


#: ``--formats`` -> the suffix of Table 1's file.
TABLE_SUFFIX = {"csv": "csv", "markdown": "md", "latex": "tex"}


def summary(result: Any, decimals: int = 3) -> str:
    """One line per model: the AUC with its interval and, for a binary model, the
    sensitivity and specificity with theirs at the threshold."""
    from cxreval.report.tables import format_number

    def estimate(value: float, low: float, high: float) -> str:
        value, low, high = (format_number(float(v), decimals) for v in (value, low, high))
        return f"{value} [{low}, {high}]"

    reports = result.reports if hasattr(result, "reports") else {result.name: result}
    lines = []
    for name, r in reports.items():
        pct = f"{r.level:.0%} CI"
        if r.task == "multilabel":
            per = ", ".join(f"{f['finding']} {format_number(f['auc'], decimals)}"
                            for f in r.auc.findings)  # fmt: skip
            lines.append(
                f"{name}: macro AUC {estimate(*r.means()['macro'])} ({pct}, "
                f"{r.auc.ci['method']}); AUC per finding ({r.auc.method}): {per}"
            )
            continue
        if r.task == "multiclass":
            m = r.multiclass_auc
            lines.append(
                f"{name}: macro AUC {estimate(m.macro.estimate, m.macro.low, m.macro.high)}"
                f" ({pct}); accuracy {format_number(r.statistics.accuracy, decimals)}"
            )
            continue
        auc = r.auc[str(r.positive)]
        lines.append(
            f"{name}: AUC {estimate(auc.auc, auc.low, auc.high)} ({pct}, "
            f"{auc.short_method if auc.n_clusters is None else auc.method}); "
            f"at threshold {r.threshold:g}: sensitivity "
            f"{estimate(*r.proportion('sensitivity'))}, specificity "
            f"{estimate(*r.proportion('specificity'))}"
            + "".join(
                f"; {what} {estimate(*value)}" for what, value, _, _ in r.requested_intervals()
            )
        )
    return "\n".join(lines)


def _rate(text: str) -> float:
    """A sensitivity or specificity given on the command line: a number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return value


def _range(text: str) -> tuple[float, float]:
    """``LO:HI``, two different numbers in [0, 1] (the range of a partial AUC)."""
    parts = text.split(":")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected LO:HI such as 0.8:1, got {text!r}")
    lo, hi = (_rate(part.strip()) for part in parts)
    if lo == hi:
        raise argparse.ArgumentTypeError(f"expected two different numbers LO:HI, got {text!r}")
    return lo, hi


def _run_stats(args: argparse.Namespace) -> int:
    from cxreval.statmaker import statmaker

    cm = parse_matrix(args.cm)
    labels = None if args.labels is None else _names(args.labels)
    pos_label = args.pos_label if labels is not None else _label(args.pos_label)
    result = statmaker(cm, labels=labels, pos_label=pos_label, level=args.level,
                       ci_method=args.ci_method)  # fmt: skip
    print(result.table())
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from cxreval.statmaker import statmaker

    try:
        level = check_level(args.level, "--level")
    except (TypeError, ValueError) as exc:
        args.parser.error(str(exc))
    s = statmaker(
        ARCH2_MATRIX,
        labels=["NORMAL", "PNEUMONIA"],
        level=level,
        ci_method=args.ci_method,
    )
    print(
        "Report 000, model 'Arch 2' (its best): test split of 390 PNEUMONIA and 234 NORMAL\n"
        "chest X-rays. The published recall 0.8974 and precision 0.8537 fit exactly one\n"
        f"confusion matrix on that split, [[TN, FP], [FN, TP]] = {ARCH2_MATRIX}.\n"
    )
    print(s.table())
    rows = [
        [key, f"{published:.4f}", f"{s[key]:.4f}", "yes" if round(s[key], 4) == published else "NO"]
        for key, published in ARCH2_PUBLISHED.items()
    ]
    print("\nPublished (000, Fig. 1) against statmaker:")
    print(
        tabulate(
            rows, headers=["statistic", "published", "statmaker", "agree"], disable_numparse=True
        )
    )
    print(
        "\nThe report's 'AUC' is computed from one confusion matrix: it is the area under a\n"
        "one-point ROC, (TPR + TNR) / 2 = auc_single_point, not a ranking AUC over scores."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``cxreval`` command."""
    parser = argparse.ArgumentParser(
        prog="cxreval", description="Evaluate chest X-ray classifiers with honest statistics."
    )
    parser.add_argument("--version", action="version", version=f"cxreval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser(
        "report",
        help="report from a CSV of labels and predicted probabilities",
        description="Evaluate one model (one --score-col) or compare several (more than "
        "one) and write report.txt, report.json and report.html into --out.",
    )
    rep.add_argument("predictions", help="CSV file with a header row")
    rep.add_argument("--label-col", required=True, action="append",
                     help="column of the true labels; several (comma-separated or repeated): "
                     "one per finding of a multi-label model")  # fmt: skip
    rep.add_argument("--score-col", required=True, action="append",
                     help="column of P(positive); repeat to compare models. Multi-label: "
                     "NAME=col1,col2,... one score column per finding, in --label-col's "
                     "order, per model")  # fmt: skip
    rep.add_argument("--groups-col", metavar="COLUMN",
                     help="column of patient (or study) IDs: clustered intervals "
                     "(Obuchowski's AUC interval and test, cluster bootstrap, Rao-Scott "
                     "proportions)")  # fmt: skip
    rep.add_argument("--subgroup-col", metavar="COLUMN", action="append",
                     help="column of a subgroup (sex, age band, view, site ...; repeatable): "
                     "a subgroup audit at the threshold with its forest plot (binary and "
                     "multi-label)")  # fmt: skip
    rep.add_argument("--uncertain", choices=["ignore", "zeros", "ones"],
                     help="multi-label: what a label -1 becomes: missing (ignore, the "
                     "default), 0 or 1 (CheXpert's U-Ignore, U-Zeros, U-Ones)")  # fmt: skip
    rep.add_argument("--subset", metavar="FINDINGS",
                     help="multi-label: comma-separated findings whose mean AUC the report "
                     "adds (e.g. CheXpert's five competition findings)")  # fmt: skip
    rep.add_argument(
        "--out", required=True, help="report folder (created if needed; other files in it are kept)"
    )
    rep.add_argument(
        "--force",
        action="store_true",
        help="replace a report already in --out (only its three files)",
    )
    rep.add_argument("--threshold", type=float, help="decision threshold (0.5; binary only)")
    rep.add_argument(
        "--threshold-rule",
        metavar="TEXT",
        help="how --threshold was chosen, recorded in the report and its methods "
        'paragraph (e.g. "Youden\'s J on the validation split"; default: '
        "'fixed by the user', or 'default' without --threshold)",
    )
    rep.add_argument(
        "--pos-label", help="the positive class (default: the larger label; binary only)"
    )
    rep.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    rep.add_argument("--auc-ci-method", choices=["delong", "bootstrap"], default="delong",
                     help="interval of the ROC AUC (delong)")  # fmt: skip
    rep.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (2000)")
    rep.add_argument("--seed", type=int, default=None, help="bootstrap seed")
    rep.add_argument("--bins", type=int, default=10, help="calibration bins (10)")
    rep.add_argument("--strategy", choices=["uniform", "quantile"], default="uniform",
                     help="equal-width or equal-mass calibration bins")  # fmt: skip
    rep.add_argument("--full-curves", action="store_true",
                     help="store every point of the ROC and PR curves (default: about 1000 "
                     "each, drawn the same; the AUC always uses every case)")  # fmt: skip
    rep.add_argument("--multiclass", action="store_true",
                     help="the --score-col columns are per-class probabilities")  # fmt: skip
    rep.add_argument("--labels", help="with --multiclass: class labels of the score "
                     "columns, comma-separated (default: the sorted labels)")  # fmt: skip
    rep.add_argument(
        "--decimals", type=int, default=3, help="decimals of Table 1 and the comparison tables (3)"
    )
    rep.add_argument(
        "--formats",
        default="csv,markdown,latex",
        help="Table 1 files to write, comma-separated among csv, markdown, latex "
        "(default: all three; '' for none)",
    )
    rep.add_argument(
        "--no-table-intervals",
        action="store_true",
        help="skip the bootstrap of F1, AP and MCC for Table 1 (faster for millions of rows)",
    )
    rep.add_argument("--ci-method", default="wilson", choices=sorted(PROPORTION_CI_METHODS),
                     help="interval of the proportions at the threshold (wilson)")  # fmt: skip
    rep.add_argument("--alternative", default="two-sided", choices=list(SIDES),
                     help="sides of the intervals at the threshold: greater gives one-sided "
                     "lower bounds, less upper bounds (two-sided)")  # fmt: skip
    rep.add_argument("--kappa-ci-method", default="fleiss-cohen-everitt",
                     choices=list(KAPPA_CI_METHODS),
                     help="standard error of Cohen's kappa (fleiss-cohen-everitt)")  # fmt: skip
    rep.add_argument("--at-specificity", type=_rate, action="append", metavar="SPEC",
                     help="report the sensitivity at this specificity with its bootstrap "
                     "interval (binary; repeat for several)")  # fmt: skip
    rep.add_argument("--at-sensitivity", type=_rate, action="append", metavar="SENS",
                     help="report the specificity at this sensitivity with its bootstrap "
                     "interval (binary; repeat for several)")  # fmt: skip
    rep.add_argument("--partial-auc", type=_range, metavar="LO:HI",
                     help="report the partial AUC over specificities LO to HI (e.g. 0.8:1) "
                     "with its bootstrap interval (binary)")  # fmt: skip
    rep.add_argument("--partial-auc-focus", default="specificity", choices=list(FOCUSES),
                     help="the axis of --partial-auc's range (specificity)")  # fmt: skip
    rep.add_argument("--partial-auc-ci-method", default="bootstrap",
                     choices=["bootstrap", "delong"],
                     help="interval of --partial-auc: the percentile bootstrap (default) or "
                     "the DeLong-type interval of its placement values")  # fmt: skip
    rep.add_argument("--partial-auc-standardized", action=argparse.BooleanOptionalAction,
                     default=True, help="McClish's standardization of the partial AUC "
                     "(default; --no-partial-auc-standardized for the raw area)")  # fmt: skip
    rep.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print the whole text report (default: one line per model)",
    )
    rep.set_defaults(run=_run_report)

    st = sub.add_parser(
        "stats",
        help="statmaker's table from a confusion matrix",
        description='Rows are true classes, columns predicted: "TN FP; FN TP" or K x K.',
    )
    st.add_argument("--cm", required=True, help='confusion matrix, e.g. "174 60; 40 350"')
    st.add_argument("--labels", help="class names, comma-separated, in matrix order")
    st.add_argument("--pos-label", help="positive class of a 2 x 2 matrix (a --labels name)")
    st.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    st.add_argument("--ci-method", default="wilson", choices=sorted(PROPORTION_CI_METHODS),
                    help="interval of the proportions (wilson)")  # fmt: skip
    st.set_defaults(run=_run_stats)

    demo = sub.add_parser(
        "demo",
        help="statmaker on report 000's best model (Arch 2), with confidence intervals",
        description="statmaker on report 000's best model (Arch 2), with confidence "
        "intervals, beside the published numbers.",
    )
    demo.add_argument("--level", type=float, default=0.95, help="confidence level")
    demo.add_argument("--ci-method", choices=sorted(PROPORTION_CI_METHODS), default="wilson",
                      help="interval method for proportions")  # fmt: skip
    demo.set_defaults(run=_run_demo, parser=demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``cxreval`` command; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``cxreval``, as on the command line; by default
        ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 after a one-line error on stderr (bad file or values). Bad or
        missing options exit through :class:`SystemExit` with status 2, as argparse does.

    Examples
    --------
    >>> from cxreval.cli import main
    >>> main(["stats", "--cm", "174 60; 40 350"])  # doctest: +ELLIPSIS
    statmaker: binary confusion matrix [[TN, FP], [FN, TP]], ... n = 624
    ...
    0
    """
    args = build_parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
        # point stdout at devnull so that flushing it at exit raises nothing either
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
    except (ValueError, TypeError, OSError) as exc:
        message = " ".join(str(exc).split())
        print(f"cxreval: error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
