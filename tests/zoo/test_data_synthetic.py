"""Synthetic phantoms: shapes, determinism, prevalence, and a visible opacity signal."""

import numpy as np
import pytest

from cxrzoo.data import synthetic


def test_shapes_dtype_and_classes():
    s = synthetic(12, size=32, channels=3, seed=0)
    assert s.images.shape == (12, 32, 32, 3) and s.images.dtype == np.uint8
    assert np.array_equal(s.images[..., 0], s.images[..., 2])  # gray in three channels
    assert s.class_names == ("normal", "pneumonia")
    assert s.counts == {"normal": 6, "pneumonia": 6}
    assert s.checked and "seed=0" in s.source


def test_same_seed_same_images():
    a, b, c = synthetic(6, size=24, seed=7), synthetic(6, size=24, seed=7), synthetic(6, size=24)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, c.images)


def test_prevalence_keeps_both_classes():
    assert synthetic(100, size=16, prevalence=0.2).counts == {"normal": 80, "pneumonia": 20}
    assert synthetic(3, size=16, prevalence=0.01).counts == {"normal": 2, "pneumonia": 1}


def test_anatomy_and_opacities():
    s = synthetic(200, size=48, seed=1)
    x = s.images[..., 0].astype(float)
    mean = x.mean(axis=0)
    # lungs (left and right of the centre line, mid height) are darker than the spine
    # between them and than the diaphragm below
    lung = mean[18, 10:16].mean()
    assert lung < mean[18, 23:25].mean() - 15 and lung < mean[45, 10:16].mean() - 15
    # pneumonia images are brighter inside the lung fields on average
    lungs = x[:, 10:30, 6:42].mean(axis=(1, 2))
    pos, neg = lungs[s.labels == 1], lungs[s.labels == 0]
    assert pos.mean() > neg.mean() + 3
    # ... but not separable by that one number alone (the task is not trivial)
    assert pos.min() < neg.max()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be an integer >= 2"),
        ({"n": 4, "size": 8}, "size must be an integer >= 16"),
        ({"n": 4, "channels": 2}, "channels must be 1 or 3"),
        ({"n": 4, "prevalence": 1.0}, r"prevalence must be in \(0, 1\)"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synthetic(**kwargs)
