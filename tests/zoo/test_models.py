"""Every registered model builds, runs forward on CPU and has the documented shape."""

import numpy as np
import pytest

import cxrzoo


def _trainable(model) -> int:
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def _non_trainable(model) -> int:
    return sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)


def test_szanet_is_exactly_report_002():
    # 3x3 convs with bias: 448 + 4,640 + 18,496; BN 4 x (16 + 32 + 64) = 448;
    # 224 -> 222 -> 111 -> 109 -> 54 -> 52 -> 26: Flatten 26*26*64 = 43,264;
    # Dense 64: 43,264*64 + 64 = 2,768,960; Dense 1: 65.
    model = cxrzoo.build("szanet")
    assert model.count_params() == 2_793_057
    assert _non_trainable(model) == 2 * (16 + 32 + 64)
    assert _trainable(model) == 2_793_057 - 224
    assert model.input_shape == (None, 224, 224, 3)
    assert model.output_shape == (None, 1)
    assert model.name == "szanet_gupta"
    convs = [layer for layer in model.layers if layer.name.endswith("_conv")]
    assert [c.filters for c in convs] == [16, 32, 64]
    assert {c.padding for c in convs} == {"valid"}
    rates = [layer.rate for layer in model.layers if "dropout" in layer.name]
    assert rates == [0.2, 0.2, 0.4, 0.5]


@pytest.mark.parametrize("channels", [1, 3])
def test_szanet_forward_pass_small_input(channels):
    model = cxrzoo.build("szanet", input_shape=(32, 32, channels))
    images = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, channels)).astype("float32")
    out = model.predict(images, verbose=0)
    assert out.shape == (2, 1)
    assert np.all((out > 0) & (out < 1))
