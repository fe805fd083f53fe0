"""Pieces every zoo model shares: the input preprocessing layer, the classifier head and a walk
over nested layers."""

from __future__ import annotations

from collections.abc import Iterator

import keras
from keras import layers, ops

from cxrzoo.preset import Preset

#: ImageNet channel statistics (RGB) used by keras.applications' "caffe" and "torch" modes.
IMAGENET_MEAN_RGB = (0.485, 0.456, 0.406)
IMAGENET_STD_RGB = (0.229, 0.224, 0.225)
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)


def check_input_size(preset: Preset, minimum: int, what: str) -> None:
    """Raise ValueError naming ``what`` and ``minimum`` if the input is smaller."""
    if min(preset.input_shape[:2]) < minimum:
        raise ValueError(
            f"input_shape {preset.input_shape} is too small for {what}: height and width "
            f"must be >= {minimum}"
        )


def smallest_input(steps: tuple[str, ...]) -> int:
    """Smallest image side that leaves at least one pixel after ``steps``: ``"conv"`` (a
    3x3 convolution without padding) or ``"pool"`` (2x2 max pooling)."""
    side = 1
    for step in reversed(steps):
        side = side + 2 if step == "conv" else 2 * side
    return side


@keras.saving.register_keras_serializable(package="cxrzoo")
class ImagePreprocessing(layers.Layer):
    """Map pixel values in [0, 255] to what a backbone expects, inside the model.

    Parameters
    ----------
    mode : {"rescale", "tf", "caffe", "torch"}
        ``"rescale"``: ``x / 255``. ``"tf"``: ``x / 127.5 - 1``. ``"caffe"``: RGB -> BGR,
        minus the ImageNet BGR means. ``"torch"``: ``(x / 255 - mean) / std`` with the
        ImageNet RGB statistics. With one input channel, ``"caffe"`` and ``"torch"`` use the
        mean of the three channels' constants (as timm does for grayscale input).

    Examples
    --------
    >>> import numpy as np
    >>> layer = ImagePreprocessing("tf")
    >>> np.asarray(layer(np.array([[0.0, 127.5, 255.0]]))).tolist()
    [[-1.0, 0.0, 1.0]]
    """

    def __init__(self, mode: str, **kwargs) -> None:
        super().__init__(**kwargs)
        if mode not in ("rescale", "tf", "caffe", "torch"):
            raise ValueError(f"mode must be one of 'rescale', 'tf', 'caffe', 'torch', got {mode!r}")
        self.mode = mode

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        if self.mode == "rescale":
            return x / 255.0
        if self.mode == "tf":
            return x / 127.5 - 1.0
        channels = x.shape[-1]
        if self.mode == "caffe":
            if channels == 3:
                return ops.flip(x, axis=-1) - ops.convert_to_tensor(CAFFE_MEAN_BGR, x.dtype)
            return x - sum(CAFFE_MEAN_BGR) / 3
        if channels == 3:
            mean = ops.convert_to_tensor(IMAGENET_MEAN_RGB, x.dtype)
            std = ops.convert_to_tensor(IMAGENET_STD_RGB, x.dtype)
            return (x / 255.0 - mean) / std
        return (x / 255.0 - sum(IMAGENET_MEAN_RGB) / 3) / (sum(IMAGENET_STD_RGB) / 3)

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode}


def head_layers(preset: Preset) -> list[layers.Layer]:
    """The layers of ``preset.head``, in order: pooling, hidden dense, dropout, output."""
    head = preset.head
    stack = [
        {
            "avg": layers.GlobalAveragePooling2D(name="avg_pool"),
            "max": layers.GlobalMaxPooling2D(name="max_pool"),
            "flatten": layers.Flatten(name="flatten"),
        }[head.pooling]
    ]
    stack += [
        layers.Dense(units, activation=head.hidden_activation, name=f"head_dense_{i}")
        for i, units in enumerate(head.hidden_units, start=1)
    ]
    if head.dropout:
        stack.append(layers.Dropout(head.dropout, name="head_dropout"))
    stack.append(layers.Dense(preset.num_outputs, activation=head.activation, name="predictions"))
    return stack


def classifier_head(features, preset: Preset):
    """Apply ``preset.head`` to a feature tensor and return the output tensor."""
    for layer in head_layers(preset):
        features = layer(features)
    return features


def model_name(preset: Preset) -> str:
    """Keras model name of a preset: ``szanet.gupta`` -> ``szanet_gupta``."""
    return preset.name.replace(".", "_")


def walk_layers(layer: keras.layers.Layer) -> Iterator[keras.layers.Layer]:
    """Every layer inside ``layer``, depth first, nested models' layers included.

    Examples
    --------
    >>> inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    >>> outer = keras.Sequential([keras.Input((3,)), inner, keras.layers.Dense(1, name="e")])
    >>> [layer.name for layer in walk_layers(outer)][1:]
    ['d', 'e']
    """
    for sub in getattr(layer, "layers", ()):
        yield sub
        yield from walk_layers(sub)
