"""A trained model's predictions, handed to :mod:`cxreval` for an honest report.

:func:`evaluate` predicts every image of the evaluation split, chooses the decision
threshold on *validation* data when it has some (:func:`cxreval.operating_point`, by
default Youden's J: the threshold maximizing sensitivity + specificity - 1) and gives the
:func:`cxreval.evaluate`: statmaker's statistics with their intervals at that threshold,
the ROC AUC with its confidence interval, the precision-recall curve, calibration and the
decision curve. :meth:`Evaluation.save` writes the report (text, JSON, HTML), the
predictions and one PNG per figure. :func:`predict` gives the probabilities alone; both
take an ensemble (a list of models, whose probabilities are averaged) and flip
test-time augmentation.

Multi-label data (a :class:`~cxrzoo.data.MultiLabelSet`: a label matrix with NaN for
missing labels, patient IDs, demographics) is evaluated finding by finding instead
(:mod:`cxrzoo.findings`): thresholds per finding on validation data, AUCs with
patient-clustered intervals and the same per sex.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxreval._io import save_figure, write_atomic
from cxreval.operating_point import operating_point
from cxreval.report import evaluate as cxreval_evaluate
from cxrzoo.data import ImageSet, MultiLabelSet, load, make_dataset
from cxrzoo.data.pipeline import array_input
from cxrzoo.findings import (
    CRITERIA,
    MultiLabelEvaluation,
    evaluate_findings,
    finding_thresholds,
    refuse_existing,
    subgroup_results,
)

__all__ = ["Evaluation", "Predictions", "evaluate", "predict"]

#: Test-time augmentations :func:`predict` knows: the views averaged for each image.
TTA = {None: "the image", "flip": "the image and its horizontal mirror image"}


#: The files :meth:`Evaluation.save` always writes (figures aside), relative to its folder.
OUTPUTS = (
    "report/report.txt",
    "report/report.json",
    "report/report.html",
    "evaluation.json",
    "predictions.csv",
)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A model's report on one data split and how its operating point was chosen.

    Attributes
    ----------
    report : cxreval.report.Report
        Statistics at the threshold, ROC AUC with CI, curves, calibration, decisions.
    threshold_method : str
        Where the threshold came from: ``"Youden's J on validation data, n = ..."``,
        ``"given"`` or ``"default 0.5"`` (binary); ``"highest probability"`` otherwise.
    class_names : tuple of str
    y_true : numpy.ndarray
        Integer labels of the evaluated images.
    y_score : numpy.ndarray
        Predicted probabilities: ``(n,)`` of the positive class, or ``(n, K)``.
    paths : tuple of str or None
        The image files, in the order of ``y_true`` (None for in-memory images).
    skipped : tuple of str
        Unreadable files left out.
    source : str
        The evaluated data.
    """

    report: Any
    threshold_method: str
    class_names: tuple[str, ...]
    y_true: np.ndarray
    y_score: np.ndarray
    paths: tuple[str, ...] | None
    skipped: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The report's dictionary plus the threshold method, data source and skipped files."""
        return {
            **self.report.to_dict(),
            "threshold_method": self.threshold_method,
            "source": self.source,
            "skipped": list(self.skipped),
        }

    def table(self) -> str:
        head = f"data: {self.source}; n = {len(self.y_true)}"
        if self.report.task == "binary":
            head += f"; threshold {self.report.threshold:.4g} ({self.threshold_method})"
        if self.skipped:
            head += f"; {len(self.skipped)} unreadable file(s) left out"
        return head + "\n\n" + self.report.table()

    def __str__(self) -> str:
        return self.table()

    def save(self, out: str | os.PathLike, *, force: bool = False) -> Path:
        """Write ``out/report`` (txt, JSON, HTML), ``out/predictions.csv``,
        ``out/evaluation.json`` and ``out/figures/*.png``; every file atomically.

        Parameters
        ----------
        out : path-like
            The folder (created if needed).
        force : bool, default False
            Replace the files of an earlier evaluation there; without it, any of them
            already in ``out`` raises FileExistsError naming them, before anything is
            written.

        Returns
        -------
        pathlib.Path
            ``out``.
        """
        import matplotlib.pyplot as plt

        out = Path(out)
        figures = [
            (caption.lower().replace(" ", "_").replace("(", "").replace(")", ""), draw)
            for caption, draw in self.report.figures()
        ]
        if not force:
            refuse_existing(out, [*OUTPUTS, *(f"figures/{name}.png" for name, _ in figures)])
        out.mkdir(parents=True, exist_ok=True)
        self.report.save(out / "report", force=force)
        write_atomic(out / "evaluation.json", json.dumps(self.to_dict(), indent=2, allow_nan=False))
        write_atomic(out / "predictions.csv", self._predictions_csv())
        for name, draw in figures:
            fig, ax = plt.subplots(figsize=(5.5, 4.5))
            draw(ax)
            save_figure(fig, out / "figures" / f"{name}.png")
            plt.close(fig)
        return out

    def _predictions_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        scores = self.y_score if self.y_score.ndim == 2 else self.y_score[:, None]
        score_names = (
            [f"p_{c}" for c in self.class_names]
            if self.y_score.ndim == 2
            else [f"p_{self.class_names[-1]}"]
        )
        writer.writerow(["index", "path", "true", *score_names])
        for i, (label, row) in enumerate(zip(self.y_true, scores, strict=True)):
            path = "" if self.paths is None else self.paths[i]
            writer.writerow([i, path, self.class_names[label], *(f"{v:.6g}" for v in row)])
        return buffer.getvalue()


