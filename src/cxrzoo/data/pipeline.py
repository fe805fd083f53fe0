"""From an :class:`~cxrzoo.data.ImageSet` to batches a Keras model trains on.

:func:`make_dataset` decodes, resizes to the model's size and channels, caches, shuffles
with a seed, optionally draws classes equally often (004's weighted random sampling) and
augments with seeded Keras layers (:func:`augmentation`), then batches and prefetches.
Image files are checked *before* the first epoch (:func:`readable`), so an unreadable file
is reported by its path instead of stopping training half-way. :func:`class_weights`
gives the n / (k n_c) weights 001 and 002 used.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from cxrzoo._checks import check_int
from cxrzoo.data.loaders import ImageSet
from cxrzoo.data.multilabel import MultiLabelSet
from cxrzoo.recipe import ClassWeight

__all__ = [
    "DataPipeline",
    "Flip",
    "RandomApply",
    "RandomBrightnessScale",
    "augmentation",
    "class_weights",
    "make_dataset",
    "readable",
]

LABEL_MODES = ("int", "binary", "categorical", "multi_label")
SAMPLINGS = (None, "shuffle", "inverse_frequency")


@dataclass(frozen=True, eq=False)
class DataPipeline:
    """A batched ``tf.data.Dataset`` with what it holds.

    Attributes
    ----------
    dataset : tf.data.Dataset
        Yields ``(images, labels)``: float32 images ``(batch, size, size, channels)`` with
        values in [0, 255], labels as ``label_mode`` asks.
    class_names : tuple of str
    counts : dict of str to int
        Images per class (after unreadable files were skipped).
    labels : numpy.ndarray
        Integer labels in dataset order (meaningful when not shuffled).
    skipped : tuple of str
        Paths of the files that could not be read.
    steps : int
        Batches per epoch.
    """

    dataset: Any
    class_names: tuple[str, ...]
    counts: dict[str, int]
    labels: np.ndarray
    skipped: tuple[str, ...]
    steps: int

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"DataPipeline({self.steps} batches; {counts}; {len(self.skipped)} skipped)"


def _decode(path, channels: int):
    """Read and decode one file to uint8 ``(h, w, channels)``: the one decoder used everywhere.

    JPEG and PNG (any mode: gray, gray+alpha, palette, RGB, RGBA, 16-bit) decode straight
    to ``channels`` -- libjpeg and libpng convert colour to luma themselves, which for the
    usual grayscale X-ray is much faster than going through RGB. BMP and GIF, whose decoders
    only give colour, go through RGB.
    """
    import tensorflow as tf

    data = tf.io.read_file(path)

    def via_rgb():
        rgb = tf.io.decode_image(data, channels=3, expand_animations=False)
        return tf.image.rgb_to_grayscale(rgb) if channels == 1 else rgb

    if channels == 3:
        return via_rgb()
    head = tf.strings.substr(data, 0, 3)
    colour_only = tf.logical_or(tf.strings.substr(head, 0, 2) == "BM", head == "GIF")
    return tf.cond(
        colour_only,
        via_rgb,
        lambda: tf.io.decode_image(data, channels=1, expand_animations=False),
    )


def _to_model_input(image, size: tuple[int, int], channels: int):
    """uint8 ``(h, w, c)`` with c in {1, 3} -> uint8 ``(*size, channels)``.

    Kept as uint8 (rounded) until after caching and shuffling: a quarter of float32's memory.
    """
    import tensorflow as tf

    if image.shape[-1] == 3 and channels == 1:
        image = tf.image.rgb_to_grayscale(image)
    elif image.shape[-1] == 1 and channels == 3:
        image = tf.image.grayscale_to_rgb(image)
    image = tf.image.resize(tf.cast(image, tf.float32), size, antialias=True)
    return tf.cast(tf.round(tf.clip_by_value(image, 0.0, 255.0)), tf.uint8)


def readable(images: ImageSet | MultiLabelSet, *, on_error: str = "warn") -> Any:
    """Decode every file of ``images`` once; return the readable ones.

    Parameters
    ----------
    images : ImageSet
    on_error : {"warn", "raise"}
        ``"warn"``: leave unreadable files out with ONE warning listing all their paths;
        ``"raise"``: raise ValueError listing them.

    Returns
    -------
    ImageSet or MultiLabelSet
        The readable images (same type as given), marked ``checked``.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> from PIL import Image
    >>> from cxrzoo.data import ImageSet, readable
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.zeros((8, 8), np.uint8)).save(d / "ok.png")
    >>> _ = (d / "bad.png").write_bytes(b"not an image")
    >>> s = ImageSet(("a",), np.array([0, 0]), paths=(str(d / "ok.png"), str(d / "bad.png")))
    >>> readable(s, on_error="raise")
    Traceback (most recent call last):
    ...
    ValueError: 1 unreadable image file(s) in ...bad.png
    """
    if on_error not in ("warn", "raise"):
        raise ValueError(f"on_error must be 'warn' or 'raise', got {on_error!r}")
    if images.checked:
        return images
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((np.arange(len(images)), list(images.paths)))
    ds = ds.map(
        lambda i, p: (i, tf.shape(_decode(p, 1))[0]),
        num_parallel_calls=tf.data.AUTOTUNE,
    ).ignore_errors()
    ok = np.zeros(len(images), bool)
    for i, height in ds.as_numpy_iterator():
        ok[i] = height > 0
    bad = [images.paths[i] for i in np.flatnonzero(~ok)]
    if bad:
        message = f"{len(bad)} unreadable image file(s) in {images.source}: " + ", ".join(bad)
        if on_error == "raise":
            raise ValueError(message)
        warnings.warn(message + " -- they are left out", UserWarning, stacklevel=2)
    return dataclasses.replace(images.subset(np.flatnonzero(ok)), checked=True)


def make_dataset(
    images: ImageSet | MultiLabelSet,
    *,
    size: int | tuple[int, int],
    channels: int,
    batch_size: int = 32,
    label_mode: str = "int",
    sampling: str | None = None,
    seed: int = 0,
    augment: Any = None,
    cache: bool | str = True,
    on_error: str = "warn",
) -> DataPipeline:
    """Build the ``tf.data`` pipeline for one split.

    Decode (JPEG/PNG/BMP, any size, grayscale or colour) -> convert to ``channels`` ->
    resize to ``size`` (antialiased, aspect ratio not kept, as Keras'
    ``image_dataset_from_directory`` does) -> cache -> shuffle or sample (seeded) ->
    batch -> augment -> prefetch. Pixel values stay in [0, 255]: every cxrzoo model scales its
    input itself.

    Parameters
    ----------
    images : ImageSet
    size : int or (int, int)
        Output height and width.
    channels : {1, 3}
    batch_size : int
    label_mode : {"int", "binary", "categorical", "multi_label"}
        Integer class indices; float ``(n, 1)`` for a sigmoid output (two classes only);
        one-hot for a softmax output; ``"multi_label"`` (a :class:`MultiLabelSet` only, and
        required for one): its float32 ``(n, L)`` finding matrix, NaN kept for the loss to
        mask.
    sampling : {None, "shuffle", "inverse_frequency"}
        ``None``: the images in order, every epoch (for evaluation); ``"shuffle"``: a new
        seeded order every epoch; ``"inverse_frequency"``: 004's weighted random sampling
        (PyTorch's ``WeightedRandomSampler`` with weights 1 / n_c): every draw picks a class
        with equal probability, with replacement, ``len(images)`` draws per epoch
        (single-label only).
    seed : int
        Seed of shuffling and sampling.
    augment : keras.Layer, optional
        Applied to each training batch, e.g. :func:`augmentation`'s result.
    cache : bool or str
        Keep decoded images in memory (True), in files with this prefix (str), or not.
    on_error : {"warn", "raise"}
        What to do with unreadable files, see :func:`readable`.

    Returns
    -------
    DataPipeline

    Examples
    --------
    >>> from cxrzoo.data import make_dataset, synthetic
    >>> p = make_dataset(synthetic(10, size=32), size=16, channels=3, batch_size=4)
    >>> p.steps, next(iter(p.dataset))[0].shape
    (3, TensorShape([4, 16, 16, 3]))
    """
    import tensorflow as tf

    if isinstance(size, (int, np.integer)):
        size = (int(size), int(size))
    size = tuple(int(s) for s in size)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")
    if label_mode not in LABEL_MODES:
        raise ValueError(f"label_mode must be one of {LABEL_MODES}, got {label_mode!r}")
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}")
    check_int(batch_size, "batch_size", expected="a positive integer")
    multi = isinstance(images, MultiLabelSet)
    if multi != (label_mode == "multi_label"):
        raise ValueError(
            "label_mode='multi_label' goes with a MultiLabelSet and only with one; got "
            f"label_mode={label_mode!r} for a {type(images).__name__}"
        )
    if multi and sampling == "inverse_frequency":
        raise ValueError("sampling='inverse_frequency' needs single-label data (one class each)")
    k = len(images.class_names)
    if label_mode == "binary" and k != 2:
        raise ValueError(f"label_mode='binary' needs 2 classes, got {k}: {images.class_names}")
    given, images = images, readable(images, on_error=on_error)
    if len(images) == 0:
        raise ValueError(f"no readable images in {images.source}")
    kept = set(images.paths or ())
    skipped = tuple(p for p in given.paths or () if p not in kept)
    n = len(images)

    if images.images is not None:
        source = tf.data.Dataset.from_tensor_slices(images.images)
        load = lambda x: _to_model_input(  # noqa: E731
            x if x.shape.rank == 3 else x[..., None], size, channels
        )
    else:
        source = tf.data.Dataset.from_tensor_slices(list(images.paths))
        load = lambda p: _to_model_input(_decode(p, channels), size, channels)  # noqa: E731
    labels = tf.data.Dataset.from_tensor_slices(images.labels)
    ds = tf.data.Dataset.zip(source, labels).map(
        lambda x, y: (load(x), y), num_parallel_calls=tf.data.AUTOTUNE
    )
    if cache is not False:
        ds = ds.cache("" if cache is True else str(cache))
    if sampling == "inverse_frequency":
        present = [c for c in range(k) if (images.labels == c).any()]
        per_class = [
            ds.filter(lambda x, y, c=c: y == c).shuffle(n, seed=seed + c).repeat() for c in present
        ]
        ds = tf.data.Dataset.sample_from_datasets(
            per_class, seed=seed, rerandomize_each_iteration=True
        ).take(n)
    elif sampling == "shuffle":
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    encode = {
        "int": lambda y: y,
        "binary": lambda y: tf.cast(y, tf.float32)[None],
        "categorical": lambda y: tf.one_hot(y, k),
        "multi_label": lambda y: y,
    }[label_mode]
    ds = ds.map(lambda x, y: (tf.cast(x, tf.float32), encode(y)))
    ds = ds.batch(batch_size)
    if augment is not None:
        ds = ds.map(lambda x, y: (augment(x, training=True), y))  # sequential: reproducible
    ds = ds.prefetch(tf.data.AUTOTUNE)
    return DataPipeline(
        dataset=ds,
        class_names=images.class_names,
        counts=images.counts,
        labels=images.labels,
        skipped=skipped,
        steps=math.ceil(n / batch_size),
    )


def class_weights(counts_or_labels: Any) -> dict:
    """Class weights n / (k n_c), as 001 and 002 used against class imbalance.

    ``n`` is the number of images, ``k`` the number of classes and ``n_c`` the images of
    class ``c``; a balanced set gets weight 1 everywhere.

    Parameters
    ----------
    counts_or_labels : mapping, ImageSet or array-like
        A mapping class -> count; an :class:`ImageSet` (weights keyed by class *index*,
        as ``keras.Model.fit(class_weight=...)`` wants); or the label of every image.

    Returns
    -------
    dict
        Class -> weight.

    Examples
    --------
    001's three classes (460 COVID-19, 1,341 normal, 3,875 pneumonia images):

    >>> from cxrzoo.data import class_weights
    >>> w = class_weights({"COVID19": 460, "NORMAL": 1341, "PNEUMONIA": 3875})
    >>> {c: round(v, 2) for c, v in w.items()}
    {'COVID19': 4.11, 'NORMAL': 1.41, 'PNEUMONIA': 0.49}
    >>> class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    if isinstance(counts_or_labels, ImageSet):
        counts = dict(enumerate(counts_or_labels.counts.values()))
    elif isinstance(counts_or_labels, Mapping):
        counts = dict(counts_or_labels)
    else:
        if isinstance(counts_or_labels, (str, bytes)):
            raise TypeError("counts_or_labels must be a mapping, an ImageSet or labels")
        labels = np.asarray(counts_or_labels)
        if labels.ndim != 1 or labels.size == 0:
            raise ValueError(
                f"counts_or_labels: labels must be 1-D and non-empty, got {labels.shape}"
            )
        values, n_c = np.unique(labels, return_counts=True)
        counts = {v.item(): int(c) for v, c in zip(values, n_c, strict=True)}
    for c, v in counts.items():
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"counts_or_labels: count of class {c!r} must be an integer >= 0")
    empty = [c for c, v in counts.items() if v == 0]
    if empty:
        raise ValueError(
            f"counts_or_labels: class(es) {empty} have no images, so no weight; drop them"
        )
    weights = ClassWeight("balanced").weights(list(counts.values()))
    return dict(zip(counts, weights, strict=True))


