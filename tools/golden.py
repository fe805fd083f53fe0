"""Golden run: call every public function of cxreval and cxrzoo on fixed data, save JSON.

Used to prove that a refactoring changes nothing a user sees: run it before and after,
then compare the two files (``python tools/golden.py --compare before.json after.json``).
Arguments renamed on purpose are translated (``RENAMES``), so one script serves both
sides; messages are compared after the same renames.

    PYTHONPATH=src python tools/golden.py --out golden-before.json [--no-zoo]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import inspect
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

#: Parameter names changed on purpose by the restructure (old -> new).
RENAMES = {
    "positive": "pos_label",
    "method": "ci_method",
    "auc_method": "auc_ci_method",
    "ci_type": "bootstrap_method",
    "stratify": "strata",
    "thresholds": "decision_thresholds",
}
#: The same renames as they appear in messages and CLI flags (old -> new), for comparing.
TEXT_RENAMES = [
    ("--positive", "--pos-label"),
    ("--auc-method", "--auc-ci-method"),
    ("positive=", "pos_label="),
    ("ci_type", "bootstrap_method"),
    ("auc_method", "auc_ci_method"),
    ("stratify", "strata"),
]


def plain(value: Any) -> Any:
    """JSON-ready copy: floats as repr strings (exact), arrays as lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return {"shape": list(value.shape), "values": plain(value.tolist())}
    if isinstance(value, (np.floating, float)):
        return repr(float(value))
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    return f"<{type(value).__name__}>"


