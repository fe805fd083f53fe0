"""A zoo model's data as one frozen :class:`Preset`, with its :class:`Head`, :class:`Source`
and the :class:`ReportedResult` numbers of its report.

Plain data: nothing here imports Keras. The text of a model card is in :mod:`cxrzoo.cards`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxrzoo._checks import check_choice
from cxrzoo.cards import model_card
from cxrzoo.recipe import PlainData, Recipe, omit_default

__all__ = [
    "PREPROCESSING_MODES",
    "WEIGHT_SOURCES",
    "Head",
    "Preset",
    "ReportedResult",
    "Source",
]

#: Preprocessing modes a preset can name; each sits inside the model so inputs are [0, 255].
#: ``"rescale"``: x / 255 -> [0, 1]. ``"tf"``: x / 127.5 - 1 -> [-1, 1]. ``"caffe"``: RGB ->
#: BGR, minus the ImageNet BGR means. ``"torch"``: x / 255, minus the ImageNet means, divided
#: by the ImageNet standard deviations. ``"efficientnet"``: the backbone's own built-in
#: rescaling and normalization (nothing added in front).
PREPROCESSING_MODES = ("rescale", "tf", "caffe", "torch", "efficientnet")

#: The backbone weights a preset can start from (None: random initialization).
WEIGHT_SOURCES = (None, "imagenet", "chexnet")

_POOLING = ("avg", "max", "flatten")
_ACTIVATIONS = ("sigmoid", "softmax")


@dataclass(frozen=True)
class Head(PlainData):
    """The classifier on top of the features: pooling, hidden dense layers, dropout, output.

    The layers are, in order: ``pooling``; one ``Dense(units, hidden_activation)`` per entry
    of ``hidden_units``; ``Dropout(dropout)`` when ``dropout > 0``; the output ``Dense``
    with ``activation``. A sigmoid head over two classes has one unit (the probability of
    the second class); otherwise there is one unit per class. A multi-label head
    (``multi_label=True``, sigmoid) has one independent sigmoid unit per finding, however
    many findings there are (the classes are then the findings, and an image may have
    any number of them).

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
    multi_label : bool
        One sigmoid unit per finding (multi-label classification); needs
        ``activation="sigmoid"``.
    """

    pooling: str = "avg"
    hidden_units: tuple[int, ...] = ()
    hidden_activation: str = "relu"
    dropout: float = 0.0
    activation: str = "softmax"
    multi_label: bool = omit_default(False)

    def __post_init__(self) -> None:
        check_choice(self.pooling, "pooling", _POOLING)
        check_choice(self.activation, "activation", _ACTIVATIONS)
        if self.multi_label and self.activation != "sigmoid":
            raise ValueError(
                f"a multi_label head has one sigmoid unit per finding: activation must be "
                f"'sigmoid', got {self.activation!r}"
            )
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
        parts.append("sigmoid per finding" if self.multi_label else self.activation)
        return " > ".join(parts)


@dataclass(frozen=True)
class Source(PlainData):
    """Where a preset comes from.

    Parameters
    ----------
    report : str
        A short citation of the report the preset comes from (authors and report number,
        e.g. ``"Gupta, Mishra & Yang (report 002)"``; see the docs' References page), or a
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
class ReportedResult(PlainData):
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
class Preset(PlainData):
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
        check_choice(self.preprocessing, "preprocessing", PREPROCESSING_MODES)
        check_choice(self.weights, "weights", WEIGHT_SOURCES)
        for name, kind in (("head", Head), ("recipe", Recipe), ("source", Source)):
            if not isinstance(getattr(self, name), kind):
                raise TypeError(f"{name} must be a {kind.__name__}")
        if self.weights is not None and self.backbone is None:
            raise ValueError("weights need a backbone: from-scratch models start at random")

    @property
    def architecture(self) -> str:
        """The part of ``name`` before the dot."""
        return self.name.split(".")[0]

    @property
    def tag(self) -> str:
        """The part of ``name`` after the dot."""
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
        """Output units: 1 for a sigmoid head over two classes (not multi-label), else one
        per class (finding)."""
        if (
            self.head.activation == "sigmoid"
            and self.num_classes == 2
            and not self.head.multi_label
        ):
            return 1
        return self.num_classes

    def card(self) -> str:
        """A model card: every field of the preset as readable text.

        Examples
        --------
        >>> import cxrzoo
        >>> print(cxrzoo.get_preset("szanet").card().splitlines()[0])
        szanet.gupta
        """
        return model_card(self)

    def __str__(self) -> str:
        return self.card()