def augmentation(steps: Sequence[Any], *, seed: int = 0) -> keras.Sequential:
    """Seeded Keras augmentation layers from a recipe's augmentation list.

    Each step is a :class:`cxrzoo.Augmentation` (or any object with its
    ``kind``, ``factor``, ``probability`` and ``fill_mode``):

    =============== ====================================== ==================================
    kind            factor                                 Keras layer
    =============== ====================================== ==================================
    rotation        largest angle, degrees                 RandomRotation(factor / 360)
    shear           largest angle, degrees (horizontal)    RandomShear(tan(angle))
    height_shift    largest shift, fraction of the height  RandomTranslation
    width_shift     largest shift, fraction of the width   RandomTranslation
    zoom            (low, high) magnification              RandomZoom(1/high - 1, 1/low - 1)
    brightness      (low, high) multiplier                 :class:`RandomBrightnessScale`
    horizontal_flip none                                   a mirror image
    vertical_flip   none                                   an upside-down image
    =============== ====================================== ==================================

    A step with ``probability`` p < 1 is applied to each image with probability p
    (:class:`RandomApply`); a flip is applied with exactly its ``probability`` (0.5 for
    Keras' ``horizontal_flip=True``). Geometric steps fill uncovered pixels by
    ``fill_mode``. The reports' lists: 001 rotation 5, shear 5, shifts 0.15, zoom
    (0.9, 1.1), brightness (0.8, 1.2), horizontal flip, constant fill; 002 shear 0.2 rad,
    zoom (0.8, 1.2), horizontal flip; 004 horizontal and vertical flips with p 0.5, rotation
    with p 0.3.

    Parameters
    ----------
    steps : sequence of Augmentation
    seed : int
        Layer ``i`` is seeded with ``seed + i``: the same seed gives the same
        transformations of the same batches.

    Returns
    -------
    keras.Sequential
        Augments when called with ``training=True``; returns its input otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from cxrzoo.recipe import Augmentation
    >>> from cxrzoo.data import augmentation
    >>> aug = augmentation([Augmentation("horizontal_flip", probability=0.5),
    ...                     Augmentation("rotation", 5.0)], seed=1)
    >>> aug(np.ones((2, 8, 8, 1), "float32"), training=True).shape
    TensorShape([2, 8, 8, 1])
    """
    layers = []
    for i, step in enumerate(steps):
        try:
            kind, factor = step.kind, step.factor
            p, fill = float(step.probability), step.fill_mode
        except AttributeError:
            raise TypeError(
                f"steps[{i}] must be an Augmentation (kind, factor, probability, fill_mode), "
                f"got {step!r}"
            ) from None
        s = seed + i
        geometric = {"fill_mode": fill, "seed": s, "dtype": "float32"}
        if kind == "rotation":
            layer = keras.layers.RandomRotation(factor / 360.0, **geometric)
        elif kind == "shear":
            layer = keras.layers.RandomShear(x_factor=math.tan(math.radians(factor)), **geometric)
        elif kind == "height_shift":
            layer = keras.layers.RandomTranslation(factor, 0.0, **geometric)
        elif kind == "width_shift":
            layer = keras.layers.RandomTranslation(0.0, factor, **geometric)
        elif kind == "zoom":
            low, high = factor
            layer = keras.layers.RandomZoom((1 / high - 1, 1 / low - 1), **geometric)
        elif kind == "brightness":
            layer = RandomBrightnessScale(*factor, seed=s, dtype="float32")
        elif kind in ("horizontal_flip", "vertical_flip"):
            layer = Flip(kind.split("_")[0], dtype="float32")
        else:
            raise ValueError(
                f"steps[{i}]: unknown augmentation kind {kind!r}; known: rotation, shear, "
                "height_shift, width_shift, zoom, brightness, horizontal_flip, vertical_flip"
            )
        if p < 1.0:
            layer = RandomApply(layer, p, seed=s + 1000, dtype="float32")
        layers.append(layer)
    return keras.Sequential(layers, name="augmentation")


