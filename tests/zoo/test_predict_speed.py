"""cxrzoo.predict on in-memory arrays is model.predict on them: no resize when the size
matches, no rounding through uint8, the same numbers (correctness; speed is in
benchmarks/bench_predict.py)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.zoo._models import tiny_cnn

from cxrzoo.data import ImageSet
from cxrzoo.data.pipeline import array_input, make_dataset
from cxrzoo.evaluation import predict


def images(n=20, size=32, dtype=np.uint8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 255, (n, size, size))
    return ImageSet(("normal", "pneumonia"), rng.integers(0, 2, n), images=x.astype(dtype))


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_predict_equals_model_predict_on_the_same_float_input(dtype):
    model = tiny_cnn(32)
    data = images(dtype=dtype)
    x = data.images.astype(np.float32)[..., None]
    expected = model.predict(x, batch_size=8, verbose=0)
    got = predict(model, data, batch_size=8)
    np.testing.assert_array_equal(got.y_score, expected.astype(float))
    assert got.y_true.tolist() == data.labels.tolist() and got.skipped == ()
    flipped = predict(model, data, tta="flip", batch_size=8).y_score
    mirror = model.predict(x[:, :, ::-1], batch_size=8, verbose=0)
    np.testing.assert_allclose(flipped, (expected + mirror) / 2, rtol=1e-6)


def test_float_images_are_not_rounded_through_uint8():
    data = images(3, 8, np.float32)
    x = array_input(data, (8, 8), 1)
    assert x.dtype == np.float32 and np.array_equal(x[..., 0], data.images)
    assert not np.array_equal(x[..., 0], np.round(data.images))


def test_uint8_images_at_the_model_size_match_the_pipeline():
    data = images(6, 16)
    piped = np.concatenate(
        [b for b, _ in make_dataset(data, size=16, channels=3, batch_size=4).dataset]
    )
    assert np.array_equal(array_input(data, (16, 16), 3), piped)


def test_other_sizes_and_colour_conversions_go_through_the_pipeline():
    data = images(4, 16)
    assert array_input(data, (8, 8), 1) is None
    rgb = ImageSet(("a", "b"), np.array([0, 1]), images=np.zeros((2, 8, 8, 3), np.uint8))
    assert array_input(rgb, (8, 8), 1) is None and array_input(rgb, (8, 8), 3).shape == (2, 8, 8, 3)
    model = tiny_cnn(32)
    small = predict(model, data)  # 16 -> 32: resized by the pipeline
    assert small.y_score.shape == (4, 1)
