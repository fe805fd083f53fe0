"""A run's record: the fingerprint of what decides its result (``run.json``), the check
that resumes only the same run in an ``out`` folder, and reading a finished run back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import keras
import numpy as np

from cxrzoo.data import ImageSet
from cxrzoo.factory import build
from cxrzoo.preset import Preset
from cxrzoo.registry import get_preset
from cxrzoo.training.options import RunSpec, TrainOptions

__all__ = [
    "check_folder",
    "data_identity",
    "flatten_record",
    "load_keras_file",
    "load_trained",
    "preset_record",
    "read_train_json",
    "run_record",
]


def run_record(
    spec: RunSpec, options: TrainOptions, train_set: ImageSet, val_set: ImageSet | None, seed: int
) -> dict[str, Any]:
    """What decides a run's result, JSON-ready: a run into the same ``out`` must match it.

    Not recorded (a resumed run may change them): callbacks, verbosity, strategy, XLA.
    """
    input_shape, weights = options.input_shape, options.weights
    model = (
        preset_record(spec.own)
        if spec.model is None
        else {  # not its name: Keras numbers unnamed models per session ("functional_1")
            "input_shape": list(spec.model.input_shape[1:]),
            "parameters": int(spec.model.count_params()),
        }
    )
    if spec.own is not None:  # the preset's own: record what is used
        input_shape = spec.own.input_shape if input_shape is None else input_shape
        weights = spec.own.weights if weights == "preset" else weights
    elif weights == "preset":  # a Keras model's weights are its own
        weights = None
    record = {
        "model": model,
        "preset": None if spec.preset is None else preset_record(spec.preset),
        "epochs": spec.epochs,
        "fine_tune_epochs": spec.fine_tune_epochs,
        "batch_size": spec.batch_size,
        "learning_rate": spec.learning_rate,
        "input_shape": None if input_shape is None else list(input_shape),
        "weights": None if weights is None else str(weights),
        "seed": seed,
        "mixed_precision": options.mixed_precision,
        "train_data": data_identity(train_set),
        "validation_data": None if val_set is None else data_identity(val_set),
    }
    return json.loads(json.dumps(record))


def preset_record(preset: Preset) -> dict[str, Any]:
    """A preset's fields that shape the model or its training (not its report or text)."""
    text = ("description", "source", "reported", "reconstructed")
    return {k: v for k, v in preset.to_dict().items() if k not in text}


def data_identity(images: ImageSet) -> dict[str, Any]:
    """Class names, size and a digest of the labels and the files (or pixels) of a split
    (a multi-label split: of its float32 label matrix, NaN included)."""
    labels = np.asarray(images.labels)
    digest = hashlib.sha256(
        labels.astype(np.float32).tobytes()
        if labels.ndim == 2
        else labels.astype(np.int64).tobytes()
    )
    if images.paths is not None:  # relative to their common folder: a moved or
        paths = [os.path.abspath(p) for p in images.paths]  # relatively named folder
        root = os.path.commonpath(paths) if len(paths) > 1 else os.path.dirname(*paths[:1] or [""])
        digest.update("\n".join(os.path.relpath(p, root) for p in paths).encode())
    else:  # the pixels, read in place (no copy of a large array)
        digest.update(memoryview(np.ascontiguousarray(images.images)).cast("B"))
    return {
        "class_names": list(images.class_names),
        "images": len(images),
        "sha256": digest.hexdigest()[:16],
    }


def check_folder(out: Path, record: Mapping[str, Any]) -> None:
    """Check that a run recorded in ``out/run.json`` (if any) has the settings ``record``.

    Raises ValueError naming every setting that differs: resuming into a folder of
    another run would mix its finished phases with the new settings.
    """
    file = out / "run.json"
    if not file.is_file():
        return
    before, now = flatten_record(json.loads(file.read_text())), flatten_record(record)
    changed = [
        f"{key}: {before.get(key, '(unset)')!r} -> {now.get(key, '(unset)')!r}"
        for key in sorted(set(before) | set(now))
        if before.get(key) != now.get(key)
    ]
    if changed:
        raise ValueError(
            f"out={str(out)!r} holds a run with other settings ({'; '.join(changed)}); only "
            "the same command resumes there: give a new out folder, or delete that one to "
            "start over"
        )


