"""How to train: :class:`TrainOptions`, the one keyword list of train, cross_validate,
train_seeds and ``cxrzoo train``, and :class:`RunSpec`, what they resolve to.

Plain data, no Keras: :func:`cxrzoo.train_seeds` checks its options here before it
starts any worker.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxrzoo._checks import check_int
from cxrzoo.preset import Preset
from cxrzoo.recipe import Recipe
from cxrzoo.registry import get_preset

__all__ = ["DEFAULT_RECIPE", "RunSpec", "TrainOptions"]

#: The recipe used for a bare Keras model given without a preset.
DEFAULT_RECIPE = Recipe(optimizer="adam", learning_rate=1e-3, epochs=10, batch_size=32)


@dataclass(frozen=True)
class TrainOptions:
    """The options of :func:`cxrzoo.train`, defined once.

    :func:`cxrzoo.train`, :func:`cxrzoo.cross_validate` and :func:`cxrzoo.train_seeds`
    take these as keyword arguments (``cxrzoo.train(name, data, epochs=2)``) and the
    ``cxrzoo train`` command builds one from its flags; ``out`` and ``seed`` are given to
    each function itself (cross-validation and seeds derive one per fold or member).

    Parameters
    ----------
    preset : str or Preset, optional
        Whose recipe to follow (only its recipe: the model is built from
        ``name_or_model``); default the preset of ``name_or_model`` (a Keras model
        without a preset trains with Adam 1e-3, cross-entropy, 10 epochs, batch 32).
    epochs, fine_tune_epochs, batch_size, learning_rate : optional
        Override the recipe's epochs (first phase), fine-tuning epochs (0 skips the second
        phase), batch size and first-phase learning rate.
    input_shape : tuple, optional
        ``(height, width, channels)`` to build the model at (e.g. a small size on a CPU).
    weights : "preset", None, "imagenet", "chexnet" or path
        Starting weights of a named model: ``"preset"`` (default) the preset's own source;
        None random initialization; otherwise as :func:`cxrzoo.build`. Ignored for a
        Keras model.
    validation_split : float, optional
        Fraction held out for validation when the data has no ``"val"`` split
        (:func:`cxrzoo.train` only; cross-validation validates on the held-out fold).
    mixed_precision : bool
        Train with the ``mixed_float16`` policy (named models only; useful on GPUs).
    jit_compile : bool or "auto"
        XLA compilation, passed to ``Model.compile``.
    strategy : tf.distribute.Strategy, optional
        Default: ``MirroredStrategy`` over all GPUs when there are several, else the
        default strategy (CPU or one GPU). A named model is built inside its scope.
        Cannot be handed to a worker process.
    on_error : {"warn", "raise"}
        Unreadable image files: skip them with one warning, or raise.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, added to the recipe's.
    verbose : int or "auto"
        Keras progress bars (0 silent).

    Raises
    ------
    ValueError
        For epochs, batch size, fine-tuning epochs or learning rate out of range.

    Examples
    --------
    >>> TrainOptions(epochs=2).epochs
    2
    >>> TrainOptions.from_keywords("train", {"epoch": 2})
    Traceback (most recent call last):
    TypeError: train() got an unexpected keyword argument 'epoch'
    """

    preset: str | Preset | None = None
    epochs: int | None = None
    fine_tune_epochs: int | None = None
    batch_size: int | None = None
    learning_rate: float | None = None
    input_shape: tuple[int, ...] | None = None
    weights: str | os.PathLike | None = "preset"
    validation_split: float | None = None
    mixed_precision: bool = False
    jit_compile: bool | str = "auto"
    strategy: Any = None
    on_error: str = "warn"
    callbacks: Sequence[Any] = ()
    verbose: int | str = "auto"

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size"):
            check_int(getattr(self, name), name, expected="a positive integer", optional=True)
        check_int(
            self.fine_tune_epochs, "fine_tune_epochs", 0, expected="an integer >= 0", optional=True
        )
        rate = self.learning_rate
        if rate is not None and not rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {rate!r}")

    @classmethod
    def from_keywords(
        cls, function: str, options: Mapping[str, Any], *, exclude: Sequence[str] = ()
    ) -> TrainOptions:
        """The options a function was called with (``function(**options)``).

        Raises TypeError, as Python does, for a keyword that is not a field (or is in
        ``exclude``).
        """
        fields = {f.name for f in dataclasses.fields(cls)} - set(exclude)
        for key in options:
            if key not in fields:
                raise TypeError(f"{function}() got an unexpected keyword argument {key!r}")
        return cls(**options)

    def keywords(self) -> dict[str, Any]:
        """The fields as keyword arguments (shallow: presets and callbacks as they are)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class RunSpec:
    """What to build and how to train it, resolved from the arguments and the preset."""

    name: str
    model: Any  # a keras.Model given by the user, or None to build ``own``
    own: Preset | None  # the preset the model is built from
    preset: Preset | None  # the preset whose recipe is followed
    recipe: Recipe
    epochs: int
    fine_tune_epochs: int
    batch_size: int
    learning_rate: float

    @classmethod
    def make(cls, name_or_model: Any, options: TrainOptions) -> RunSpec:
        """Resolve ``name_or_model`` (name, Preset or Keras model) and the recipe."""
        preset = options.preset
        if isinstance(preset, str):
            preset = get_preset(preset)
        if isinstance(name_or_model, (str, Preset)):
            own = get_preset(name_or_model) if isinstance(name_or_model, str) else name_or_model
            preset = preset or own
            name, model = own.name, None
        elif hasattr(name_or_model, "fit") and hasattr(name_or_model, "compile"):
            own, name, model = None, name_or_model.name, name_or_model
        else:
            raise TypeError(
                "name_or_model must be a registry name, a Preset or a keras.Model, "
                f"got {type(name_or_model).__name__}"
            )
        if preset is not None and not isinstance(preset, Preset):
            raise TypeError(f"preset must be a name or a Preset, got {type(preset).__name__}")
        recipe = preset.recipe if preset is not None else DEFAULT_RECIPE
        fine = recipe.fine_tune
        fine_tune_epochs = options.fine_tune_epochs
        return cls(
            name=name,
            model=model,
            own=own,
            preset=preset,
            recipe=recipe,
            epochs=options.epochs or recipe.epochs,
            fine_tune_epochs=(fine.epochs if fine else 0)
            if fine_tune_epochs is None
            else fine_tune_epochs,
            batch_size=options.batch_size or recipe.batch_size,
            learning_rate=options.learning_rate or recipe.learning_rate,
        )

    @staticmethod
    def label_mode(model: Any) -> str:
        """``"binary"`` for a model with one output unit, else ``"categorical"``."""
        return "binary" if model.output_shape[-1] == 1 else "categorical"
