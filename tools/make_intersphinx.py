"""Write the small intersphinx inventories in ``docs/_intersphinx/`` (no network needed).

The docs link Python, numpy, scikit-learn, matplotlib, Keras and pandas names to their
official pages, but CI has no network to download each project's ``objects.inv``. This
script writes a small inventory per project holding only the names our docs reference,
each with its real address. When ``sphinx-build -n`` reports an unresolved external name,
add it to ``TARGETS`` and run (needs the ``sphobjinv`` package)::

    python tools/make_intersphinx.py
"""

from __future__ import annotations

from pathlib import Path

import sphobjinv as soi

OUT = Path(__file__).resolve().parents[1] / "docs" / "_intersphinx"

_NP = "reference/generated/{0}.html#{0}"
_SK = "modules/generated/{0}.html#{0}"
_PY_BUILTIN = "library/functions.html#{0}"
_PY_TYPE = "library/stdtypes.html#{0}"

# project: (name, role, path relative to the project's docs root) per target
TARGETS: dict[str, list[tuple[str, str, str]]] = {
    "python": [
        *[
            (n, "exception", f"library/exceptions.html#{n}")
            for n in (
                "ValueError",
                "TypeError",
                "KeyError",
                "RuntimeError",
                "RuntimeWarning",
                "UserWarning",
                "Warning",
                "FileNotFoundError",
                "FileExistsError",
                "OSError",
                "BrokenPipeError",
                "ImportError",
                "ModuleNotFoundError",
                "IndexError",
                "NotImplementedError",
                "AttributeError",
            )
        ],
        *[(n, "class", _PY_BUILTIN.format(n)) for n in ("int", "float", "bool", "object")],
        *[
            (n, "class", _PY_TYPE.format(n))
            for n in ("str", "dict", "list", "tuple", "set", "bytes")
        ],
        *[(n, "function", _PY_BUILTIN.format(n)) for n in ("print", "len", "repr", "round")],
        ("None", "data", "library/constants.html#None"),
        ("True", "data", "library/constants.html#True"),
        ("False", "data", "library/constants.html#False"),
        ("json", "module", "library/json.html#module-json"),
        ("json.dumps", "function", "library/json.html#json.dumps"),
        ("json.loads", "function", "library/json.html#json.loads"),
        ("ast", "module", "library/ast.html#module-ast"),
        ("fnmatch", "module", "library/fnmatch.html#module-fnmatch"),
        ("fnmatch.fnmatch", "function", "library/fnmatch.html#fnmatch.fnmatch"),
        ("dataclasses.replace", "function", "library/dataclasses.html#dataclasses.replace"),
        ("dataclasses.dataclass", "function", "library/dataclasses.html#dataclasses.dataclass"),
        ("importlib.import_module", "function", "library/importlib.html#importlib.import_module"),
        ("pathlib.Path", "class", "library/pathlib.html#pathlib.Path"),
        ("os.PathLike", "class", "library/os.html#os.PathLike"),
        ("os.umask", "function", "library/os.html#os.umask"),
        ("os.replace", "function", "library/os.html#os.replace"),
        ("csv", "module", "library/csv.html#module-csv"),
        ("multiprocessing", "module", "library/multiprocessing.html#module-multiprocessing"),
        (
            "concurrent.futures.ProcessPoolExecutor",
            "class",
            "library/concurrent.futures.html#concurrent.futures.ProcessPoolExecutor",
        ),
        (
            "collections.abc.Mapping",
            "class",
            "library/collections.abc.html#collections.abc.Mapping",
        ),
        (
            "collections.abc.Sequence",
            "class",
            "library/collections.abc.html#collections.abc.Sequence",
        ),
        ("typing.Any", "data", "library/typing.html#typing.Any"),
        ("warnings.warn", "function", "library/warnings.html#warnings.warn"),
        ("random", "module", "library/random.html#module-random"),
        ("pickle", "module", "library/pickle.html#module-pickle"),
    ],
    "numpy": [
        ("numpy", "module", "reference/index.html#module-numpy"),
        ("numpy.ndarray", "class", _NP.format("numpy.ndarray")),
        (
            "numpy.random.Generator",
            "class",
            "reference/random/generator.html#numpy.random.Generator",
        ),
        (
            "numpy.random.default_rng",
            "function",
            "reference/random/generator.html#numpy.random.default_rng",
        ),
        *[
            (f"numpy.{n}", "function", _NP.format(f"numpy.{n}"))
            for n in (
                "unique",
                "quantile",
                "bincount",
                "percentile",
                "asarray",
                "argsort",
                "searchsorted",
                "cov",
                "trapezoid",
                "interp",
                "load",
                "savez",
                "savez_compressed",
            )
        ],
        ("numpy.nan", "data", "reference/constants.html#numpy.nan"),
        ("numpy.float64", "class", "reference/arrays.scalars.html#numpy.float64"),
        ("numpy.int64", "class", "reference/arrays.scalars.html#numpy.int64"),
        ("numpy.uint8", "class", "reference/arrays.scalars.html#numpy.uint8"),
    ],
    "sklearn": [
        *[
            (f"sklearn.metrics.{n}", "function", _SK.format(f"sklearn.metrics.{n}"))
            for n in (
                "roc_curve",
                "roc_auc_score",
                "precision_recall_curve",
                "average_precision_score",
                "confusion_matrix",
                "brier_score_loss",
                "classification_report",
                "precision_recall_fscore_support",
                "matthews_corrcoef",
                "cohen_kappa_score",
                "balanced_accuracy_score",
                "f1_score",
                "log_loss",
                "accuracy_score",
            )
        ],
        (
            "sklearn.calibration.calibration_curve",
            "function",
            _SK.format("sklearn.calibration.calibration_curve"),
        ),
        (
            "sklearn.model_selection.StratifiedKFold",
            "class",
            _SK.format("sklearn.model_selection.StratifiedKFold"),
        ),
        (
            "sklearn.model_selection.train_test_split",
            "function",
            _SK.format("sklearn.model_selection.train_test_split"),
        ),
        (
            "sklearn.utils.check_random_state",
            "function",
            _SK.format("sklearn.utils.check_random_state"),
        ),
        ("sklearn.datasets", "module", "api/sklearn.datasets.html#module-sklearn.datasets"),
    ],
    "matplotlib": [
        ("matplotlib", "module", "index.html#module-matplotlib"),
        ("matplotlib.pyplot", "module", "api/pyplot_summary.html#module-matplotlib.pyplot"),
        (
            "matplotlib.axes.Axes",
            "class",
            "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes",
        ),
        (
            "matplotlib.figure.Figure",
            "class",
            "api/_as_gen/matplotlib.figure.Figure.html#matplotlib.figure.Figure",
        ),
        (
            "matplotlib.pyplot.subplots",
            "function",
            "api/_as_gen/matplotlib.pyplot.subplots.html#matplotlib.pyplot.subplots",
        ),
        (
            "matplotlib.pyplot.savefig",
            "function",
            "api/_as_gen/matplotlib.pyplot.savefig.html#matplotlib.pyplot.savefig",
        ),
    ],
    "keras": [
        ("keras", "module", "api/"),
        ("keras.Model", "class", "api/models/model/#model-class"),
        ("keras.Model.fit", "method", "api/models/model_training_apis/#fit-method"),
        ("keras.Sequential", "class", "api/models/sequential/#sequential-class"),
        ("keras.applications", "module", "api/applications/"),
        ("keras.layers.Layer", "class", "api/layers/base_layer/#layer-class"),
        ("keras.callbacks.Callback", "class", "api/callbacks/base_callback/#callback-class"),
        (
            "keras.callbacks.EarlyStopping",
            "class",
            "api/callbacks/early_stopping/#earlystopping-class",
        ),
        (
            "keras.callbacks.ReduceLROnPlateau",
            "class",
            "api/callbacks/reduce_lr_on_plateau/#reducelronplateau-class",
        ),
        (
            "keras.callbacks.ModelCheckpoint",
            "class",
            "api/callbacks/model_checkpoint/#modelcheckpoint-class",
        ),
        (
            "keras.callbacks.BackupAndRestore",
            "class",
            "api/callbacks/backup_and_restore/#backupandrestore-class",
        ),
        ("keras.metrics.F1Score", "class", "api/metrics/classification_metrics/#f1score-class"),
        ("keras.metrics.AUC", "class", "api/metrics/classification_metrics/#auc-class"),
        (
            "keras.utils.set_random_seed",
            "function",
            "api/utils/python_utils/#setrandomseed-function",
        ),
        ("keras.optimizers.Adam", "class", "api/optimizers/adam/#adam-class"),
        (
            "keras.losses.BinaryFocalCrossentropy",
            "class",
            "api/losses/probabilistic_losses/#binaryfocalcrossentropy-class",
        ),
    ],
    "pandas": [
        ("pandas.DataFrame", "class", "reference/api/pandas.DataFrame.html#pandas.DataFrame"),
        ("pandas.read_csv", "function", "reference/api/pandas.read_csv.html#pandas.read_csv"),
    ],
}
PROJECTS = {
    "python": "Python",
    "numpy": "NumPy",
    "sklearn": "scikit-learn",
    "matplotlib": "Matplotlib",
    "keras": "Keras",
    "pandas": "pandas",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for key, targets in TARGETS.items():
        inv = soi.Inventory()
        inv.project, inv.version = PROJECTS[key], "stable"
        for name, role, uri in targets:
            inv.objects.append(
                soi.DataObjStr(
                    name=name, domain="py", role=role, priority="1", uri=uri, dispname="-"
                )
            )
        text = inv.data_file(contract=True)
        (OUT / f"{key}.inv").write_bytes(soi.compress(text))
        print(f"{key}.inv: {len(targets)} names")


if __name__ == "__main__":
    main()
