"""From-scratch Sequential CNNs: Rahman's "Arch 1-6" (report 000) and Berreby's CNN (003).

A model is a stack of :class:`~cxrzoo.models.blocks.ConvBlock` s -- 3x3 ReLU convolutions,
optional batch normalization after each, an optional 2x2 max pooling -- then the preset's
head. The layouts themselves are plain data in :mod:`cxrzoo.models.blocks`.

* ``berreby_cnn`` is exactly the list of report 003, section 3.2: Conv 64 > MaxPool >
  Conv 128 > Dense 128 ReLU > Dropout 0.2 > Dense 1 sigmoid. The report does not say the
  padding (Keras' default ``"valid"`` is used) nor how the feature maps reach the dense
  layer (flattened).
* ``rahman_arch1`` ... ``rahman_arch6`` are reconstructed: report 000 (section II.B) only
  says that the six differ in the number of convolution and pooling layers, the use of
  batch normalization and the depth, and that each ends in dropout and a dense
  classifier. The progression chosen here grows in that order, one change at a time:

  ====== =========================================== =====
  arch   convolution blocks (filters, pooling after)  BN
  ====== =========================================== =====
  1      32                                           no
  2      32, 64                                       no
  3      32, 64                                       yes
  4      32, 64, 128                                  yes
  5      32, 64, 128, 128                             yes
  6      32+32, 64+64, 128+128, 256+256 (two convs)   yes
  ====== =========================================== =====

  with ``"same"`` padding (so any input of at least 16x16 works) and the head Flatten >
  Dropout 0.5 > Dense 1 sigmoid.
"""

from __future__ import annotations

import keras
from keras import layers

from cxrzoo.models._common import (
    ImagePreprocessing,
    check_input_size,
    head_layers,
    model_name,
    smallest_input,
)
from cxrzoo.models.blocks import ConvBlock
from cxrzoo.preset import Preset

__all__ = ["build_scratch"]


def build_scratch(preset: Preset, *, blocks: tuple[ConvBlock, ...], padding: str) -> keras.Model:
    """Build the Sequential CNN made of ``blocks`` for ``preset`` (its input, classes, head).

    A preset registers it with its layout bound, e.g.
    ``LazyBuilder("cxrzoo.models.scratch:build_scratch", blocks=BERREBY_BLOCKS,
    padding="valid")``.

    Parameters
    ----------
    preset : Preset
        A resolved preset without a backbone.
    blocks : tuple of ConvBlock
        The convolution blocks, input side first (:mod:`cxrzoo.models.blocks`).
    padding : {"valid", "same"}
        Padding of every convolution.

    Returns
    -------
    keras.Model
        Uncompiled; input in [0, 255].

    Examples
    --------
    >>> import cxrzoo
    >>> from cxrzoo.models.blocks import BERREBY_BLOCKS
    >>> preset = cxrzoo.get_preset("berreby_cnn")
    >>> build_scratch(preset, blocks=BERREBY_BLOCKS, padding="valid").count_params()
    61040769
    """
    if preset.weights is not None:
        raise ValueError(
            f"weights={preset.weights!r}: {preset.name} is built from scratch and has "
            "no pretrained backbone"
        )
    if padding == "valid":
        steps = [step for b in blocks for step in ("conv",) * len(b.filters) + ("pool",) * b.pool]
    else:
        steps = ["pool" for b in blocks if b.pool]
    check_input_size(preset, smallest_input(tuple(steps)), preset.name)
    model = keras.Sequential(name=model_name(preset))
    model.add(keras.Input(preset.input_shape, name="image"))
    model.add(ImagePreprocessing(preset.preprocessing, name="preprocessing"))
    for b, block in enumerate(blocks, start=1):
        for c, filters in enumerate(block.filters, start=1):
            model.add(
                layers.Conv2D(
                    filters, 3, padding=padding, activation="relu", name=f"block{b}_conv{c}"
                )
            )
            if block.batch_norm:
                model.add(layers.BatchNormalization(name=f"block{b}_bn{c}"))
        if block.pool:
            model.add(layers.MaxPooling2D(2, name=f"block{b}_pool"))
    for layer in head_layers(preset):
        model.add(layer)
    return model