@dataclass(frozen=True, eq=False)
class Predictions:
    """Probabilities of a model or an ensemble for every readable image of a split.

    Attributes
    ----------
    y_true : numpy.ndarray
        Integer labels of the predicted images, in order.
    y_score : numpy.ndarray
        ``(n, units)`` probabilities: the mean over the models and the TTA views.
    skipped : tuple of str
        Unreadable files left out.
    n_models : int
        Models averaged.
    tta : str or None
        The test-time augmentation (a key of :data:`TTA`).
    """

    y_true: np.ndarray
    y_score: np.ndarray
    skipped: tuple[str, ...]
    n_models: int
    tta: str | None


def predict(
    model: Any,
    images: ImageSet,
    *,
    tta: str | None = None,
    batch_size: int = 64,
    on_error: str = "warn",
) -> Predictions:
    """Probabilities of ``model`` -- or the mean of several models' -- for ``images``.

    Parameters
    ----------
    model : keras.Model, TrainResult or a sequence of them
        Each takes [0, 255] images and is fed at its own input size and channels. A
        sequence is an ensemble: its members' probabilities are averaged, so they must
        have the same number of outputs.
    images : ImageSet
    tta : {None, "flip"}
        ``"flip"`` averages each model over the image and its horizontal mirror image.
    batch_size : int
    on_error : {"warn", "raise"}
        Unreadable image files: skip with one warning, or raise.

    Returns
    -------
    Predictions

    Examples
    --------
    >>> import keras, numpy as np
    >>> from cxrzoo.data import ImageSet
    >>> x = keras.Input((4, 4, 1))
    >>> left = keras.layers.Lambda(lambda t: t[:, 0, 0] / 255)(x)  # top-left pixel
    >>> model = keras.Model(x, left)
    >>> images = np.zeros((1, 4, 4), np.uint8)
    >>> images[0, 0, 0] = 255  # top-left white; its mirror has it top-right
    >>> data = ImageSet(("normal", "pneumonia"), np.array([1]), images=images)
    >>> predict(model, data).y_score.tolist(), predict(model, data, tta="flip").y_score.tolist()
    ([[1.0]], [[0.5]])
    """
    if tta not in TTA:
        raise ValueError(f"tta must be None or one of {[k for k in TTA if k]}, got {tta!r}")
    models = _models(model)
    units = {m.output_shape[-1] for m in models}
    if len(units) > 1:
        raise ValueError(
            f"the models of an ensemble must have the same number of outputs, got {sorted(units)}"
        )
    inputs: dict[tuple, Any] = {}  # one input per input shape: images prepared once per call
    total, labels, skipped = None, None, ()
    for member in models:
        shape = tuple(member.input_shape[1:4])
        if shape not in inputs:
            inputs[shape] = _model_input(member, images, batch_size, on_error)
        x, labels, skipped = inputs[shape]
        scores = _scores(member, x, tta, batch_size)
        total = scores if total is None else total + scores
    return Predictions(
        y_true=labels,
        y_score=total / len(models),
        skipped=tuple(skipped),
        n_models=len(models),
        tta=tta,
    )


