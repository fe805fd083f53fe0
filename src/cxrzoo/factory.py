"""build(): a registered model (or a preset) plus overrides -> an uncompiled keras.Model.

Imports neither TensorFlow nor Keras itself: the preset's builder does, when it is called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxrzoo._checks import check_int
from cxrzoo.preset import WEIGHT_SOURCES, Head, Preset
from cxrzoo.registry import builder_of, get_preset

if TYPE_CHECKING:  # the factory never imports Keras at run time
    import keras

__all__ = ["build"]


def _with_overrides(
    preset: Preset,
    *,
    input_shape: tuple[int, ...] | None,
    num_classes: int | None,
    weights: str | None,
    overrides: Mapping[str, Any],
) -> Preset:
    changes: dict[str, Any] = {"weights": weights}
    if input_shape is not None:
        shape = tuple(input_shape)
        if len(shape) == 2:
            shape = (*shape, preset.channels)
        changes["input_shape"] = shape
    head = preset.head
    if num_classes is not None:
        check_int(num_classes, "num_classes", 2)
        if num_classes != preset.num_classes:
            changes["class_names"] = tuple(f"class_{i}" for i in range(num_classes))
            if num_classes > 2 and head.activation == "sigmoid" and not head.multi_label:
                head = dataclasses.replace(head, activation="softmax")
    preset_fields = {f.name for f in dataclasses.fields(Preset)} - {"name", "weights"}
    head_fields = {f.name for f in dataclasses.fields(Head)}
    head_changes = {}
    for key, value in overrides.items():
        if key in head_fields:
            head_changes[key] = value
        elif key in preset_fields:
            changes[key] = value
        else:
            allowed = sorted((preset_fields | head_fields) - {"head"})
            raise TypeError(
                f"build() got an unexpected keyword argument {key!r}; "
                f"overridable fields are {', '.join(allowed)}"
            )
    if "head" in changes:
        head = changes.pop("head")
    changes["head"] = dataclasses.replace(head, **head_changes) if head_changes else head
    return dataclasses.replace(preset, **changes)


def build(
    name: str | Preset,
    *,
    input_shape: tuple[int, ...] | None = None,
    num_classes: int | None = None,
    weights: str | None = None,
    **overrides: Any,
) -> keras.Model:
    """Build a zoo model: an uncompiled :class:`keras.Model` taking images in [0, 255].

    Parameters
    ----------
    name : str or Preset
        ``"architecture.tag"`` or a bare architecture name (its default tag), or a
        :class:`Preset` to build from its own fields (e.g. one changed with
        :func:`dataclasses.replace`), with the builder registered under its name, else
        that of its architecture's default tag.
    input_shape : tuple of int, optional
        ``(height, width, channels)`` or ``(height, width)`` (keeps the preset's
        channels); channels 1 or 3. Default: the preset's.
    num_classes : int, optional
        Number of classes (>= 2). A sigmoid head becomes softmax for more than two
        classes; class names become ``class_0, class_1, ...``. Default: the preset's.
    weights : None, "preset", "imagenet", "chexnet" or path
        ``None`` (default): random initialization, and the backbone is never frozen (a
        frozen random backbone would leave only the head to learn, on random features),
        whatever the preset's ``freeze_base``. ``"preset"``: the preset's own source
        (``get_preset(name).weights``, what :func:`cxrzoo.train` starts from by default;
        random for a from-scratch model). ``"imagenet"`` / ``"chexnet"``: backbone weights
        resolved offline by :func:`cxrzoo.weights.resolve_weights`, the backbone frozen
        when the preset says so. A path: weights of this whole model saved by
        :func:`cxrzoo.weights.save_model_weights` (or ``model.save_weights``), the
        backbone frozen as the preset says. Nothing is downloaded.
    **overrides
        Any :class:`Preset` field (``freeze_base=False``, ``preprocessing="rescale"``, ...)
        or :class:`Head` field (``dropout=0.3``, ``hidden_units=(256,)``, ...).

    Returns
    -------
    keras.Model
        Uncompiled; its ``name`` is the registry name with ``.`` replaced by ``_``.

    Raises
    ------
    ValueError
        Unknown name (with suggestions), bad shape, bad number of classes.
    FileNotFoundError
        Missing weights file (the message names the file and the folders searched).
    TypeError
        Unknown override.

    Examples
    --------
    >>> import numpy as np, cxrzoo
    >>> model = cxrzoo.build("berreby_cnn", input_shape=(32, 32, 1))
    >>> model.predict(np.full((2, 32, 32, 1), 255.0), verbose=0).shape
    (2, 1)
    >>> import dataclasses
    >>> small = dataclasses.replace(cxrzoo.get_preset("berreby_cnn"), input_shape=(16, 16, 1))
    >>> cxrzoo.build(small).input_shape
    (None, 16, 16, 1)
    """
    base = name if isinstance(name, Preset) else get_preset(name)
    builder = builder_of(name)
    if isinstance(weights, str) and weights == "preset":
        weights = base.weights
    own_weights = None
    if weights is not None and not (isinstance(weights, str) and weights in WEIGHT_SOURCES):
        if not isinstance(weights, (str, Path)):
            raise TypeError(
                f"weights must be None, 'preset', 'imagenet', 'chexnet' or a path, got {weights!r}"
            )
        own_weights, weights = Path(weights), None
    preset = _with_overrides(
        base,
        input_shape=input_shape,
        num_classes=num_classes,
        weights=weights,
        overrides=overrides,
    )
    if preset.backbone is not None and preset.weights is None and own_weights is None:
        preset = dataclasses.replace(preset, freeze_base=False)  # never freeze random features
    model = builder(preset)
    if own_weights is not None:
        from cxrzoo.weights import load_model_weights

        load_model_weights(model, own_weights)
    return model
