"""A report's training recipe as frozen dataclasses: what :func:`cxrzoo.train` follows.

:class:`Recipe` holds the optimizer, learning rate, epochs and batch size and, as parts,
the :class:`Loss`, :class:`Schedule`, :class:`ClassWeight`, :class:`Augmentation` and
:class:`Callback` entries and an optional :class:`FineTune` phase. Plain data: nothing
here imports Keras (``cxrzoo.training.keras_recipe`` turns a recipe into Keras objects).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from cxrzoo._checks import check_choice, check_int, check_positive, is_int, is_number

__all__ = [
    "AUGMENTATION_KINDS",
    "Augmentation",
    "Callback",
    "ClassWeight",
    "FineTune",
    "Loss",
    "PlainData",
    "Recipe",
    "Schedule",
    "as_plain",
    "omit_default",
]

#: Augmentation kinds and the meaning of ``Augmentation.factor`` for each.
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
_CLASS_WEIGHT_POLICIES = ("none", "balanced", "inverse_frequency", "prevalence")
_SAMPLING = ("shuffle", "inverse_frequency")
_CALLBACKS = ("early_stopping", "reduce_lr_on_plateau")
_SCHEDULES = ("constant", "step", "cosine")


def omit_default(default: Any) -> Any:
    """A dataclass field that :func:`as_plain` leaves out while it holds ``default``.

    For fields added after presets were first recorded: a preset that does not use the
    new field keeps exactly its earlier ``to_dict()`` (and so its ``run.json``).
    """
    return field(default=default, metadata={"omit_default": True})


def as_plain(obj: Any) -> Any:
    """Dataclasses -> dicts and tuples -> lists, recursively (JSON-ready).

    Fields made with :func:`omit_default` are left out while they hold their default.

    Examples
    --------
    >>> as_plain(Loss("focal", gamma=2.0))
    {'kind': 'focal', 'gamma': 2.0, 'alpha': None}
    """
    if dataclasses.is_dataclass(obj):
        return {
            f.name: as_plain(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not (f.metadata.get("omit_default") and getattr(obj, f.name) == f.default)
        }
    if isinstance(obj, (tuple, list)):
        return [as_plain(item) for item in obj]
    return obj


class PlainData:
    """Base of the recipe and preset dataclasses: their ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as plain Python data (nested dataclasses become dicts)."""
        return as_plain(self)


@dataclass(frozen=True)
class Augmentation(PlainData):
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
        check_choice(self.kind, "kind", tuple(AUGMENTATION_KINDS))
        if not 0 < self.probability <= 1:
            raise ValueError(f"probability must be in (0, 1], got {self.probability!r}")
        check_choice(self.fill_mode, "fill_mode", ("constant", "nearest", "reflect", "wrap"))
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
            check_positive(self.factor, "factor")


@dataclass(frozen=True)
class Callback(PlainData):
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
        check_choice(self.kind, "kind", _CALLBACKS)
        check_int(self.patience, "patience", 0, expected="a non-negative int")
        if self.kind == "reduce_lr_on_plateau":
            if self.factor is None or not 0 < self.factor < 1:
                raise ValueError(
                    f"factor must be in (0, 1) for kind='reduce_lr_on_plateau', got {self.factor!r}"
                )
        elif self.factor is not None:
            raise ValueError("factor must be None for kind='early_stopping'")


@dataclass(frozen=True)
class Schedule(PlainData):
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
        check_choice(self.kind, "kind", _SCHEDULES)
        if self.kind == "step":
            check_int(self.step_epochs, "step_epochs")
            if self.factor is None or not 0 < self.factor < 1:
                raise ValueError(f"factor must be in (0, 1), got {self.factor!r}")
        elif self.kind == "cosine":
            check_int(self.decay_epochs, "decay_epochs")
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
class Loss(PlainData):
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
        check_choice(self.kind, "kind", _LOSSES)
        if self.kind == "focal":
            if self.gamma is None or self.gamma < 0:
                raise ValueError(f"gamma must be >= 0 for the focal loss, got {self.gamma!r}")
        elif self.gamma is not None or self.alpha is not None:
            raise ValueError("gamma and alpha apply to kind='focal' only")


@dataclass(frozen=True)
class ClassWeight(PlainData):
    """How the loss weights the classes.

    Parameters
    ----------
    policy : {"none", "balanced", "inverse_frequency", "prevalence"}
        ``"balanced"``: ``n_samples / (n_classes * count_c)`` (scikit-learn's
        ``class_weight="balanced"``); ``"inverse_frequency"``: ``1 / count_c`` scaled to
        mean 1; ``"none"``: every class weighs 1. ``"prevalence"`` is for multi-label
        training only (CheXNet's weighted cross-entropy, see :meth:`finding_weights`).
    reported : tuple of float or None
        The weights the report states, in class order, for checking a recomputation.
    """

    policy: str = "none"
    reported: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        check_choice(self.policy, "policy", _CLASS_WEIGHT_POLICIES)
        if self.reported is not None and self.policy == "none":
            raise ValueError("reported weights need a policy other than 'none'")

    def weights(self, counts: tuple[int, ...] | list[int]) -> tuple[float, ...]:
        """Class weights for the per-class sample ``counts``, in class order.

        Examples
        --------
        >>> [round(w, 2) for w in ClassWeight("balanced").weights([1341, 3875])]
        [1.94, 0.67]
        """
        if self.policy == "prevalence":
            raise ValueError(
                "class_weight policy 'prevalence' weighs the findings of multi-label "
                "training (finding_weights); a single-label model has classes"
            )
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

    def finding_weights(
        self, positives: list[int] | tuple[int, ...], observed: list[int] | tuple[int, ...]
    ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Per-finding (positive weights, negative weights) of multi-label training.

        For finding ``k`` with ``P_k`` positive and ``N_k`` negative training labels
        (``observed = P_k + N_k``: missing labels do not count):

        * ``"prevalence"`` (CheXNet's weighted binary cross-entropy, Rajpurkar et al.
          2017): ``w+ = N_k / (P_k + N_k)``, ``w- = P_k / (P_k + N_k)``;
        * ``"balanced"`` (scikit-learn's balanced weights within each finding):
          ``w+ = (P_k + N_k) / (2 P_k)``, ``w- = (P_k + N_k) / (2 N_k)``;
        * ``"none"``: 1 and 1. ``"inverse_frequency"`` is a single-label policy.

        A finding without a positive (or a negative) label gets weight 1 for both.

        Examples
        --------
        >>> ClassWeight("prevalence").finding_weights([10, 1], [100, 100])
        ((0.9, 0.99), (0.1, 0.01))
        >>> ClassWeight("balanced").finding_weights([25], [100])
        ((2.0,), (0.6666666666666666,))
        """
        if self.policy == "inverse_frequency":
            raise ValueError("class_weight policy 'inverse_frequency' is for single-label data")
        if len(positives) != len(observed):
            raise ValueError(f"{len(positives)} positive counts but {len(observed)} observed")
        pos_w, neg_w = [], []
        for p, n in zip(positives, observed, strict=True):
            p, neg = int(p), int(n) - int(p)
            if self.policy == "none" or p < 1 or neg < 1:
                pos_w.append(1.0)
                neg_w.append(1.0)
            elif self.policy == "prevalence":
                pos_w.append(neg / (p + neg))
                neg_w.append(p / (p + neg))
            else:
                pos_w.append((p + neg) / (2 * p))
                neg_w.append((p + neg) / (2 * neg))
        return tuple(pos_w), tuple(neg_w)


@dataclass(frozen=True)
class FineTune(PlainData):
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
        check_positive(self.learning_rate, "learning_rate")
        check_int(self.epochs, "epochs")
        if self.unfreeze != "all" and not is_int(self.unfreeze):
            raise ValueError(f"unfreeze must be 'all' or an int, got {self.unfreeze!r}")


@dataclass(frozen=True)
class Recipe(PlainData):
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
        check_choice(self.optimizer, "optimizer", _OPTIMIZERS)
        decay = self.weight_decay
        if decay is not None and not (is_number(decay) and decay >= 0):
            raise ValueError(f"weight_decay must be None or a number >= 0, got {decay!r}")
        momentum = self.batchnorm_momentum
        if momentum is not None and not (is_number(momentum) and 0 < momentum < 1):
            raise ValueError(f"batchnorm_momentum must be None or in (0, 1), got {momentum!r}")
        check_positive(self.learning_rate, "learning_rate")
        check_int(self.epochs, "epochs")
        check_int(self.batch_size, "batch_size")
        check_choice(self.sampling, "sampling", _SAMPLING)
        if self.validation_split is not None and not 0 < self.validation_split < 1:
            raise ValueError(f"validation_split must be in (0, 1), got {self.validation_split!r}")
        check_int(self.cv_folds, "cv_folds", 2, optional=True)
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
