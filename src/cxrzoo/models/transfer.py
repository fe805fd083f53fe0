"""Transfer models: a ``keras.applications`` backbone, its own preprocessing, a preset's head.

The backbone is always built with ``weights=None`` (so Keras never downloads anything);
pretrained weights are then loaded from a local file by :func:`load_backbone_weights`.
The backbone's preprocessing sits in front of it inside the model, so the model takes
pixel values in [0, 255] like every zoo model.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

from cxrzoo.models._common import (
    IMAGENET_STD_RGB,
    ImagePreprocessing,
    check_input_size,
    classifier_head,
    model_name,
)
from cxrzoo.models.backbones import BackboneSpec, backbone_spec, imagenet_file
from cxrzoo.preset import Preset
from cxrzoo.weights import CHEXNET_FILE, adapt_input_channels, resolve_weights

__all__ = ["build_transfer", "get_backbone", "load_backbone_weights"]


def _construct(spec: BackboneSpec, input_shape: tuple[int, int, int]) -> keras.Model:
    constructor = getattr(keras.applications, spec.name)
    return constructor(include_top=False, weights=None, input_shape=input_shape)


def _file_error(file, backbone: str, expected: str, error: Exception) -> ValueError:
    """A ValueError naming the file and the backbone, for a file that is not what it should be."""
    problem = "cannot be read" if isinstance(error, OSError) else "does not fit"
    message = " ".join(str(error).split())
    return ValueError(
        f"the {backbone} backbone's weights file {str(file)!r} {problem}: it must hold "
        f"{expected} ({type(error).__name__}: {message})"
    )


def _load_imagenet(model: keras.Model, spec: BackboneSpec, file) -> None:
    try:
        model.load_weights(file)
    except (OSError, ValueError) as error:
        expected = f"Keras' ImageNet weights of {spec.name} without the top"
        raise _file_error(file, spec.name, expected, error) from error
    if spec.preprocessing == "efficientnet":
        # keras.applications adds Rescaling(1 / sqrt(std)) after the normalization layer
        # only when it loads "imagenet" itself; folding it into the variance gives the
        # same function: (x - mean) / sqrt(var * std).
        normalization = next(
            layer for layer in model.layers if isinstance(layer, keras.layers.Normalization)
        )
        mean, variance, count = (w.numpy() for w in normalization.weights)
        normalization.set_weights([mean, variance * np.asarray(IMAGENET_STD_RGB), count])
        normalization.finalize_state()  # the layer computes with tensors derived here


def _load_by_name(model: keras.Model, file) -> None:
    import h5py

    try:
        with h5py.File(file, "r") as handle:
            group = handle["model_weights"] if "layer_names" not in handle.attrs else handle
            names = {n.decode() if isinstance(n, bytes) else n for n in group.attrs["layer_names"]}
    except (OSError, KeyError) as error:
        raise _file_error(file, "DenseNet121", "Keras DenseNet121 weights", error) from error
    missing = [layer.name for layer in model.layers if layer.weights and layer.name not in names]
    if missing:
        raise ValueError(
            f"weights file {str(file)!r} lacks {len(missing)} layer(s) of {model.name}, "
            f"e.g. {missing[:3]}; it must hold Keras DenseNet121 weights"
        )
    model.load_weights(file, by_name=True)


def load_backbone_weights(
    backbone: keras.Model,
    name: str,
    source: str,
    *,
    rgb_twin: Callable[[], keras.Model] | None = None,
) -> None:
    """Load pretrained weights into a backbone built with ``weights=None``, offline.

    Parameters
    ----------
    backbone : keras.Model
        The ``keras.applications`` model (no top); modified in place.
    name : str
        Its constructor name in :data:`cxrzoo.models.backbones.BACKBONES`.
    source : {"imagenet", "chexnet"}
        ``"imagenet"``: the Keras ImageNet file (:func:`imagenet_file`), loaded by
        topology as Keras does. ``"chexnet"``: :data:`cxrzoo.weights.CHEXNET_FILE`,
        DenseNet121 only, loaded by layer name.
    rgb_twin : callable, optional
        For a 1-channel backbone: returns the same backbone built for 3 channels; the
        file is loaded into it and adapted by :func:`cxrzoo.weights.adapt_input_channels`.

    Raises
    ------
    FileNotFoundError
        If the file is in none of the folders searched (the message names it and them).
    ValueError
        Unknown source, CheXNet weights for another backbone, or a file that does not fit
        or cannot be read (the message names the file and the backbone).

    Examples
    --------
    A stand-in for Keras' VGG16 ImageNet file (random weights, the same format) in a cache
    folder, loaded into a 1-channel backbone through its 3-channel twin:

    >>> import os, tempfile, keras
    >>> before = os.environ.get("CXRZOO_CACHE")
    >>> os.environ["CXRZOO_CACHE"] = cache = tempfile.mkdtemp()
    >>> rgb = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> rgb.save(os.path.join(cache, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"))
    >>> gray = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 1))
    >>> load_backbone_weights(gray, "VGG16", "imagenet", rgb_twin=lambda: rgb)
    >>> bool((gray.weights[0].numpy() == rgb.weights[0].numpy().sum(2, keepdims=True)).all())
    True
    >>> if before is None:
    ...     del os.environ["CXRZOO_CACHE"]
    ... else:
    ...     os.environ["CXRZOO_CACHE"] = before
    """
    spec = backbone_spec(name)
    shape = tuple(backbone.input_shape[1:])
    if source == "imagenet":
        file = resolve_weights(imagenet_file(name, shape))

        def load(model):
            _load_imagenet(model, spec, file)

    elif source == "chexnet":
        if name != "DenseNet121":
            raise ValueError(f"weights='chexnet' needs the DenseNet121 backbone, not {name}")
        file = resolve_weights(CHEXNET_FILE)

        def load(model):
            _load_by_name(model, file)

    else:
        raise ValueError(f"source must be 'imagenet' or 'chexnet', got {source!r}")
    if shape[-1] == 3:
        load(backbone)
        return
    if rgb_twin is None:
        raise ValueError("a 1-channel backbone needs rgb_twin to adapt pretrained weights")
    twin = rgb_twin()
    load(twin)
    adapt_input_channels(twin, backbone)


def build_transfer(preset: Preset) -> keras.Model:
    """Build a transfer model: preprocessing, ``preset.backbone``, ``preset.head``.

    The backbone is frozen when ``preset.freeze_base``; a pretrained backbone is called
    with ``training=False`` so its batch-normalization statistics stay fixed even when it
    is unfrozen for fine-tuning (the Keras transfer-learning guide's advice).

    Parameters
    ----------
    preset : Preset
        A resolved preset with a ``backbone``.

    Returns
    -------
    keras.Model
        Uncompiled; input in [0, 255]; the backbone is its only layer that is itself a
        :class:`keras.Model` (named as in ``keras.applications``, e.g. ``"vgg16"``).

    Examples
    --------
    >>> import cxrzoo
    >>> model = cxrzoo.build("vgg16.rahman", input_shape=(32, 32, 3))
    >>> model.count_params()  # 14,714,688 in VGG16 + 512 + 1 in the sigmoid unit
    14715201
    """
    spec = backbone_spec(preset.backbone)
    height, width, _ = preset.input_shape
    check_input_size(preset, spec.min_size, spec.name)
    if (preset.preprocessing == "efficientnet") != (spec.preprocessing == "efficientnet"):
        raise ValueError(
            f"preprocessing={preset.preprocessing!r} does not fit {spec.name}: EfficientNet "
            "backbones scale their input themselves and take preprocessing='efficientnet', "
            "the others take 'rescale', 'tf', 'caffe' or 'torch'"
        )
    base = _construct(spec, preset.input_shape)
    if preset.weights is not None:
        load_backbone_weights(
            base,
            spec.name,
            preset.weights,
            rgb_twin=lambda: _construct(spec, (height, width, 3)),
        )
    base.trainable = not preset.freeze_base
    inputs = keras.Input(preset.input_shape, name="image")
    x = inputs
    if preset.preprocessing != "efficientnet":
        x = ImagePreprocessing(preset.preprocessing, name="preprocessing")(x)
    x = base(x, training=False) if preset.weights is not None else base(x)
    outputs = classifier_head(x, preset)
    return keras.Model(inputs, outputs, name=model_name(preset))


def get_backbone(model: keras.Model) -> keras.Model | None:
    """The ``keras.applications`` backbone inside a transfer model (None for scratch models).

    The fine-tuning phase of a recipe unfreezes it: ``get_backbone(model).trainable = True``.

    Examples
    --------
    >>> import cxrzoo
    >>> get_backbone(cxrzoo.build("vgg16.rahman_imagenet", input_shape=(32, 32, 3))).name
    'vgg16'
    >>> get_backbone(cxrzoo.build("szanet", input_shape=(32, 32, 3))) is None
    True
    """
    return next((layer for layer in model.layers if isinstance(layer, keras.Model)), None)
