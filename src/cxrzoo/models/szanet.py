"""SZANet (Gupta, Mishra & Yang; report 002, "Deep Learning"), exactly as specified.

Input 224x224x3 scaled to [0, 1]. Three blocks of ``Conv2D 3x3 'valid' > BatchNormalization >
ReLU > MaxPooling 2x2 > Dropout`` with 16, 32 and 64 filters and dropout 0.2, 0.2, 0.4;
then ``Flatten > Dense 64 ReLU > Dropout 0.5 > Dense 1 sigmoid``. At 224x224x3 it has
2,793,057 parameters (224 of them the batch-normalization moving statistics).
"""

from __future__ import annotations

import keras
from keras import layers

from cxrzoo.models._common import (
    ImagePreprocessing,
    check_input_size,
    classifier_head,
    model_name,
    smallest_input,
)
from cxrzoo.preset import Preset

#: (filters, dropout) of the three convolutional blocks.
SZANET_BLOCKS = ((16, 0.2), (32, 0.2), (64, 0.4))


def build_szanet(preset: Preset) -> keras.Model:
    """Build SZANet for ``preset`` (its input shape, classes and head).

    Parameters
    ----------
    preset : Preset
        A resolved preset, e.g. ``cxrzoo.get_preset("szanet")``.

    Returns
    -------
    keras.Model
        Uncompiled; input in [0, 255].

    Examples
    --------
    >>> import cxrzoo
    >>> build_szanet(cxrzoo.get_preset("szanet")).count_params()
    2793057
    """
    if preset.weights is not None:
        raise ValueError(f"weights={preset.weights!r}: SZANet has no pretrained backbone")
    check_input_size(preset, smallest_input(("conv", "pool") * len(SZANET_BLOCKS)), preset.name)
    inputs = keras.Input(preset.input_shape, name="image")
    x = ImagePreprocessing(preset.preprocessing, name="preprocessing")(inputs)
    for i, (filters, rate) in enumerate(SZANET_BLOCKS, start=1):
        x = layers.Conv2D(filters, 3, padding="valid", name=f"block{i}_conv")(x)
        x = layers.BatchNormalization(name=f"block{i}_bn")(x)
        x = layers.Activation("relu", name=f"block{i}_relu")(x)
        x = layers.MaxPooling2D(2, name=f"block{i}_pool")(x)
        x = layers.Dropout(rate, name=f"block{i}_dropout")(x)
    outputs = classifier_head(x, preset)
    return keras.Model(inputs, outputs, name=model_name(preset))
