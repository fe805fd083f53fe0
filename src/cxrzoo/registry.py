"""The model registry: presets (frozen dataclasses) and the functions that build them.

A model name is ``architecture.tag`` (``"szanet.gupta"``); the bare architecture name
(``"szanet"``) means its default tag. Every name maps to a :class:`Preset` -- the data of
one report's model: input, classes, preprocessing, head, weights source, training recipe,
the report and its results -- and to a builder that turns a preset into a Keras model.

This module imports neither TensorFlow nor Keras; builders do, when they are called. The
built-in presets name their builders lazily (``"module:function"``, see
:class:`LazyBuilder`), so listing and describing them stays free of TensorFlow too.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import importlib
import importlib.util
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the registry never imports Keras at run time
    import keras

__all__ = [
    "AUGMENTATION_KINDS",
    "PREPROCESSING_MODES",
    "Augmentation",
    "Callback",
    "ClassWeight",
    "FineTune",
    "Head",
    "LazyBuilder",
    "Loss",
    "Preset",
    "Recipe",
    "ReportedResult",
    "Schedule",
    "Source",
    "build",
    "get_preset",
    "list_models",
    "register_model",
]

#: Preprocessing modes a preset can name; each sits inside the model so inputs are [0, 255].
#: ``"rescale"``: x / 255 -> [0, 1]. ``"tf"``: x / 127.5 - 1 -> [-1, 1]. ``"caffe"``: RGB ->
#: BGR, minus the ImageNet BGR means. ``"torch"``: x / 255, minus the ImageNet means, divided
#: by the ImageNet standard deviations. ``"efficientnet"``: the backbone's own built-in
#: rescaling and normalization (nothing added in front).
PREPROCESSING_MODES = ("rescale", "tf", "caffe", "torch", "efficientnet")

#: Augmentation kinds and the meaning of :attr:`Augmentation.factor` for each.
AUGMENTATION_KINDS = {
    "rotation": "largest rotation in degrees, either way",
    "shear": "largest shear angle in degrees, either way",
    "height_shift": "largest vertical shift as a fraction of the height",
    "width_shift": "largest horizontal shift as a fraction of the width",
    "zoom": "(smallest, largest) scale factor",
    "brightness": "(smallest, largest) multiplicative brightness factor",
    "horizontal_flip": "no factor; applied with `probability`",
    "vertical_flip": "no factor; applied with `probability`",
}

_OPTIMIZERS = ("adam", "adamw", "rmsprop", "sgd")
_LOSSES = ("crossentropy", "focal")
_CLASS_WEIGHT_POLICIES = ("none", "balanced", "inverse_frequency")
_SAMPLING = ("shuffle", "inverse_frequency")
_CALLBACKS = ("early_stopping", "reduce_lr_on_plateau")
_SCHEDULES = ("constant", "step", "cosine")
_POOLING = ("avg", "max", "flatten")
_ACTIVATIONS = ("sigmoid", "softmax")
_WEIGHT_SOURCES = (None, "imagenet", "chexnet")


def _check_choice(value: Any, allowed: tuple, argument: str) -> None:
    if value not in allowed:
        raise ValueError(f"{argument} must be one of {allowed!r}, got {value!r}")


def _is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (a bool is not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_positive(value: float | None, argument: str, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not _is_number(value) or not value > 0:
        raise ValueError(f"{argument} must be a positive number, got {value!r}")


def _as_dict(obj: Any) -> Any:
    """Dataclasses -> dicts and tuples -> lists, recursively (JSON-ready)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _as_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [_as_dict(item) for item in obj]
    return obj


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        """Return the fields as plain Python data (nested dataclasses become dicts)."""
        return _as_dict(self)


# --------------------------------------------------------------------------- recipe parts


@dataclass(frozen=True)
class Augmentation(_ToDict):
    """One training-time augmentation.

    Parameters
    ----------
    kind : str
        One of :data:`AUGMENTATION_KINDS` (``"rotation"``, ``"shear"``, ``"height_shift"``,
        ``"width_shift"``, ``"zoom"``, ``"brightness"``, ``"horizontal_flip"``,
        ``"vertical_flip"``).
    factor : float or tuple of two floats or None
        Its strength, in the unit :data:`AUGMENTATION_KINDS` gives for ``kind``; ``None``
        for flips. ``zoom`` and ``brightness`` take ``(low, high)``.
    probability : float
        Chance that the augmentation is applied to an image, in (0, 1].
    fill_mode : str
        How pixels moved in from outside the image are filled (``"constant"``,
        ``"nearest"``, ``"reflect"``, ``"wrap"``), as in Keras' random layers.
    """

    kind: str
    factor: float | tuple[float, float] | None = None
    probability: float = 1.0
    fill_mode: str = "constant"

    def __post_init__(self) -> None:
        _check_choice(self.kind, tuple(AUGMENTATION_KINDS), "kind")
        if not 0 < self.probability <= 1:
            raise ValueError(f"probability must be in (0, 1], got {self.probability!r}")
        _check_choice(self.fill_mode, ("constant", "nearest", "reflect", "wrap"), "fill_mode")
        if self.kind.endswith("_flip"):
            if self.factor is not None:
                raise ValueError(f"factor must be None for kind={self.kind!r}")
        elif self.kind in ("zoom", "brightness"):
            if (
                not isinstance(self.factor, tuple)
                or len(self.factor) != 2
                or not 0 < self.factor[0] <= self.factor[1]
            ):
                raise ValueError(
                    f"factor must be a (low, high) tuple with 0 < low <= high for "
                    f"kind={self.kind!r}, got {self.factor!r}"
                )
        else:
            _check_positive(self.factor, "factor")