def call(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call with old keyword names translated to the new ones the function may take."""
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        params = {}
    fixed = {}
    for name, value in kwargs.items():
        if name not in params and RENAMES.get(name) in params:
            name = RENAMES[name]
        fixed[name] = value
    return function(*args, **fixed)


def axes_summary(ax: Any) -> dict[str, Any]:
    """What a figure shows: titles, labels, legend, line data (hashed), patches, texts."""
    legend = ax.get_legend()
    lines = []
    for line in ax.get_lines():
        xy = np.asarray(line.get_xydata(), dtype=float)
        lines.append([line.get_label(), hashlib.sha256(xy.tobytes()).hexdigest()[:16]])
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "legend": [t.get_text() for t in legend.get_texts()] if legend else None,
        "lines": lines,
        "patches": len(ax.patches),
        "texts": [t.get_text() for t in ax.texts],
        "images": len(ax.images),
        "collections": len(ax.collections),
    }


def result_record(result: Any) -> dict[str, Any]:
    """to_dict(), str() and table() (and the plot, when it has one) of a result."""
    import matplotlib.pyplot as plt

    record: dict[str, Any] = {"type": type(result).__name__}
    if hasattr(result, "to_dict"):
        record["to_dict"] = plain(result.to_dict())
    record["str"] = str(result)
    if hasattr(result, "table"):
        try:
            record["table"] = result.table()
        except TypeError as err:
            record["table"] = f"TypeError: {err}"
    if hasattr(result, "plot"):
        try:
            ax = result.plot()
            record["plot"] = axes_summary(ax)
        except Exception as err:
            record["plot"] = f"{type(err).__name__}: {err}"
        plt.close("all")
    return record


def error_of(function: Any, *args: Any, **kwargs: Any) -> str:
    try:
        call(function, *args, **kwargs)
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    return "no error"


def capture(function: Any, *args: Any) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = function(*args)
        except SystemExit as exc:
            code = exc.code
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def folder_record(folder: Path) -> dict[str, Any]:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            key = str(path.relative_to(folder))
            if path.suffix in (".txt", ".json", ".csv"):
                files[key] = data.decode()
            else:
                files[key] = hashlib.sha256(data).hexdigest()
    return files


def binary_data(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    a = np.clip(0.55 * y + rng.normal(0.2, 0.25, n), 0, 1)
    b = np.clip(0.35 * y + rng.normal(0.3, 0.25, n), 0, 1)
    return y, np.round(a, 3), np.round(b, 3)


def cxreval_golden() -> dict[str, Any]:
    import cxreval

    out: dict[str, Any] = {}
    y, a, b = binary_data()
    yp = (a >= 0.5).astype(int)
    rng = np.random.default_rng(1)
    y3 = rng.integers(0, 3, 240)
    p3 = rng.dirichlet(np.ones(3), 240)
    p3[np.arange(240), y3] += 0.6
    p3 /= p3.sum(axis=1, keepdims=True)

    # statmaker family
    out["statmaker_binary"] = result_record(cxreval.statmaker([[200, 34], [10, 380]]))
    for m in ("wilson", "clopper-pearson", "agresti-coull", "normal"):
        with contextlib.suppress(Exception):
            out[f"statmaker_{m}"] = result_record(
                call(cxreval.statmaker, [[200, 34], [10, 380]], ci_method=m, level=0.9)
            )
    out["statmaker_labels"] = result_record(
        call(
            cxreval.statmaker, [[50, 5], [7, 60]], labels=["NORMAL", "PNEUMONIA"], positive="NORMAL"
        )
    )
    out["statmaker_multi"] = result_record(
        cxreval.statmaker([[30, 2, 3], [4, 40, 1], [2, 2, 50]], labels=["a", "b", "c"])
    )
    out["statmaker_zero"] = result_record(
        call(cxreval.statmaker, [[10, 0], [5, 0]], zero_division=0.0)
    )
    out["statmaker_from_predictions"] = result_record(cxreval.statmaker_from_predictions(y, yp))
    out["statmaker_from_scores"] = result_record(
        call(cxreval.statmaker_from_predictions, y, None, y_score=a, threshold=0.4)
    )
    out["confusion_matrix"] = plain(cxreval.confusion_matrix(y3, p3.argmax(1)))
    out["binary_statistics"] = plain(cxreval.binary_statistics(40, 10, 5, 45))
    out["binary_intervals"] = plain(call(cxreval.binary_intervals, 40, 10, 5, 45, method="wilson"))
    for m in ("wilson", "clopper-pearson", "agresti-coull", "normal"):
        with contextlib.suppress(Exception):
            out[f"proportion_ci_{m}"] = plain(call(cxreval.proportion_ci, 7, 29, method=m))
    out["proportion_ci_edges"] = plain(
        [call(cxreval.proportion_ci, 0, 3), call(cxreval.proportion_ci, 29, 29)]
    )
    for s in ("lr_positive", "lr_negative", "odds_ratio", "dor", "diagnostic_odds_ratio"):
        with contextlib.suppress(Exception):
            out[f"ratio_ci_{s}"] = plain(cxreval.ratio_ci(40, 10, 5, 45, statistic=s))
    # curves
    out["roc_curve"] = result_record(cxreval.roc_curve(y, a))
    out["roc_curve_full"] = result_record(call(cxreval.roc_curve, y, a, drop_intermediate=False))
    out["pr_curve"] = result_record(cxreval.pr_curve(y, a))
    out["average_precision"] = plain(cxreval.average_precision(y, a))
    out["roc_auc"] = plain(cxreval.roc_auc(y, a))
    out["roc_auc_pos0"] = plain(call(cxreval.roc_auc, y, a, positive=0))
    out["roc_auc_ci_delong"] = result_record(cxreval.roc_auc_ci(y, a))
    for ct in ("percentile", "bca", "basic"):
        out[f"roc_auc_ci_boot_{ct}"] = result_record(
            call(
                cxreval.roc_auc_ci, y, a, method="bootstrap", ci_type=ct, n_boot=300, random_state=3
            )
        )
    out["roc_auc_ci_unstrat"] = result_record(
        call(
            cxreval.roc_auc_ci,
            y,
            a,
            method="bootstrap",
            stratified=False,
            n_boot=300,
            random_state=3,
        )
    )
    out["delong_covariance"] = plain(cxreval.delong_covariance(y, a, b))
    out["delong_test"] = result_record(cxreval.delong_test(y, a, b))
    out["delong_test_greater"] = result_record(
        call(cxreval.delong_test, y, a, b, alternative="greater")
    )
    out["delong_test_unpaired"] = result_record(
        cxreval.delong_test_unpaired(y[:150], a[:150], y[150:], b[150:])
    )
    out["bootstrap_auc_test"] = result_record(
        call(cxreval.bootstrap_auc_test, y, a, b, n_boot=300, random_state=4)
    )
    out["roc_band"] = result_record(call(cxreval.roc_band, y, a, n_boot=200, random_state=5))
    out["roc_band_boot_auc"] = result_record(
        call(cxreval.roc_band, y, a, n_boot=200, random_state=5, auc_method="bootstrap")
    )
    # bootstrap
    out["bootstrap_mean"] = result_record(
        call(cxreval.bootstrap, np.mean, a, n_boot=300, random_state=6)
    )
    for ct in ("percentile", "bca", "basic"):
        out[f"bootstrap_{ct}"] = result_record(
            call(
                cxreval.bootstrap,
                cxreval.roc_auc,
                y,
                a,
                n_boot=300,
                random_state=6,
                ci_type=ct,
                stratify=y,
            )
        )
    out["bootstrap_statmaker"] = result_record(
        call(cxreval.bootstrap_statmaker, y, yp, n_boot=300, random_state=7)
    )
    out["bootstrap_statmaker_scores"] = result_record(
        call(
            cxreval.bootstrap_statmaker,
            y,
            None,
            y_score=a,
            threshold=0.4,
            n_boot=300,
            random_state=7,
            ci_type="bca",
        )
    )
    # calibration, decision
    out["brier_score"] = plain(cxreval.brier_score(y, a))
    out["reliability_curve"] = result_record(cxreval.reliability_curve(y, a))
    out["reliability_curve_q"] = result_record(
        call(cxreval.reliability_curve, y, a, n_bins=5, strategy="quantile")
    )
    out["decision_curve"] = result_record(cxreval.decision_curve(y, {"a": a, "b": b}))
    # multiclass
    out["hand_till_auc"] = plain(cxreval.hand_till_auc(y3, p3))
    out["roc_auc_multiclass"] = result_record(
        call(cxreval.roc_auc_multiclass, y3, p3, random_state=12)
    )
    out["roc_auc_multiclass_boot"] = result_record(
        call(cxreval.roc_auc_multiclass, y3, p3, method="bootstrap", n_boot=200, random_state=8)
    )
    # operating points
    for crit, target in (("youden", None), ("sensitivity", 0.9), ("specificity", 0.9)):
        with contextlib.suppress(TypeError):
            kwargs = {"criterion": crit} | ({"target": target} if target else {})
            out[f"operating_point_{crit}"] = result_record(
                call(cxreval.operating_point, y, a, **kwargs, n_boot=200, random_state=9)
            )
    # reports
    report = call(cxreval.evaluate, y, a, name="model A", n_boot=200, random_state=10)
    out["evaluate"] = result_record(report)
    out["evaluate_boot"] = result_record(
        call(
            cxreval.evaluate,
            y,
            a,
            auc_method="bootstrap",
            n_boot=200,
            random_state=10,
            thresholds=np.linspace(0.05, 0.5, 10),
        )
    )
    out["evaluate_multiclass"] = result_record(
        call(cxreval.evaluate, y3, p3, labels=[0, 1, 2], random_state=11)
    )
    comparison = cxreval.compare(y, {"A": a, "B": b})
    out["compare"] = result_record(comparison)
    with tempfile.TemporaryDirectory() as tmp:
        report.save(Path(tmp) / "r")
        out["report_files"] = folder_record(Path(tmp) / "r")
        out["load_report"] = plain(
            cxreval.load_report(Path(tmp) / "r") if hasattr(cxreval, "load_report") else None
        )
        comparison.save(Path(tmp) / "c")
        out["compare_files"] = folder_record(Path(tmp) / "c")
    # pruning scorer
    scorer = (
        cxreval.pruning.score_sweep
        if hasattr(cxreval, "pruning")
        else cxreval.sparsity_score.score_sweep
    )
    levels = [0.0, 0.5, 0.8, 0.9, 0.95]
    acc = [0.9, 0.9, 0.88, 0.85, 0.7]
    out["score_sweep"] = result_record(scorer(levels, acc, n_cases=624))
    for rule in ("max_sparsity_within_delta", "best_tradeoff", "knee"):
        with contextlib.suppress(Exception):
            out[f"score_sweep_{rule}"] = result_record(
                call(scorer, levels, acc, rule=rule, n_cases=624)
            )
    # errors: the messages a user reads
    out["errors"] = {
        "roc_auc_one_class": error_of(cxreval.roc_auc, [1, 1, 1], [0.1, 0.2, 0.3]),
        "roc_auc_len": error_of(cxreval.roc_auc, [0, 1], [0.1, 0.2, 0.3]),
        "roc_auc_nan": error_of(cxreval.roc_auc, [0, 1, 1], [0.1, np.nan, 0.3]),
        "statmaker_neg": error_of(cxreval.statmaker, [[1, -1], [2, 3]]),
        "statmaker_level": error_of(cxreval.statmaker, [[1, 1], [2, 3]], level=1.5),
        "proportion_ci_method": error_of(cxreval.proportion_ci, 1, 3, method="nope"),
        "roc_auc_ci_method": error_of(cxreval.roc_auc_ci, y, a, method="nope"),
        "bootstrap_bad_ci": error_of(cxreval.bootstrap, np.mean, a, ci_type="nope"),
        "positive_missing": error_of(cxreval.roc_auc, y, a, positive=7),
        "evaluate_threshold": error_of(cxreval.evaluate, y, a, threshold=2),
    }
    # CLI
    from cxreval import cli

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "p.csv"
        csv.write_text(
            "y,a,b\n" + "".join(f"{t},{s},{u}\n" for t, s, u in zip(y, a, b, strict=False))
        )
        out["cli_stats"] = capture(cli.main, ["stats", "--cm", "200 34; 10 380"])
        out["cli_report"] = capture(
            cli.main,
            [
                "report",
                str(csv),
                "--label-col",
                "y",
                "--score-col",
                "a",
                "--score-col",
                "b",
                "--out",
                str(Path(tmp) / "out"),
                "--n-boot",
                "200",
                "--seed",
                "1",
            ],
        )
        out["cli_report"]["stdout"] = out["cli_report"]["stdout"].replace(tmp, "TMP")
        out["cli_report_files"] = folder_record(Path(tmp) / "out")
        out["cli_bad"] = capture(cli.main, ["stats", "--cm", "1 2; 3"])
    import cxreval.__main__ as dunder_main

    demo = dunder_main.main if "demo" not in capture(cli.main, ["--help"])["stdout"] else None
    out["demo"] = capture(demo, []) if demo else capture(cli.main, ["demo"])
    return out


def cxrzoo_golden() -> dict[str, Any]:
    import keras

    import cxrzoo

    out: dict[str, Any] = {}
    names = cxrzoo.list_models()
    out["list_models"] = names
    out["cards"] = {n: cxrzoo.get_preset(n).card() for n in names}
    out["presets"] = {n: plain(cxrzoo.get_preset(n)) for n in names}
    params = {}
    for n in names:
        preset = cxrzoo.get_preset(n)
        keras.utils.set_random_seed(0)
        try:
            model = cxrzoo.build(n)
            params[n] = [model.count_params(), list(model.output_shape)]
        except Exception as err:
            params[n] = f"{type(err).__name__}: {err}"
        keras.backend.clear_session()
        del preset
    out["build"] = params
    keras.utils.set_random_seed(0)
    model = cxrzoo.build("berreby_cnn", input_shape=(32, 32, 1))
    x = np.linspace(0, 255, 4 * 32 * 32).reshape(4, 32, 32, 1).astype("float32")
    out["berreby_predict"] = plain(model.predict(x, verbose=0))
    from cxrzoo.data import synthetic

    data = synthetic(96, size=32, seed=0)
    test, val = synthetic(40, size=32, seed=1), synthetic(40, size=32, seed=2)
    out["synthetic"] = plain([data.images, data.labels, data.class_names])
    # training, prediction and evaluation of a tiny model, seeded
    with tempfile.TemporaryDirectory() as tmp:
        run = cxrzoo.train(
            "berreby_cnn",
            data,
            input_shape=(32, 32, 1),
            epochs=2,
            batch_size=16,
            out=Path(tmp) / "run",
            seed=0,
            verbose=0,
        )
        out["train_history"] = plain(run.history)
        out["train_class_weight"] = plain(run.class_weight)
        out["train_files"] = sorted(
            str(p.relative_to(Path(tmp) / "run")) for p in (Path(tmp) / "run").rglob("*")
        )
        out["train_json"] = plain(json.loads((Path(tmp) / "run" / "train.json").read_text()))
        predictions = cxrzoo.predict(run.model, test)
        out["predict"] = plain(
            predictions.to_dict() if hasattr(predictions, "to_dict") else predictions
        )
        evaluation = cxrzoo.evaluate(run.model, test, val_data=val, criterion="youden")
        out["evaluate"] = plain(evaluation.to_dict())
        out["evaluate_str"] = str(evaluation)
        evaluation.save(Path(tmp) / "ev")
        out["evaluate_files"] = {
            k: v for k, v in folder_record(Path(tmp) / "ev").items() if not k.endswith(".html")
        }
    from cxrzoo import cli

    out["cli_list"] = capture(cli.main, ["list"])
    out["cli_info"] = capture(cli.main, ["info", "szanet"])
    return out


def normalized(text: str) -> str:
    for old, new in TEXT_RENAMES:
        text = text.replace(old, new)
    text = re.sub(r"/tmp/tmp[\w]+", "TMP", text)
    return re.sub(r"0x[0-9a-f]+", "0x?", text)


def compare(before: Path, after: Path) -> int:
    a = json.loads(Path(before).read_text())
    b = json.loads(Path(after).read_text())
    diffs = []

    def walk(x: Any, y: Any, where: str) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                if k not in x or k not in y:
                    diffs.append(f"{where}/{k}: only in {'after' if k in y else 'before'}")
                else:
                    walk(x[k], y[k], f"{where}/{k}")
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (u, v) in enumerate(zip(x, y, strict=False)):
                walk(u, v, f"{where}[{i}]")
        elif isinstance(x, str) and isinstance(y, str):
            if normalized(x) != normalized(y):
                diffs.append(f"{where}: {x[:300]!r} != {y[:300]!r}")
        elif x != y:
            diffs.append(f"{where}: {str(x)[:300]} != {str(y)[:300]}")

    walk(a, b, "")
    for d in diffs:
        print(d)
    print(f"{len(diffs)} differences")
    return 1 if diffs else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    parser.add_argument("--no-zoo", action="store_true")
    parser.add_argument("--zoo-only", action="store_true")
    parser.add_argument("--compare", nargs=2)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    import warnings

    warnings.simplefilter("ignore")
    result = {} if args.zoo_only else {"cxreval": cxreval_golden()}
    if not args.no_zoo:
        result["cxrzoo"] = cxrzoo_golden()
    Path(args.out).write_text(json.dumps(result, indent=1, sort_keys=True))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