def evaluate(
    model: Any,
    data: Any,
    *,
    val_data: Any = None,
    threshold: float | None = None,
    criterion: str = "youden",
    target: float | None = None,
    class_names: tuple[str, ...] | None = None,
    name: str | None = None,
    level: float = 0.95,
    batch_size: int = 64,
    tta: str | None = None,
    out: str | os.PathLike | None = None,
    force: bool = False,
    on_error: str = "warn",
    **report_options: Any,
) -> Evaluation | MultiLabelEvaluation:
    """Predict ``data`` with ``model`` and report it with :func:`cxreval.evaluate`.

    Multi-label data (a :class:`~cxrzoo.data.MultiLabelSet`) gives a
    :class:`~cxrzoo.findings.MultiLabelEvaluation` instead: per finding (on the images
    where it is labelled) the AUC with Obuchowski's patient-clustered interval when the
    data has patient IDs (else DeLong's), the threshold chosen on ``val_data`` by
    ``criterion`` / ``target`` (else ``threshold``, else 0.5) and the sensitivity and
    specificity there with (clustered) intervals; the same per sex when the data has
    ``demographics["sex"]``.

    Parameters
    ----------
    model : keras.Model, TrainResult or a sequence of them
        Takes [0, 255] images; its input shape sets the image size and channels. A
        :class:`~cxrzoo.training.TrainResult` also brings its class names. A sequence is
        an ensemble whose probabilities are averaged (see :func:`predict`).
    data : path, dict of ImageSet or ImageSet
        What to evaluate: one ImageSet, or the ``"test"`` split of a loader's result
        (else its only split).
    val_data : path, dict of ImageSet or ImageSet, optional
        Validation images for choosing the threshold (binary). Default: the ``"val"``
        split of ``data`` when it is a path or dict that has one.
    threshold : float, optional
        A fixed threshold instead (binary). Without it and without validation data the
        threshold is 0.5.
    criterion, target : optional
        How the threshold is chosen on the validation data, by
        :func:`cxreval.operating_point`: ``"youden"`` (default; maximum of sensitivity +
        specificity - 1), ``"sensitivity"`` or ``"specificity"`` with ``target`` (e.g.
        ``criterion="sensitivity", target=0.95``), or ``"closest_topleft"``.
    class_names : tuple of str, optional
        The model's classes, in the order of its outputs. Default: the TrainResult's,
        else the data's. ``data`` and ``val_data`` must have the same names in the same
        order (compared ignoring case); other names raise ValueError naming both lists.
    name : str, optional
        The model's name in the report (default: the model's name).
    level : float
        Confidence level of every interval.
    batch_size : int
    tta : {None, "flip"}
        Test-time augmentation, on the evaluated and the validation images alike:
        ``"flip"`` averages over the image and its mirror image.
    out : path, optional
        Save the report there (see :meth:`Evaluation.save`).
    force : bool, default False
        Replace an earlier evaluation in ``out``; without it one raises
        FileExistsError naming its files (checked before the model predicts anything).
    on_error : {"warn", "raise"}
        Unreadable image files: skip with one warning, or raise.
    **report_options
        Passed to :func:`cxreval.evaluate` (``auc_ci_method="bootstrap"``, ``n_boot``,
        ``random_state``, ``n_bins``, ...).

    Returns
    -------
    Evaluation or MultiLabelEvaluation

    Examples
    --------
    >>> import cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> result = cxrzoo.train("szanet", synthetic(40, size=32), input_shape=(32, 32, 1),
    ...                       epochs=1, verbose=0)
    >>> ev = cxrzoo.evaluate(result, synthetic(40, size=32, seed=1))
    >>> ev.report.auc["pneumonia"].method
    'DeLong'
    """
    if out is not None and not force:  # before the model predicts anything
        refuse_existing(Path(out), OUTPUTS)
    trained = [m for m in _as_list(model) if _is_train_result(m)]
    trained_names = tuple(trained[0].class_names) if trained else None
    models = _models(model)
    test_set, default_val = _pick(data, "test")
    val_set = default_val if val_data is None else _pick(val_data, "val")[0]
    names = tuple(class_names or trained_names or test_set.class_names)
    if isinstance(test_set, MultiLabelSet):
        if report_options:
            raise TypeError(
                f"evaluate() of multi-label data takes no cxreval.evaluate options, got "
                f"{sorted(report_options)}"
            )
        result = _evaluate_multi_label(
            models, test_set, val_set, names, criterion, target, threshold, name, level,
            batch_size, tta, on_error,
        )  # fmt: skip
        if out is not None:
            result.save(out, force=force)
        return result
    units = models[0].output_shape[-1]
    if units not in (1, len(names)) or (units == 1 and len(names) != 2):
        raise ValueError(
            f"the model has {units} output(s) but there are {len(names)} classes {names}"
        )
    if len(names) != len(test_set.class_names):
        raise ValueError(
            f"the data has {len(test_set.class_names)} classes {test_set.class_names}, "
            f"the model {len(names)} {names}"
        )
    for role, images in (("data", test_set), ("val_data", val_set)):
        if images is not None and [c.lower() for c in images.class_names] != [
            c.lower() for c in names
        ]:
            raise ValueError(
                f"{role} has the classes {list(images.class_names)}, the model "
                f"{list(names)}: they must be the same names in the same order (case aside), "
                "or every AUC would be computed against the wrong class"
            )
    predicted = predict(models, test_set, tta=tta, batch_size=batch_size, on_error=on_error)
    scores = predicted.y_score
    binary = len(names) == 2
    if binary:
        scores = scores[:, 0] if units == 1 else scores[:, 1]
    y_names = np.asarray(names)[predicted.y_true]
    if threshold is not None:
        method = "given"
    elif binary and val_set is not None:
        val = predict(models, val_set, tta=tta, batch_size=batch_size, on_error=on_error)
        val_scores = val.y_score[:, 0] if units == 1 else val.y_score[:, 1]
        point = operating_point(val.y_true, val_scores, criterion=criterion, target=target)
        threshold = point.threshold
        goal = "" if target is None else f" >= {target:g}"
        method = f"{CRITERIA[criterion]}{goal} on validation data, n = {len(val.y_true)}"
    else:
        threshold = 0.5
        method = "default 0.5" if binary else "highest probability"
    report = cxreval_evaluate(
        y_names,
        scores,
        threshold=float(threshold) if binary else None,
        labels=list(names),
        pos_label=names[1] if binary else None,
        name=name or _ensemble_name(models, tta),
        level=level,
        **report_options,
    )
    kept = set(predicted.skipped)
    paths = None if test_set.paths is None else tuple(p for p in test_set.paths if p not in kept)
    result = Evaluation(
        report=report,
        threshold_method=method,
        class_names=names,
        y_true=predicted.y_true,
        y_score=np.asarray(scores),
        paths=paths,
        skipped=predicted.skipped,
        source=test_set.source or "in memory",
    )
    if out is not None:
        result.save(out, force=force)
    return result