def flatten_record(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one dict with dotted keys (lists are compared whole).

    Examples
    --------
    >>> flatten_record({"model": {"epochs": 2}, "seed": 0})
    {'model.epochs': 2, 'seed': 0}
    """
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            flat.update(flatten_record(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def load_trained(path: str | os.PathLike) -> tuple[Any, tuple[str, ...] | None]:
    """The model (and its class names) saved by :func:`train`, or a ``.keras`` file.

    Parameters
    ----------
    path : path
        A folder :func:`train` wrote with ``out=`` (``train.json`` + ``model.weights.h5``;
        the model is rebuilt from the registry and its weights loaded), or a Keras
        ``.keras`` model file (class names unknown: None).

    Returns
    -------
    (keras.Model, tuple of str or None)

    Examples
    --------
    >>> import tempfile, cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> out = tempfile.mkdtemp()
    >>> _ = cxrzoo.train("szanet", synthetic(20, size=32), input_shape=(32, 32, 1), epochs=1,
    ...                  out=out, verbose=0)
    >>> model, names = cxrzoo.load_trained(out)
    >>> names
    ('normal', 'pneumonia')
    """
    path = Path(path)
    if path.is_file() and path.suffix == ".keras":
        return load_keras_file(path), None
    info_file, weights_file = path / "train.json", path / "model.weights.h5"
    if not path.is_dir() or not info_file.is_file() or not weights_file.is_file():
        raise FileNotFoundError(
            f"{str(path)!r} is neither a .keras file nor a folder written by cxrzoo train "
            "(with train.json and model.weights.h5)"
        )
    info = read_train_json(info_file)
    settings = info["settings"]
    try:
        own = get_preset(info["name"])
    except ValueError:
        raise ValueError(
            f"{info['name']!r} in {str(info_file)!r} is not a registry model; save your own "
            "models with model.save('file.keras') and evaluate that file"
        ) from None
    num_classes = settings["num_classes"]
    multi = settings.get("label_mode") == "multi_label"
    model = build(
        own.name,
        input_shape=tuple(settings["input_shape"]),
        num_classes=num_classes if num_classes != own.num_classes else None,
        **({"activation": "sigmoid", "multi_label": True} if multi else {}),
    )
    try:
        model.load_weights(weights_file)
    except ValueError as error:  # Keras' message can hold whole weight matrices: shorten
        shapes = re.search(
            r"variable\.shape=(\([^)]*\)), Received: value\.shape=(\([^)]*\))", str(error)
        )
        detail = (
            f"a weight of shape {shapes[2]} in the file is {shapes[1]} in the model"
            if shapes
            else " ".join(str(error).split())[:200]
        )
        raise ValueError(
            f"{str(weights_file)!r} does not fit the {own.name} model that {str(info_file)!r} "
            f"describes (input_shape {settings['input_shape']}, num_classes {num_classes}): "
            f"{detail}"
        ) from None
    return model, tuple(info["class_names"])


def load_keras_file(path: Path) -> Any:
    """A ``.keras`` model file; ValueError naming it when it is not one Keras can read."""
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{str(path)!r} is not a Keras .keras model file (not a zip archive)")
    try:
        return keras.models.load_model(path)
    except (ValueError, OSError, KeyError, TypeError, zipfile.BadZipFile) as error:
        detail = " ".join(str(error).split())[:200]
        raise ValueError(f"{str(path)!r} cannot be read as a Keras model: {detail}") from None


def read_train_json(file: Path) -> dict[str, Any]:
    """``train.json`` with the fields :func:`load_trained` needs; ValueError naming the
    file and every missing field otherwise."""
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{str(file)!r} is not valid JSON ({error})") from None
    if not isinstance(info, dict):
        raise ValueError(f"{str(file)!r} must hold a JSON object, got {type(info).__name__}")
    settings = info.get("settings")
    missing = [key for key in ("name", "class_names", "settings") if key not in info]
    if isinstance(settings, dict):
        missing += [f"settings.{k}" for k in ("input_shape", "num_classes") if k not in settings]
    elif "settings" in info:
        missing.append("settings (an object)")
    if missing:
        raise ValueError(
            f"{str(file)!r} lacks {', '.join(missing)}: it was not written by cxrzoo train, "
            "or it was edited"
        )
    return info