@dataclass(frozen=True)
class Callback(_ToDict):
    """A Keras training callback of the recipe.

    Parameters
    ----------
    kind : {"early_stopping", "reduce_lr_on_plateau"}
        :class:`keras.callbacks.EarlyStopping` or :class:`keras.callbacks.ReduceLROnPlateau`.
    monitor : str
        The quantity watched.
    patience : int
        Epochs without improvement before the callback acts.
    factor : float or None
        Learning-rate multiplier of ``"reduce_lr_on_plateau"`` (None for early stopping).
    min_lr : float
        Lower bound of the learning rate for ``"reduce_lr_on_plateau"``.
    restore_best_weights : bool
        Early stopping only: go back to the weights of the best epoch.
    """

    kind: str
    monitor: str = "val_loss"
    patience: int = 5
    factor: float | None = None
    min_lr: float = 0.0
    restore_best_weights: bool = False

    def __post_init__(self) -> None:
        _check_choice(self.kind, _CALLBACKS, "kind")
        if not isinstance(self.patience, int) or self.patience < 0:
            raise ValueError(f"patience must be a non-negative int, got {self.patience!r}")
        if self.kind == "reduce_lr_on_plateau":
            if self.factor is None or not 0 < self.factor < 1:
                raise ValueError(
                    f"factor must be in (0, 1) for kind='reduce_lr_on_plateau', got {self.factor!r}"
                )
        elif self.factor is not None:
            raise ValueError("factor must be None for kind='early_stopping'")