def _evaluate_multi_label(
    models, test_set, val_set, names, criterion, target, threshold, name, level, batch_size,
    tta, on_error,
) -> MultiLabelEvaluation:  # fmt: skip
    """:func:`evaluate` of multi-label data: per-finding thresholds (on ``val_set`` when
    given), results per finding and per sex (see :mod:`cxrzoo.findings`)."""
    units = models[0].output_shape[-1]
    if units != len(names) or len(names) != len(test_set.class_names):
        raise ValueError(
            f"the model has {units} output(s), the data {len(test_set.class_names)} findings "
            f"{list(test_set.class_names)}: one output per finding is needed"
        )
    options = {"tta": tta, "batch_size": batch_size, "on_error": on_error}
    predicted = predict(models, test_set, **options)
    if threshold is not None:
        thresholds = {f: (float(threshold), "given") for f in names}
    elif val_set is not None:
        val = predict(models, val_set, **options)
        thresholds = finding_thresholds(
            val.y_true, val.y_score, names, criterion=criterion, target=target
        )
    else:
        thresholds = None
    kept = set(predicted.skipped)
    rows = np.array([p not in kept for p in test_set.paths]) if test_set.paths else None
    patients = getattr(test_set, "patient_ids", None)
    sex = getattr(test_set, "demographics", {}).get("sex")
    if rows is not None:
        patients = None if patients is None else np.asarray(patients)[rows]
        sex = None if sex is None else np.asarray(sex)[rows]
    y_true, y_score = np.asarray(predicted.y_true, float), np.asarray(predicted.y_score)
    common = {"patient_ids": patients, "thresholds": thresholds, "level": level}
    return MultiLabelEvaluation(
        name=name or _ensemble_name(models, tta),
        findings=evaluate_findings(y_true, y_score, names, **common),
        subgroups={}
        if sex is None
        else {"sex": subgroup_results(y_true, y_score, names, sex, **common)},
        class_names=tuple(names),
        y_true=y_true,
        y_score=y_score,
        patient_ids=None if patients is None else np.asarray(patients),
        paths=None if rows is None else tuple(np.asarray(test_set.paths)[rows]),
        skipped=predicted.skipped,
        source=test_set.source or "in memory",
        level=level,
    )


