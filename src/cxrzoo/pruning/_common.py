"""What the pruning modules share: model checks and copies, and the Keras seed of a
``random_state``."""

from __future__ import annotations

import numbers

import keras

from cxreval._checks import check_random_state

__all__ = ["check_model", "copy_model", "keras_seed"]


def check_model(model) -> None:
    """Raise unless ``model`` is a built keras.Model."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not model.built:
        raise ValueError(
            f"model {model.name!r} is not built: call it on data or give it an Input first"
        )


def copy_model(model: keras.Model) -> keras.Model:
    """An uncompiled copy of a built model with the same weights (from its config).

    ``keras.models.clone_model`` would also compile the copy like the original, and a
    compiled model saves its optimizer state with its weights; a pruned copy starts clean.
    """
    check_model(model)
    try:
        copy = type(model).from_config(model.get_config())
        if not copy.built:
            copy.build(model.input_shape)
        copy.set_weights(model.get_weights())
    except Exception as exc:
        raise ValueError(
            f"model {model.name!r} could not be rebuilt from its config "
            f"(type(model).from_config(model.get_config())) with its weights: {exc}"
        ) from exc
    return copy


def keras_seed(random_state) -> int:
    """An int seed for Keras from a ``random_state`` (an int is used as it is)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).integers(2**32))
