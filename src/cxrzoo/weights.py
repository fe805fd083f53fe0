"""Weights, offline first: find files, adapt them to 1-channel input, save and load our own.

Nothing here downloads anything. A pretrained file is looked for, in order, at

1. an explicit path, when one is given;
2. the project cache folder: ``$CXRZOO_CACHE``, by default ``~/.cache/cxrzoo``;
3. the Keras cache folder ``~/.keras/models`` (where ``keras.applications`` keeps the
   files it downloads, so weights fetched once by Keras are found here).

A missing file raises :class:`FileNotFoundError` naming the exact file name and the
folders searched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cxreval._io import write_with

if TYPE_CHECKING:  # imported by the functions' callers; not needed here at run time
    import keras

__all__ = [
    "CACHE_ENV",
    "CHEXNET_FILE",
    "adapt_input_channels",
    "cache_dir",
    "keras_cache_dir",
    "load_model_weights",
    "resolve_weights",
    "save_model_weights",
]

#: Environment variable that sets the project cache folder.
CACHE_ENV = "CXRZOO_CACHE"

#: File name of the user-supplied CheXNet weights: Keras HDF5 weights of DenseNet121,
#: with or without CheXNet's 14-unit top, as saved by ``model.save_weights("...h5")`` or
#: ``model.save("...h5")`` in Keras 2 / tf.keras. Layers are matched by name.
CHEXNET_FILE = "chexnet_densenet121_weights.h5"


def cache_dir() -> Path:
    """The project cache folder: ``$CXRZOO_CACHE`` or ``~/.cache/cxrzoo``.

    Examples
    --------
    >>> cache_dir().name in ("cxrzoo", Path(os.environ.get(CACHE_ENV, "x")).name)
    True
    """
    folder = os.environ.get(CACHE_ENV)
    return Path(folder).expanduser() if folder else Path.home() / ".cache" / "cxrzoo"


def keras_cache_dir() -> Path:
    """The Keras cache folder for model files: ``$KERAS_HOME/models`` or ``~/.keras/models``.

    Examples
    --------
    >>> keras_cache_dir().name
    'models'
    """
    home = os.environ.get("KERAS_HOME")
    return (Path(home).expanduser() if home else Path.home() / ".keras") / "models"


def resolve_weights(file_name: str, *, path: str | os.PathLike | None = None) -> Path:
    """Find a weights file without downloading it.

    Parameters
    ----------
    file_name : str
        The exact file name looked for in the cache folders, e.g.
        ``"vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"``.
    path : path-like, optional
        An explicit file; when given it must exist and the caches are not searched.

    Returns
    -------
    pathlib.Path
        The file found.

    Raises
    ------
    FileNotFoundError
        Naming the exact file and every folder searched.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "w.h5").write_bytes(b"")
    >>> resolve_weights("w.h5", path=folder / "w.h5").name
    'w.h5'
    """
    if path is not None:
        explicit = Path(path).expanduser()
        if not explicit.is_file():
            raise FileNotFoundError(
                f"weights file {explicit.name!r} not found in folder {str(explicit.parent)!r} "
                "(explicit path given; nothing is downloaded)"
            )
        return explicit
    folders = [cache_dir(), keras_cache_dir()]
    for folder in folders:
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    searched = ", ".join(repr(str(folder)) for folder in folders)
    raise FileNotFoundError(
        f"weights file {file_name!r} not found in {searched}; nothing is downloaded. "
        f"Put {file_name!r} into {str(folders[0])!r} (set {CACHE_ENV} to use another "
        f"folder) or into {str(folders[1])!r}."
    )


def adapt_input_channels(source: keras.Model, target: keras.Model) -> None:
    """Copy the weights of a 3-channel model into the same model built for 1 channel.

    Every weight is copied unchanged except those tied to the input channels: the first
    convolution's kernel is summed over its input channels (as timm does for
    grayscale input), and per-channel input statistics (EfficientNet's normalization
    mean and variance) are averaged. When the model's input preprocessing is the same on
    every channel (``"rescale"``, ``"tf"``), a gray image then gives exactly the
    response the RGB model gives to the gray image repeated three times. With
    per-channel constants (``"caffe"``, ``"torch"``, EfficientNet's normalization) the
    1-channel model uses their average, so the response is close but not the same: for
    ``"caffe"`` the first convolution's output is shifted, per filter, by the kernel
    weighted by each channel's mean minus the average mean.

    Parameters
    ----------
    source : keras.Model
        The 3-channel model holding the weights.
    target : keras.Model
        The same architecture built with one input channel; modified in place.

    Raises
    ------
    ValueError
        If the two models do not have matching weights.

    Examples
    --------
    >>> import keras, numpy as np
    >>> rgb = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Conv2D(2, 3)])
    >>> gray = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(2, 3)])
    >>> adapt_input_channels(rgb, gray)
    >>> bool(np.allclose(gray.weights[0].numpy(), rgb.weights[0].numpy().sum(2, keepdims=True)))
    True
    """
    src_weights, dst_weights = source.weights, target.weights
    if len(src_weights) != len(dst_weights):
        raise ValueError(
            f"source and target differ: {len(src_weights)} vs {len(dst_weights)} weights"
        )
    for src, dst in zip(src_weights, dst_weights, strict=True):
        value = np.asarray(src.numpy())
        if tuple(value.shape) == tuple(dst.shape):
            dst.assign(value)
        elif (
            value.ndim == 4
            and value.shape[2] == 3
            and (*value.shape[:2], 1, value.shape[3]) == (tuple(dst.shape))
        ):
            dst.assign(value.sum(axis=2, keepdims=True))
        elif value.ndim == 1 and value.shape[0] == 3 and tuple(dst.shape) == (1,):
            dst.assign(value.mean(keepdims=True))
        else:
            raise ValueError(
                f"weight {src.path!r} of shape {tuple(value.shape)} does not fit "
                f"{dst.path!r} of shape {tuple(dst.shape)}"
            )
    _finalize_state(target)


def _finalize_state(model) -> None:
    """Let layers that compute with tensors derived from their weights (Normalization)
    derive them again after the weights were assigned."""
    for layer in model.layers:
        if hasattr(layer, "layers"):
            _finalize_state(layer)
        if hasattr(layer, "finalize_state"):
            layer.finalize_state()


def save_model_weights(model: keras.Model, path: str | os.PathLike) -> Path:
    """Save all weights of a model, atomically (temp file in the same folder, then rename).

    Parameters
    ----------
    model : keras.Model
        The model.
    path : path-like
        Target file; its name must end in ``.weights.h5`` (the Keras 3 weights format).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, cxrzoo
    >>> model = cxrzoo.build("berreby_cnn", input_shape=(16, 16, 1))
    >>> file = save_model_weights(model, Path(tempfile.mkdtemp()) / "mine.weights.h5")
    >>> cxrzoo.build("berreby_cnn", input_shape=(16, 16, 1), weights=file).count_params()
    484353
    """
    target = Path(path).expanduser()
    if not target.name.endswith(".weights.h5"):
        raise ValueError(f"path must end in '.weights.h5', got {str(target)!r}")
    return write_with(target, lambda temporary: model.save_weights(temporary, overwrite=True))


def load_model_weights(model: keras.Model, path: str | os.PathLike) -> None:
    """Load weights saved by :func:`save_model_weights` into the same architecture.

    Parameters
    ----------
    model : keras.Model
        Built with the same name and arguments as the saved one; modified in place.
    path : path-like
        The ``.weights.h5`` file.

    Raises
    ------
    FileNotFoundError
        Naming the file and its folder.
    ValueError
        If the file does not fit the model, or cannot be read (not HDF5, damaged); the
        message names the file and the model.

    Examples
    --------
    >>> import tempfile, cxrzoo
    >>> model = cxrzoo.build("berreby_cnn", input_shape=(16, 16, 1))
    >>> file = save_model_weights(model, Path(tempfile.mkdtemp()) / "mine.weights.h5")
    >>> twin = cxrzoo.build("berreby_cnn", input_shape=(16, 16, 1))
    >>> load_model_weights(twin, file)
    >>> all(bool((a == b).all()) for a, b in zip(model.get_weights(), twin.get_weights()))
    True
    """
    file = resolve_weights(Path(path).name, path=path)
    try:
        model.load_weights(file)
    except OSError as error:
        raise ValueError(
            f"weights file {str(file)!r} cannot be read into model {model.name!r}: it is "
            f"not a Keras weights file, or it is damaged ({error})"
        ) from error
    except ValueError as error:
        raise ValueError(
            f"weights file {str(file)!r} does not fit model {model.name!r}: {error}"
        ) from error
