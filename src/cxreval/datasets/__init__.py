"""Small example data shipped with cxreval, loaded the way ``sklearn.datasets`` does.

Importing this module needs only numpy; ``as_frame=True`` imports pandas when asked.
What is real and what is simulated in each table is in ``data/README.md`` beside this
file and in the ``description`` of what a loader returns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ExamplePredictions", "example_predictions_path", "load_example_predictions"]

_DATA = "data"
_PREDICTIONS = "example_predictions.csv"
#: The two models' columns, in the file's order.
MODELS = ("szanet", "densenet121")
#: The thresholds the two models chose on PneumoniaMNIST's validation split (Youden's J).
VALIDATION_THRESHOLDS = {"szanet": 0.63933, "densenet121": 0.193886}
#: The columns that are simulated (PneumoniaMNIST has no patient or demographic data).
SIMULATED = ("patient_id", "sex", "age_band", "view")


def _data_file(name: str) -> Path:
    return Path(str(resources.files(__name__).joinpath(_DATA, name)))


def example_predictions_path() -> Path:
    """The path of the example predictions CSV, for the command line.

    Returns
    -------
    pathlib.Path
        ``.../cxreval/datasets/data/example_predictions.csv``.

    Examples
    --------
    >>> from cxreval.datasets import example_predictions_path
    >>> example_predictions_path().name
    'example_predictions.csv'
    """
    return _data_file(_PREDICTIONS)


@dataclass(frozen=True, repr=False)
class ExamplePredictions:
    """The example predictions table (see :func:`cxreval.datasets.load_example_predictions`).

    Attributes
    ----------
    y_true : numpy.ndarray of int
        The true labels, 1 = pneumonia (real).
    scores : dict of str to numpy.ndarray
        Each model's predicted probability of pneumonia, ``{"szanet": ..., "densenet121":
        ...}`` (real model outputs).
    image_id : numpy.ndarray of int
        Index of the image in PneumoniaMNIST's test split (real).
    patient_id, sex, age_band, view : numpy.ndarray of str
        Simulated columns (see ``simulated``).
    thresholds : dict of str to float
        The threshold each model chose on the validation split (Youden's J).
    simulated : tuple of str
        The names of the simulated columns.
    path : pathlib.Path
        The CSV file.
    description : str
        The data's README: provenance, licence and what is simulated.
    frame : pandas.DataFrame or None
        The whole table when loaded with ``as_frame=True``.
    """

    y_true: np.ndarray
    scores: dict[str, np.ndarray]
    image_id: np.ndarray
    patient_id: np.ndarray
    sex: np.ndarray
    age_band: np.ndarray
    view: np.ndarray
    thresholds: dict[str, float]
    simulated: tuple[str, ...]
    path: Path
    description: str = field(repr=False)
    frame: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"ExamplePredictions({len(self.y_true)} images, {int(self.y_true.sum())} positive; "
            f"models {', '.join(self.scores)}; simulated {', '.join(self.simulated)}; "
            f"path {str(self.path)!r})"
        )


def load_example_predictions(*, as_frame: bool = False) -> ExamplePredictions:
    """Load 624 chest X-rays' labels and two models' scores, with patient columns.

    The labels are PneumoniaMNIST's test split (MedMNIST v2, CC BY 4.0) and the scores are
    two real models' outputs from cxrkit's PneumoniaMNIST benchmark (SZANet and
    DenseNet121). The ``patient_id``, ``sex``, ``age_band`` and ``view`` columns are
    **simulated** (seeded, independent of labels and scores): PneumoniaMNIST has none.

    Parameters
    ----------
    as_frame : bool, default False
        Also return the table as a :class:`pandas.DataFrame` in ``frame`` (needs pandas,
        which cxreval does not otherwise require).

    Returns
    -------
    ExamplePredictions
        The columns as numpy arrays, the validation thresholds, the file's path and its
        description.

    Examples
    --------
    >>> import cxreval
    >>> from cxreval.datasets import load_example_predictions
    >>> data = load_example_predictions()
    >>> data.y_true.shape, int(data.y_true.sum()), sorted(data.scores)
    ((624,), 390, ['densenet121', 'szanet'])
    >>> round(cxreval.roc_auc(data.y_true, data.scores["szanet"]), 3)
    0.961
    >>> data.simulated
    ('patient_id', 'sex', 'age_band', 'view')
    """
    path = example_predictions_path()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    frame = None
    if as_frame:
        import pandas as pd  # optional: only for as_frame=True

        frame = pd.read_csv(path, dtype={c: str for c in SIMULATED})
    return ExamplePredictions(
        y_true=np.asarray(columns["y_true"], dtype=int),
        scores={m: np.asarray(columns[m], dtype=float) for m in MODELS},
        image_id=np.asarray(columns["image_id"], dtype=int),
        patient_id=np.asarray(columns["patient_id"]),
        sex=np.asarray(columns["sex"]),
        age_band=np.asarray(columns["age_band"]),
        view=np.asarray(columns["view"]),
        thresholds=dict(VALIDATION_THRESHOLDS),
        simulated=SIMULATED,
        path=path,
        description=_data_file("README.md").read_text(encoding="utf-8"),
        frame=frame,
    )
