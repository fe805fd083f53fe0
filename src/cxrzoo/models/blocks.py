"""Layouts of the from-scratch CNNs: plain data, no Keras.

Presets name their layout from here without importing TensorFlow;
:func:`cxrzoo.models.scratch.build_scratch` turns a layout into layers when a model is
built. The module :mod:`cxrzoo.models.scratch` says what each layout is and which parts
are reconstructed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BERREBY_BLOCKS", "RAHMAN_BLOCKS", "ConvBlock"]


@dataclass(frozen=True)
class ConvBlock:
    """Convolutions (3x3, ReLU) with the given filters, each optionally batch-normalized,
    then optionally a 2x2 max pooling."""

    filters: tuple[int, ...]
    batch_norm: bool = False
    pool: bool = True


#: Berreby's CNN (report 003): Conv 64 > MaxPool > Conv 128.
BERREBY_BLOCKS = (ConvBlock((64,)), ConvBlock((128,), pool=False))

#: Rahman's "Arch 1" ... "Arch 6" (report 000), reconstructed, by arch number.
RAHMAN_BLOCKS = {
    1: (ConvBlock((32,)),),
    2: (ConvBlock((32,)), ConvBlock((64,))),
    3: (ConvBlock((32,), True), ConvBlock((64,), True)),
    4: (ConvBlock((32,), True), ConvBlock((64,), True), ConvBlock((128,), True)),
    5: tuple(ConvBlock((f,), True) for f in (32, 64, 128, 128)),
    6: tuple(ConvBlock((f, f), True) for f in (32, 64, 128, 256)),
}