class Flip(keras.layers.Layer):
    """Mirror images left-right (``"horizontal"``) or upside down (``"vertical"``)."""

    def __init__(self, direction: str = "horizontal", **kwargs):
        super().__init__(**kwargs)
        if direction not in ("horizontal", "vertical"):
            raise ValueError(f"direction must be 'horizontal' or 'vertical', got {direction!r}")
        self.direction = direction

    def call(self, images, training=True):
        if not training:
            return images
        return keras.ops.flip(images, axis=-2 if self.direction == "horizontal" else -3)

    def get_config(self):
        return {**super().get_config(), "direction": self.direction}


def _per_image_uniform(images, low: float, high: float, seed_generator):
    """One uniform draw per image of a batch (or of one image), broadcastable to it."""
    shape = keras.ops.shape(images)
    draw_shape = (shape[0], 1, 1, 1) if len(shape) == 4 else (1, 1, 1)
    return keras.random.uniform(draw_shape, low, high, seed=seed_generator)


class RandomBrightnessScale(keras.layers.Layer):
    """Multiply each image by a factor drawn uniformly from [low, high], clipped to [0, 255].

    This is Keras ``ImageDataGenerator(brightness_range=...)``'s brightness change
    (001's 0.8-1.2); Keras 3's ``RandomBrightness`` adds an offset instead.
    """

    def __init__(self, low: float, high: float, *, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0 < low <= high:
            raise ValueError(f"brightness needs 0 < low <= high, got {low}, {high}")
        self.low, self.high, self.seed = float(low), float(high), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        factor = _per_image_uniform(images, self.low, self.high, self.seed_generator)
        return keras.ops.clip(images * factor, 0.0, 255.0)

    def get_config(self):
        return {**super().get_config(), "low": self.low, "high": self.high, "seed": self.seed}


class RandomApply(keras.layers.Layer):
    """Apply ``layer`` to each image with probability ``p``, else pass it through."""

    def __init__(self, layer, p: float, *, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be in [0, 1], got {p!r}")
        self.layer, self.p, self.seed = layer, float(p), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        apply = _per_image_uniform(images, 0.0, 1.0, self.seed_generator) < self.p
        return keras.ops.where(apply, self.layer(images, training=True), images)

    def get_config(self):
        return {
            **super().get_config(),
            "layer": keras.saving.serialize_keras_object(self.layer),
            "p": self.p,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config["layer"] = keras.saving.deserialize_keras_object(config["layer"])
        return cls(**config)