def _pick(data: Any, split: str) -> tuple[ImageSet, ImageSet | None]:
    """(the ``split`` ImageSet or the only one, the ``"val"`` split or None)."""
    if isinstance(data, (str, os.PathLike)):
        data = load(data)
    if isinstance(data, (ImageSet, MultiLabelSet)):
        return data, None
    if not isinstance(data, Mapping) or not data:
        raise TypeError(
            "data must be a path, an ImageSet or MultiLabelSet, or a dict of such splits"
        )
    if split in data:
        chosen = data[split]
    elif len(data) == 1:
        chosen = next(iter(data.values()))
    else:
        raise ValueError(f"data has no {split!r} split (splits: {sorted(data)})")
    val = data.get("val") if chosen is not data.get("val") else None
    return chosen, val


def _is_train_result(obj: Any) -> bool:
    return hasattr(obj, "model") and hasattr(obj, "class_names")


def _as_list(model: Any) -> list:
    if isinstance(model, Sequence) and not isinstance(model, (str, bytes)):
        if not model:
            raise ValueError("model: an ensemble needs at least one model")
        return list(model)
    return [model]


def _models(model: Any) -> list:
    """The Keras models of a model, a TrainResult or a sequence of them."""
    import keras

    models = [m.model if _is_train_result(m) else m for m in _as_list(model)]
    for m in models:
        if not isinstance(m, keras.Model):
            raise TypeError(
                f"model must be a keras.Model, a TrainResult or a sequence of them, "
                f"got {type(m).__name__}"
            )
    return models


def _ensemble_name(models: list, tta: str | None) -> str:
    name = models[0].name if len(models) == 1 else "mean of " + " + ".join(m.name for m in models)
    return name if tta is None else f"{name}, {tta} TTA"


def _model_input(model, images: ImageSet, batch_size: int, on_error: str) -> tuple:
    """``(inputs, labels, skipped paths)``: ``images`` at the model's input size and
    channels -- the in-memory array itself when it needs no resize (:func:`array_input`),
    else the images of the tf.data pipeline, cached after the first pass."""
    size, channels = tuple(model.input_shape[1:3]), model.input_shape[3]
    array = array_input(images, size, channels)
    if array is not None:
        return array, images.labels, ()
    mode = {"label_mode": "multi_label"} if isinstance(images, MultiLabelSet) else {}
    pipe = make_dataset(
        images, size=size, channels=channels, batch_size=batch_size, on_error=on_error, **mode
    )
    return pipe.dataset.map(lambda x, y: x), pipe.labels, pipe.skipped


def _scores(model, x, tta: str | None, batch_size: int) -> np.ndarray:
    """The model's mean probabilities over the ``tta`` views of ``x`` (an array or a
    dataset of image batches, both (n or batch, height, width, channels))."""
    views = [x]
    if tta == "flip":
        if isinstance(x, np.ndarray):
            views.append(x[:, :, ::-1])
        else:
            import tensorflow as tf

            views.append(x.map(lambda b: tf.reverse(b, axis=[2])))
    batch = {"batch_size": batch_size} if isinstance(x, np.ndarray) else {}  # datasets batch
    scores = [model.predict(v, verbose=0, **batch) for v in views]
    return np.mean(np.asarray(scores, dtype=float), axis=0)