@dataclass(frozen=True)
class Schedule(_ToDict):
    """Learning-rate schedule over epochs (the rate is set at the start of each epoch).

    Parameters
    ----------
    kind : {"constant", "step", "cosine"}
        ``"step"`` multiplies the learning rate by ``factor`` every ``step_epochs`` epochs.
        ``"cosine"`` lowers it along half a cosine from the initial rate at epoch 0 to
        ``factor`` times it at epoch ``decay_epochs`` and keeps it there (Loshchilov &
        Hutter's SGDR without restarts, stepped per epoch).
    step_epochs : int or None
        Epochs between steps (``"step"`` only).
    factor : float or None
        ``"step"``: multiplier at each step, in (0, 1). ``"cosine"``: the final multiplier,
        in [0, 1) (``None`` means 0).
    decay_epochs : int or None
        Epochs the cosine takes to reach its floor (``"cosine"`` only); usually the
        recipe's ``epochs``.
    """

    kind: str = "constant"
    step_epochs: int | None = None
    factor: float | None = None
    decay_epochs: int | None = None

    def __post_init__(self) -> None:
        _check_choice(self.kind, _SCHEDULES, "kind")
        if self.kind == "step":
            if not isinstance(self.step_epochs, int) or self.step_epochs < 1:
                raise ValueError(f"step_epochs must be an int >= 1, got {self.step_epochs!r}")
            if self.factor is None or not 0 < self.factor < 1:
                raise ValueError(f"factor must be in (0, 1), got {self.factor!r}")
        elif self.kind == "cosine":
            if not isinstance(self.decay_epochs, int) or self.decay_epochs < 1:
                raise ValueError(f"decay_epochs must be an int >= 1, got {self.decay_epochs!r}")
            if self.factor is not None and not 0 <= self.factor < 1:
                raise ValueError(f"factor must be None or in [0, 1), got {self.factor!r}")
        elif self.step_epochs is not None or self.factor is not None:
            raise ValueError("step_epochs and factor must be None for kind='constant'")
        if self.kind != "cosine" and self.decay_epochs is not None:
            raise ValueError(f"decay_epochs must be None for kind={self.kind!r}")
        if self.kind != "step" and self.step_epochs is not None:
            raise ValueError(f"step_epochs must be None for kind={self.kind!r}")

    def learning_rate(self, initial: float, epoch: int) -> float:
        """Learning rate at ``epoch`` (0-based) starting from ``initial``.

        Examples
        --------
        >>> Schedule("step", step_epochs=10, factor=0.5).learning_rate(1e-3, 10)
        0.0005
        >>> Schedule("cosine", decay_epochs=16).learning_rate(1e-3, 8)  # half-way: half
        0.0005
        """
        if self.kind == "constant":
            return initial
        if self.kind == "step":
            return initial * self.factor ** (epoch // self.step_epochs)
        floor = self.factor or 0.0
        progress = min(epoch, self.decay_epochs) / self.decay_epochs
        return initial * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


@dataclass(frozen=True)
class Loss(_ToDict):
    """Training loss.

    Parameters
    ----------
    kind : {"crossentropy", "focal"}
        Cross-entropy (binary for a single sigmoid unit, categorical for softmax) or the
        focal loss of Lin et al. (2017), ``-alpha (1 - p_t)^gamma log(p_t)``.
    gamma : float or None
        Focusing parameter of the focal loss.
    alpha : float or None
        Balancing weight of the focal loss (None: no alpha term).
    """

    kind: str = "crossentropy"
    gamma: float | None = None
    alpha: float | None = None

    def __post_init__(self) -> None:
        _check_choice(self.kind, _LOSSES, "kind")
        if self.kind == "focal":
            if self.gamma is None or self.gamma < 0:
                raise ValueError(f"gamma must be >= 0 for the focal loss, got {self.gamma!r}")
        elif self.gamma is not None or self.alpha is not None:
            raise ValueError("gamma and alpha apply to kind='focal' only")


@dataclass(frozen=True)
class ClassWeight(_ToDict):
    """How the loss weights the classes.

    Parameters
    ----------
    policy : {"none", "balanced", "inverse_frequency"}
        ``"balanced"``: ``n_samples / (n_classes * count_c)`` (scikit-learn's
        ``class_weight="balanced"``); ``"inverse_frequency"``: ``1 / count_c`` scaled to
        mean 1; ``"none"``: every class weighs 1.
    reported : tuple of float or None
        The weights the report states, in class order, for checking a recomputation.
    """

    policy: str = "none"
    reported: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        _check_choice(self.policy, _CLASS_WEIGHT_POLICIES, "policy")
        if self.reported is not None and self.policy == "none":
            raise ValueError("reported weights need a policy other than 'none'")

    def weights(self, counts: tuple[int, ...] | list[int]) -> tuple[float, ...]:
        """Class weights for the per-class sample ``counts``, in class order.

        Examples
        --------
        >>> [round(w, 2) for w in ClassWeight("balanced").weights([1341, 3875])]
        [1.94, 0.67]
        """
        counts = tuple(int(c) for c in counts)
        if not counts or min(counts) < 1:
            raise ValueError(f"counts must be positive integers, got {counts!r}")
        if self.policy == "none":
            return tuple(1.0 for _ in counts)
        if self.policy == "balanced":
            total = sum(counts)
            return tuple(total / (len(counts) * c) for c in counts)
        inverse = [1.0 / c for c in counts]
        mean = sum(inverse) / len(inverse)
        return tuple(w / mean for w in inverse)


@dataclass(frozen=True)
class FineTune(_ToDict):
    """Second training phase with (part of) the pretrained base unfrozen.

    Parameters
    ----------
    learning_rate : float
        Learning rate of the phase.
    epochs : int
        Largest number of epochs of the phase (callbacks may stop it earlier).
    unfreeze : str or int
        ``"all"`` unfreezes the whole base; an int unfreezes that many of its last layers.
    """

    learning_rate: float
    epochs: int
    unfreeze: str | int = "all"

    def __post_init__(self) -> None:
        _check_positive(self.learning_rate, "learning_rate")
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise ValueError(f"epochs must be an int >= 1, got {self.epochs!r}")
        if self.unfreeze != "all" and (
            isinstance(self.unfreeze, bool) or not isinstance(self.unfreeze, int)
        ):
            raise ValueError(f"unfreeze must be 'all' or an int, got {self.unfreeze!r}")


@dataclass(frozen=True)
class Recipe(_ToDict):
    """The training recipe of a report.

    Parameters
    ----------
    optimizer : {"adam", "adamw", "rmsprop", "sgd"}
        Optimizer (Keras defaults for everything but the learning rate and
        ``weight_decay``).
    learning_rate : float
        Initial learning rate of the first phase.
    epochs : int
        Largest number of epochs of the first phase.
    batch_size : int
        Mini-batch size.
    loss : Loss
        Cross-entropy or focal loss.
    schedule : Schedule
        Learning-rate schedule of the first phase.
    class_weight : ClassWeight
        Class weighting of the loss.
    sampling : {"shuffle", "inverse_frequency"}
        ``"inverse_frequency"`` draws training samples with probability proportional to
        ``1 / count`` of their class (PyTorch's ``WeightedRandomSampler``), so batches are
        balanced on average.
    augmentations : tuple of Augmentation
        Applied to training images only, in order.
    callbacks : tuple of Callback
        Callbacks of every phase.
    fine_tune : FineTune or None
        Optional second phase.
    validation_split : float or None
        Fraction of the training data held out for validation.
    cv_folds : int or None
        Number of cross-validation folds the report also used.
    metrics : tuple of str
        Metrics monitored while training: ``keras.metrics`` class names in snake case
        (``"accuracy"``, ``"binary_accuracy"``, ``"auc"``, ``"f1_score"`` for
        :class:`keras.metrics.F1Score`).
    batchnorm_momentum : float or None
        Momentum of the moving mean and variance of every ``BatchNormalization`` layer
        while training; ``None`` keeps the architecture's own (Keras 0.99, MobileNetV2
        0.999). On a small data set (a few dozen steps per epoch) 0.99 or 0.999 leaves the
        moving statistics far from the batch statistics for several epochs, and the model
        answers one class for every validation image; 0.9 lets them catch up within an epoch.
    weight_decay : float or None
        Decoupled weight decay of the optimizer (Loshchilov & Hutter's AdamW; Keras applies
        it the same way for every optimizer); ``None`` keeps Keras' default (0.004 for
        ``"adamw"``, none for the others).
    """

    optimizer: str
    learning_rate: float
    epochs: int
    batch_size: int
    loss: Loss = field(default_factory=Loss)
    schedule: Schedule = field(default_factory=Schedule)
    class_weight: ClassWeight = field(default_factory=ClassWeight)
    sampling: str = "shuffle"
    augmentations: tuple[Augmentation, ...] = ()
    callbacks: tuple[Callback, ...] = ()
    fine_tune: FineTune | None = None
    validation_split: float | None = None
    cv_folds: int | None = None
    metrics: tuple[str, ...] = ("accuracy",)
    batchnorm_momentum: float | None = None
    weight_decay: float | None = None

    def __post_init__(self) -> None:
        _check_choice(self.optimizer, _OPTIMIZERS, "optimizer")
        decay = self.weight_decay
        if decay is not None and not (_is_number(decay) and decay >= 0):
            raise ValueError(f"weight_decay must be None or a number >= 0, got {decay!r}")
        momentum = self.batchnorm_momentum
        if momentum is not None and not (_is_number(momentum) and 0 < momentum < 1):
            raise ValueError(f"batchnorm_momentum must be None or in (0, 1), got {momentum!r}")
        _check_positive(self.learning_rate, "learning_rate")
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        _check_choice(self.sampling, _SAMPLING, "sampling")
        if self.validation_split is not None and not 0 < self.validation_split < 1:
            raise ValueError(f"validation_split must be in (0, 1), got {self.validation_split!r}")
        if self.cv_folds is not None and (not isinstance(self.cv_folds, int) or self.cv_folds < 2):
            raise ValueError(f"cv_folds must be an int >= 2, got {self.cv_folds!r}")
        for name, kind in (
            ("loss", Loss),
            ("schedule", Schedule),
            ("class_weight", ClassWeight),
        ):
            if not isinstance(getattr(self, name), kind):
                raise TypeError(f"{name} must be a {kind.__name__}")
        if not all(isinstance(a, Augmentation) for a in self.augmentations):
            raise TypeError("augmentations must be a tuple of Augmentation")
        if not all(isinstance(c, Callback) for c in self.callbacks):
            raise TypeError("callbacks must be a tuple of Callback")
        if self.fine_tune is not None and not isinstance(self.fine_tune, FineTune):
            raise TypeError("fine_tune must be a FineTune or None")


# --------------------------------------------------------------------------- preset parts


@dataclass(frozen=True)
class Head(_ToDict):
    """The classifier on top of the features: pooling, hidden dense layers, dropout, output.

    The layers are, in order: ``pooling``; one ``Dense(units, hidden_activation)`` per entry
    of ``hidden_units``; ``Dropout(dropout)`` when ``dropout > 0``; the output ``Dense``
    with ``activation``. A sigmoid head over two classes has one unit (the probability of
    the second class); otherwise there is one unit per class.

    Parameters
    ----------
    pooling : {"avg", "max", "flatten"}
        Global average or max pooling, or flattening.
    hidden_units : tuple of int
        Widths of the hidden dense layers.
    hidden_activation : str
        Activation of the hidden dense layers.
    dropout : float
        Dropout rate before the output layer, in [0, 1).
    activation : {"sigmoid", "softmax"}
        Output activation.
    """

    pooling: str = "avg"
    hidden_units: tuple[int, ...] = ()
    hidden_activation: str = "relu"
    dropout: float = 0.0
    activation: str = "softmax"

    def __post_init__(self) -> None:
        _check_choice(self.pooling, _POOLING, "pooling")
        _check_choice(self.activation, _ACTIVATIONS, "activation")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not all(isinstance(u, int) and u >= 1 for u in self.hidden_units):
            raise ValueError(f"hidden_units must be positive ints, got {self.hidden_units!r}")

    def describe(self) -> str:
        """The layers as one line, e.g. ``'GAP > Dense 128 relu > Dropout 0.5 > sigmoid'``."""
        parts = [{"avg": "GAP", "max": "GMP", "flatten": "Flatten"}[self.pooling]]
        parts += [f"Dense {u} {self.hidden_activation}" for u in self.hidden_units]
        if self.dropout:
            parts.append(f"Dropout {self.dropout:g}")
        parts.append(self.activation)
        return " > ".join(parts)


@dataclass(frozen=True)
class Source(_ToDict):
    """Where a preset comes from.

    Parameters
    ----------
    report : str
        File name of the report (``/work/shared/seeds/`` in the project's sources) or a
        citation for user models.
    section : str
        Section, table or figure of the report.
    title : str
        Title of the report.
    """

    report: str
    section: str
    title: str = ""


@dataclass(frozen=True)
class ReportedResult(_ToDict):
    """One number a report gives for a model.

    Parameters
    ----------
    metric : str
        e.g. ``"recall"``, ``"roc_auc"``, ``"accuracy"``.
    value : float
        The number as reported (fractions, not percent).
    split : str
        Which data: ``"test"``, ``"validation"``, ...
    note : str
        How the report obtained it, or any inconsistency in it.
    """

    metric: str
    value: float
    split: str = "test"
    note: str = ""


@dataclass(frozen=True)
class Preset(_ToDict):
    """Everything about one zoo model: the data a report gives, as one frozen object.

    Parameters
    ----------
    name : str
        ``"architecture.tag"``, lower case.
    description : str
        One line shown by ``cxrzoo list``.
    input_shape : tuple of three ints
        ``(height, width, channels)``; channels 1 or 3.
    class_names : tuple of str
        Output classes in the order of the model's outputs.
    preprocessing : str
        One of :data:`PREPROCESSING_MODES`; it is part of the model, whose input is [0, 255].
    head : Head
        Classifier on top of the features.
    recipe : Recipe
        Training recipe.
    source : Source
        The report, section and title.
    backbone : str or None
        ``keras.applications`` class name of a transfer model (``"InceptionV3"``); None
        for models built from scratch.
    weights : {None, "imagenet", "chexnet"}
        Backbone weights the report started from.
    freeze_base : bool
        Whether the backbone is frozen (first training phase).
    reported : tuple of ReportedResult
        The report's results for this model.
    reconstructed : str
        What the report does not specify and this preset chose (empty: fully specified).
    """

    name: str
    description: str
    input_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    preprocessing: str
    head: Head
    recipe: Recipe
    source: Source
    backbone: str | None = None
    weights: str | None = None
    freeze_base: bool = False
    reported: tuple[ReportedResult, ...] = ()
    reconstructed: str = ""

    def __post_init__(self) -> None:
        if (
            not isinstance(self.name, str)
            or self.name.count(".") != 1
            or self.name != (self.name.lower())
        ):
            raise ValueError(f"name must be lower-case 'architecture.tag', got {self.name!r}")
        architecture, tag = self.name.split(".")
        if not architecture or not tag:
            raise ValueError(f"name must be lower-case 'architecture.tag', got {self.name!r}")
        shape = tuple(self.input_shape)
        if len(shape) != 3 or not all(isinstance(s, int) and s >= 1 for s in shape):
            raise ValueError(f"input_shape must be (height, width, channels), got {shape!r}")
        if shape[2] not in (1, 3):
            raise ValueError(f"input_shape must have 1 or 3 channels, got {shape[2]}")
        object.__setattr__(self, "input_shape", shape)
        if len(self.class_names) < 2 or len(set(self.class_names)) != len(self.class_names):
            raise ValueError(
                f"class_names must hold at least two distinct names, got {self.class_names!r}"
            )
        object.__setattr__(self, "class_names", tuple(self.class_names))
        _check_choice(self.preprocessing, PREPROCESSING_MODES, "preprocessing")
        _check_choice(self.weights, _WEIGHT_SOURCES, "weights")
        for name, kind in (("head", Head), ("recipe", Recipe), ("source", Source)):
            if not isinstance(getattr(self, name), kind):
                raise TypeError(f"{name} must be a {kind.__name__}")
        if self.weights is not None and self.backbone is None:
            raise ValueError("weights need a backbone: from-scratch models start at random")

    @property
    def architecture(self) -> str:
        """The part of :attr:`name` before the dot."""
        return self.name.split(".")[0]

    @property
    def tag(self) -> str:
        """The part of :attr:`name` after the dot."""
        return self.name.split(".")[1]

    @property
    def num_classes(self) -> int:
        """Number of classes."""
        return len(self.class_names)

    @property
    def channels(self) -> int:
        """Input channels (1 or 3)."""
        return self.input_shape[2]

    @property
    def num_outputs(self) -> int:
        """Output units: 1 for a sigmoid head over two classes, else one per class."""
        if self.head.activation == "sigmoid" and self.num_classes == 2:
            return 1
        return self.num_classes

    def card(self) -> str:
        """A model card: every field of the preset as readable text.

        Examples
        --------
        >>> print(get_preset("szanet").card().splitlines()[0])
        szanet.gupta
        """
        from tabulate import tabulate

        r = self.recipe
        lines = [
            self.name,
            "=" * len(self.name),
            self.description,
            "",
            f"Source: {self.source.report}, {self.source.section}"
            + (f" ({self.source.title})" if self.source.title else ""),
            f"Input: {self.input_shape} with pixel values in [0, 255]; "
            f"preprocessing {self.preprocessing!r} inside the model",
            f"Classes: {', '.join(self.class_names)} ({self.num_outputs} output unit(s))",
            f"Backbone: {self.backbone or 'none (built from scratch)'}; "
            f"weights: {self.weights or 'random'}; "
            f"base {'frozen' if self.freeze_base else 'trainable'}",
            f"Head: {self.head.describe()}",
            "",
            "Recipe",
            "------",
            f"Optimizer: {r.optimizer}, learning rate {r.learning_rate:g}, "
            + ("" if r.weight_decay is None else f"weight decay {r.weight_decay:g}, ")
            + f"schedule {_describe_schedule(r.schedule)}",
            f"Epochs: {r.epochs}, batch size {r.batch_size}",
            f"Loss: {_describe_loss(r.loss)}; class weights: {_describe_class_weight(r)}; "
            f"sampling: {r.sampling}",
            "Augmentation: "
            + (", ".join(_describe_augmentation(a) for a in r.augmentations) or "none"),
            "Callbacks: " + (", ".join(_describe_callback(c) for c in r.callbacks) or "none"),
            "Batch normalization: "
            + (
                "the model's own momentum"
                if r.batchnorm_momentum is None
                else f"momentum {r.batchnorm_momentum:g} while training"
            ),
            "Fine-tuning: "
            + (
                f"unfreeze {r.fine_tune.unfreeze}, learning rate {r.fine_tune.learning_rate:g},"
                f" up to {r.fine_tune.epochs} epochs"
                if r.fine_tune
                else "none"
            ),
            "Validation: "
            + (
                ", ".join(
                    part
                    for part in (
                        f"{r.validation_split:g} held out" if r.validation_split else "",
                        f"{r.cv_folds}-fold cross-validation" if r.cv_folds else "",
                    )
                    if part
                )
                or "as the dataset's own split"
            ),
            "",
            "Reconstructed: " + (self.reconstructed or "nothing; exactly as specified"),
        ]
        if self.reported:
            rows = [(x.metric, _number(x.value), x.split, x.note) for x in self.reported]
            lines += [
                "",
                "Reported results",
                "----------------",
                tabulate(
                    rows,
                    headers=["metric", "value", "split", "note"],
                    colalign=("left", "right", "left", "left"),
                    disable_numparse=True,  # keep the numbers as written here
                ),
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.card()


def _number(value: float) -> str:
    """A whole number with thousands separators (21,802,784), else as reported (0.76062)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _describe_schedule(schedule: Schedule) -> str:
    if schedule.kind == "constant":
        return "constant"
    if schedule.kind == "cosine":
        return f"cosine to x{schedule.factor or 0:g} over {schedule.decay_epochs} epochs"
    return f"x{schedule.factor:g} every {schedule.step_epochs} epochs"


def _describe_loss(loss: Loss) -> str:
    if loss.kind == "focal":
        alpha = f", alpha {loss.alpha:g}" if loss.alpha is not None else ""
        return f"focal (gamma {loss.gamma:g}{alpha})"
    return "cross-entropy"


def _describe_class_weight(recipe: Recipe) -> str:
    weight = recipe.class_weight
    if weight.reported:
        return f"{weight.policy} (reported {', '.join(f'{w:g}' for w in weight.reported)})"
    return weight.policy


def _describe_augmentation(augmentation: Augmentation) -> str:
    text = augmentation.kind
    if isinstance(augmentation.factor, tuple):
        text += " {:g}-{:g}".format(*augmentation.factor)
    elif augmentation.factor is not None:
        text += f" {augmentation.factor:.4g}"
    if augmentation.probability < 1:
        text += f" (p={augmentation.probability:g})"
    return text


def _describe_callback(callback: Callback) -> str:
    text = f"{callback.kind} ({callback.monitor}, patience {callback.patience}"
    if callback.factor is not None:
        text += f", factor {callback.factor:g}"
    if callback.restore_best_weights:
        text += ", best weights"
    return text + ")"


# --------------------------------------------------------------------------- the registry

#: A builder turns a (resolved) preset into an uncompiled keras.Model.
Builder = Callable[[Preset], Any]

_TARGET = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")


#: What the ``zoo`` extra installs; without it ``import cxrzoo`` and the listing work, but
#: building, training and evaluating models do not.
ZOO_EXTRA_MODULES = ("tensorflow", "keras", "keras_cv")
ZOO_EXTRA_HINT = "install the zoo extra: pip install 'cxrkit[zoo]'"


def import_zoo_module(name: str) -> Any:
    """Import ``name`` like :func:`importlib.import_module`; when TensorFlow or Keras is
    missing, the error says to install the ``zoo`` extra.

    Raises
    ------
    ModuleNotFoundError
        Naming the missing package and the extra, when one of
        :data:`ZOO_EXTRA_MODULES` cannot be imported (``err.name`` is that package).

    Examples
    --------
    >>> import_zoo_module("cxrzoo.models.szanet").__name__
    'cxrzoo.models.szanet'
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        missing = missing_zoo_package(err)
        if missing is None:
            raise
        raise ModuleNotFoundError(
            f"{name} needs {missing}, which is not installed: {ZOO_EXTRA_HINT}", name=missing
        ) from err


def missing_zoo_package(err: ModuleNotFoundError) -> str | None:
    """The package of the ``zoo`` extra whose absence raised ``err``, else None.

    None also when the package is installed and only a module inside it is missing (a
    wrong import path is a bug to see, not an extra to install).

    Examples
    --------
    >>> missing_zoo_package(ModuleNotFoundError(name="keras.src.no_such_module")) is None
    True
    """
    top = (err.name or "").split(".")[0]
    if top not in ZOO_EXTRA_MODULES:
        return None
    installed = (
        sys.modules[top] is not None  # None: imports of it are blocked
        if top in sys.modules
        else importlib.util.find_spec(top) is not None
    )
    return None if installed else top


class LazyBuilder:
    """A builder named by ``"module:function"``, imported only when a model is built.

    Calling it imports the module, looks the function up and returns
    ``function(preset, **options)``. Presets are data: registering them with lazy
    builders lets ``list_models``, ``get_preset`` and ``cxrzoo list``/``info`` run without
    importing Keras or TensorFlow.

    Parameters
    ----------
    target : str
        ``"package.module:function"``, e.g. ``"cxrzoo.models.szanet:build_szanet"``;
        ``function(preset, **options)`` returns a :class:`keras.Model`.
    **options
        Keyword arguments bound to every call (e.g. the layout of a from-scratch CNN).

    Raises
    ------
    TypeError
        If ``target`` is not a ``"module:function"`` string.

    Examples
    --------
    >>> builder = LazyBuilder("cxrzoo.models.szanet:build_szanet")
    >>> builder
    LazyBuilder('cxrzoo.models.szanet:build_szanet')
    >>> builder(get_preset("szanet")).count_params()
    2793057
    """

    __slots__ = ("options", "target")

    def __init__(self, target: str, **options: Any) -> None:
        if not isinstance(target, str) or not _TARGET.fullmatch(target):
            raise TypeError(
                "builder must be callable: builder(preset) -> keras.Model, or a "
                f"'module:function' string such as 'cxrzoo.models.szanet:build_szanet', "
                f"got {target!r}"
            )
        self.target = target
        self.options = options

    def __call__(self, preset: Preset) -> Any:
        module_name, function_name = self.target.split(":")
        function = getattr(import_zoo_module(module_name), function_name, None)
        if not callable(function):
            raise ImportError(f"builder {self.target!r}: {module_name} has no {function_name}()")
        return function(preset, **self.options)

    def __repr__(self) -> str:
        options = "".join(f", {key}={value!r}" for key, value in self.options.items())
        return f"LazyBuilder({self.target!r}{options})"


@dataclass(frozen=True)
class _Entry:
    preset: Preset
    builder: Builder


_REGISTRY: dict[str, _Entry] = {}
_DEFAULT_TAGS: dict[str, str] = {}


def register_model(
    preset: Preset, builder: Builder | str, *, default: bool = False, overwrite: bool = False
) -> Preset:
    """Add a model to the zoo.

    Parameters
    ----------
    preset : Preset
        The model's data; ``preset.name`` is its registry name.
    builder : callable or str
        ``builder(preset) -> keras.Model``: builds the uncompiled model ``preset``
        describes (its input shape, classes, head, ``weights`` and ``freeze_base``). A
        ``"module:function"`` string (or a :class:`LazyBuilder`, to bind options) names
        one that is imported only when the model is built, so registering and listing
        never import Keras; the built-in presets are registered this way.
    default : bool
        Make this tag the default of its architecture (the first registered tag of an
        architecture is its default anyway).
    overwrite : bool
        Replace a model already registered under the same name.

    Returns
    -------
    Preset
        ``preset``, so the call can sit in an assignment.

    Raises
    ------
    ValueError
        If the name is taken and ``overwrite`` is False.
    TypeError
        If ``preset`` is not a Preset, or ``builder`` neither callable nor a
        ``"module:function"`` string.

    Examples
    --------
    >>> import dataclasses, cxrzoo
    >>> mine = dataclasses.replace(cxrzoo.get_preset("szanet"), name="szanet.mine")
    >>> cxrzoo.register_model(mine, "cxrzoo.models.szanet:build_szanet").name
    'szanet.mine'
    >>> "szanet.mine" in cxrzoo.list_models("szanet*")
    True
    """
    if not isinstance(preset, Preset):
        raise TypeError(f"preset must be a Preset, got {type(preset).__name__}")
    _ensure_zoo()  # the built-in tags first: a user's model never takes their default
    if isinstance(builder, str):
        builder = LazyBuilder(builder)
    if not callable(builder):
        raise TypeError(
            "builder must be callable: builder(preset) -> keras.Model, or a "
            f"'module:function' string, got {type(builder).__name__}"
        )
    if preset.name in _REGISTRY and not overwrite:
        raise ValueError(
            f"name={preset.name!r} is already registered; pass overwrite=True to replace it"
        )
    _REGISTRY[preset.name] = _Entry(preset, builder)
    if default or preset.architecture not in _DEFAULT_TAGS:
        _DEFAULT_TAGS[preset.architecture] = preset.tag
    return preset


def _ensure_zoo() -> None:
    """Register the built-in models (importing the presets module does it once)."""
    from cxrzoo import presets  # noqa: F401  (registers on import)


def _resolve(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    _ensure_zoo()
    key = name.strip().lower()
    if "." not in key and key in _DEFAULT_TAGS:
        key = f"{key}.{_DEFAULT_TAGS[key]}"
    if key in _REGISTRY:
        return key
    candidates = sorted(set(_REGISTRY) | set(_DEFAULT_TAGS))
    close = difflib.get_close_matches(key, candidates, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"name={name!r} is not a registered model{hint} "
        f"(cxrzoo.list_models() lists all {len(_REGISTRY)})"
    )


def list_models(pattern: str = "*") -> list[str]:
    """Names of the registered models that match a shell-style pattern, sorted.

    Parameters
    ----------
    pattern : str
        :mod:`fnmatch` pattern (case-insensitive) matched against the full name
        (``"resnet*"``, ``"*.berreby"``) and against the architecture alone, so
        ``"resnet50"`` lists every ``resnet50.*`` tag.

    Returns
    -------
    list of str
        Full ``architecture.tag`` names.

    Examples
    --------
    >>> list_models("szanet")
    ['szanet.gupta', 'szanet.pneumoniamnist']
    >>> list_models("*.covid3")
    ['inception_v3.covid3', 'resnet101v2.covid3']
    """
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a str, got {type(pattern).__name__}")
    _ensure_zoo()
    pattern = pattern.strip().lower()
    return sorted(
        name
        for name in _REGISTRY
        if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(name.split(".")[0], pattern)
    )


def get_preset(name: str) -> Preset:
    """The preset of a model.

    Parameters
    ----------
    name : str
        ``"architecture.tag"`` or a bare architecture name (its default tag).

    Returns
    -------
    Preset

    Raises
    ------
    ValueError
        For an unknown name; the message suggests the closest registered names.

    Examples
    --------
    >>> preset = get_preset("szanet")
    >>> preset.name, preset.input_shape, preset.recipe.learning_rate
    ('szanet.gupta', (224, 224, 3), 5e-05)
    """
    return _REGISTRY[_resolve(name)].preset


def _builder_of(preset: Preset) -> Builder:
    """The builder registered under the preset's name, else its architecture's default."""
    _ensure_zoo()
    entry = _REGISTRY.get(preset.name)
    if entry is None and preset.architecture in _DEFAULT_TAGS:
        entry = _REGISTRY[f"{preset.architecture}.{_DEFAULT_TAGS[preset.architecture]}"]
    if entry is None:
        raise ValueError(
            f"preset {preset.name!r}: no model of architecture {preset.architecture!r} is "
            "registered to build it with; register it first with "
            "cxrzoo.register_model(preset, builder)"
        )
    return entry.builder


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
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")
        if num_classes != preset.num_classes:
            changes["class_names"] = tuple(f"class_{i}" for i in range(num_classes))
            if num_classes > 2 and head.activation == "sigmoid":
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
    weights : None, "imagenet", "chexnet" or path
        ``None``: random initialization, and the backbone is never frozen (a frozen
        random backbone would leave only the head to learn, on random features), whatever
        the preset's ``freeze_base``. ``"imagenet"`` / ``"chexnet"``: backbone weights
        resolved offline by :func:`cxrzoo.weights.resolve_weights`, the backbone frozen
        when the preset says so. A path: weights of this whole model saved by
        :func:`cxrzoo.weights.save_model_weights` (or ``model.save_weights``), the
        backbone frozen as the preset says. Nothing is downloaded. The preset's own
        source is ``get_preset(name).weights`` (what :func:`cxrzoo.train` starts from).
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
    if isinstance(name, Preset):
        base, builder = name, _builder_of(name)
    else:
        entry = _REGISTRY[_resolve(name)]
        base, builder = entry.preset, entry.builder
    own_weights = None
    if weights is not None and not (isinstance(weights, str) and weights in _WEIGHT_SOURCES):
        if not isinstance(weights, (str, Path)):
            raise TypeError(
                f"weights must be None, 'imagenet', 'chexnet' or a path, got {weights!r}"
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
