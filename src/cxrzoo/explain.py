"""Grad-CAM (Selvaraju et al., 2017): where in an image a model finds a class or a finding.

The heatmap of class ``c`` is ``ReLU(sum_k alpha_k A_k)``, where ``A_k`` are the feature
maps of a convolutional layer and ``alpha_k`` the spatial mean of the gradient of the
class score with respect to ``A_k``. The class score is the output unit's value before its
sigmoid or softmax (the logit, as in the paper); for a one-unit sigmoid model, the first
class ("normal") is explained by the negated logit. The map is upsampled (bilinear) to the
input size and divided by its maximum, so it lies in [0, 1] (all zero when no part of the
image raises the score).

The layer is chosen by :func:`last_conv_layer`: the last layer with a 4-D output,
looked for inside nested backbones too, so it works for every zoo model; give ``layer=``
to choose another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import keras
import numpy as np

from cxrzoo.models._common import walk_layers

__all__ = ["gradcam", "last_conv_layer", "overlay", "plot_gradcam", "target_unit"]


def last_conv_layer(model: Any) -> str:
    """The name of the layer Grad-CAM uses by default: the last one with a 4-D output
    (batch, height, width, channels) before the global pooling or flattening.

    Nested models (a transfer model's backbone) are searched inside, so the answer is one
    of their layers, never the nested model itself.

    Raises
    ------
    ValueError
        When the model has no layer with a 4-D output.

    Examples
    --------
    >>> import cxrzoo
    >>> last_conv_layer(cxrzoo.build("szanet", input_shape=(32, 32, 1)))
    'block3_dropout'
    >>> last_conv_layer(cxrzoo.build("vgg16.rahman", input_shape=(32, 32, 3)))
    'block5_pool'
    """
    found = None
    for layer in walk_layers(model):
        if isinstance(layer, (keras.Model, keras.layers.InputLayer)):
            continue
        shape = getattr(layer, "output", None)
        shape = getattr(shape, "shape", None)
        if shape is not None and len(shape) == 4:
            found = layer.name
    if found is None:
        raise ValueError(f"model {model.name!r} has no layer with a 4-D output for Grad-CAM")
    return found


def find_layer(model: Any, name: str) -> Any:
    """The layer called ``name`` anywhere in ``model`` (nested models included)."""
    for layer in walk_layers(model):
        if layer.name == name:
            return layer
    raise ValueError(f"model {model.name!r} has no layer named {name!r}")


def target_unit(model: Any, target: int | str | None, class_names: Sequence[str] | None = None):
    """``(output unit, sign)`` of the class or finding ``target`` explains.

    ``target``: a class index, a class name (with ``class_names``) or None (the positive
    class of a one-unit model, else unit 0). A one-unit sigmoid model has two classes:
    class 1 is its unit, class 0 its negated unit.

    Examples
    --------
    >>> import keras
    >>> binary = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(1, activation="sigmoid")])
    >>> target_unit(binary, "normal", ("normal", "pneumonia"))
    (0, -1.0)
    """
    units = int(model.output_shape[-1])
    if isinstance(target, str):
        if class_names is None or target not in class_names:
            raise ValueError(
                f"class {target!r} is not one of the model's {list(class_names or [])}"
            )
        target = list(class_names).index(target)
    if units == 1:
        if target not in (None, 0, 1):
            raise ValueError(f"a one-unit model has classes 0 and 1, got {target!r}")
        return 0, (-1.0 if target == 0 else 1.0)
    target = 0 if target is None else int(target)
    if not 0 <= target < units:
        raise ValueError(f"class index must be in 0 .. {units - 1}, got {target}")
    return target, 1.0


@contextlib.contextmanager
def logits(model: Any) -> Iterator[None]:
    """Within the block, the last sigmoid or softmax activation of ``model`` is linear."""
    squash = {keras.activations.sigmoid, keras.activations.softmax}
    last = next(
        (
            layer
            for layer in reversed(list(walk_layers(model)))
            if getattr(layer, "activation", None) in squash
        ),
        None,
    )
    if last is None:
        yield
        return
    activation = last.activation
    last.activation = keras.activations.linear
    try:
        yield
    finally:
        last.activation = activation


@contextlib.contextmanager
def recorded(layer: Any, tape: Any) -> Iterator[list]:
    """Within the block, each output of ``layer`` is watched by ``tape`` and kept."""
    outputs: list = []
    call = layer.call

    def watched(*args, **kwargs):
        out = call(*args, **kwargs)
        tape.watch(out)
        outputs.append(out)
        return out

    object.__setattr__(layer, "call", watched)
    try:
        yield outputs
    finally:
        object.__delattr__(layer, "call")


def gradcam(
    model: Any,
    images: np.ndarray,
    target: int | str | None = None,
    *,
    class_names: Sequence[str] | None = None,
    layer: str | None = None,
) -> np.ndarray:
    """Grad-CAM heatmaps of ``target`` for ``images``, in [0, 1], at the input size.

    Parameters
    ----------
    model : keras.Model
        A zoo model (or any Keras model) taking [0, 255] images.
    images : numpy.ndarray
        One image ``(height, width[, channels])`` or a batch (4-D: ``(n, height, width,
        channels)``), at the model's input size, pixel values in [0, 255].
    target : int, str or None
        The class or finding: its index, its name (with ``class_names``), or None (the
        positive class of a one-unit model, else output 0). For a multi-label (sigmoid)
        model, each output unit is a finding.
    class_names : sequence of str, optional
        The model's classes or findings, to name ``target``.
    layer : str, optional
        The layer whose feature maps are weighted (default :func:`last_conv_layer`).

    Returns
    -------
    numpy.ndarray
        ``(height, width)`` for one image, else ``(n, height, width)``; float32 in [0, 1].

    Examples
    --------
    >>> import numpy as np, cxrzoo
    >>> model = cxrzoo.build("szanet", input_shape=(32, 32, 1))
    >>> heat = gradcam(model, np.full((32, 32), 128.0))
    >>> heat.shape, float(heat.min()) >= 0, float(heat.max()) <= 1
    ((32, 32), True, True)
    """
    import tensorflow as tf

    x = np.asarray(images, np.float32)
    single = x.ndim in (2, 3)  # a batch is 4-D
    if x.ndim == 2:
        x = x[..., None]
    if single:
        x = x[None]
    if x.ndim != 4 or tuple(x.shape[1:]) != tuple(model.input_shape[1:]):
        raise ValueError(
            f"images of shape {np.shape(images)} do not fit the model's input "
            f"{tuple(model.input_shape[1:])}"
        )
    unit, sign = target_unit(model, target, class_names)
    chosen = find_layer(model, layer or last_conv_layer(model))
    with tf.GradientTape() as tape, logits(model), recorded(chosen, tape) as maps:
        scores = model(tf.constant(x), training=False)
        score = sign * tf.cast(scores[:, unit], tf.float32)
    if not maps:
        raise ValueError(f"layer {chosen.name!r} is not used when the model is called")
    features = maps[-1]
    grads = tape.gradient(score, features)
    if grads is None:
        raise ValueError(f"the score of output {unit} does not depend on layer {chosen.name!r}")
    features, grads = tf.cast(features, tf.float32), tf.cast(grads, tf.float32)
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1, keepdims=True))
    cam = tf.image.resize(cam, x.shape[1:3], method="bilinear")[..., 0].numpy()
    peak = cam.reshape(len(cam), -1).max(axis=1)[:, None, None]
    cam = np.where(peak > 0, cam / np.where(peak > 0, peak, 1), 0).astype(np.float32)
    return cam[0] if single else cam


def overlay(
    image: np.ndarray, heatmap: np.ndarray, *, alpha: float = 0.4, colormap: str = "jet"
) -> np.ndarray:
    """The heatmap in colour over the image: an RGB uint8 array ``(height, width, 3)``.

    Parameters
    ----------
    image : numpy.ndarray
        ``(height, width)`` or ``(height, width, 1 or 3)``, values in [0, 255].
    heatmap : numpy.ndarray
        ``(h, w)`` in [0, 1] (:func:`gradcam`), resized to the image when its size differs.
    alpha : float
        Weight of the heatmap's colours (0: the image only, 1: the heatmap only).
    colormap : str
        A matplotlib colormap name.

    Examples
    --------
    >>> import numpy as np
    >>> out = overlay(np.zeros((4, 4)), np.ones((2, 2)), alpha=1.0)
    >>> out.shape, out.dtype, out[0, 0].tolist()  # jet's top colour
    ((4, 4, 3), dtype('uint8'), [128, 0, 0])
    """
    from matplotlib import colormaps

    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha!r}")
    picture = np.asarray(image, np.float32)
    if picture.ndim == 3 and picture.shape[-1] == 1:
        picture = picture[..., 0]
    if picture.ndim == 2:
        picture = np.repeat(picture[..., None], 3, axis=-1)
    if picture.ndim != 3 or picture.shape[-1] != 3:
        raise ValueError(f"image must be (h, w), (h, w, 1) or (h, w, 3), got {np.shape(image)}")
    heat = np.asarray(heatmap, np.float32)
    if heat.shape != picture.shape[:2]:
        heat = np.asarray(
            keras.ops.image.resize(heat[..., None], picture.shape[:2], interpolation="bilinear")
        )[..., 0]
    colours = colormaps[colormap](np.clip(heat, 0, 1))[..., :3] * 255.0
    mixed = (1 - alpha) * np.clip(picture, 0, 255) + alpha * colours
    return np.clip(np.round(mixed), 0, 255).astype(np.uint8)


def plot_gradcam(
    image: np.ndarray,
    heatmap: np.ndarray,
    *,
    ax: Any = None,
    title: str | None = None,
    alpha: float = 0.4,
    colormap: str = "jet",
) -> Any:
    """Draw :func:`overlay` on a matplotlib axes (a new figure without ``ax``); return it.

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_gradcam(np.zeros((8, 8)), np.eye(8), title="pneumonia")
    >>> ax.get_title()
    'pneumonia'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(overlay(image, heatmap, alpha=alpha, colormap=colormap))
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title)
    return ax
