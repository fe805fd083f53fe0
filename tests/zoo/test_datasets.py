"""The data shipped with cxrzoo: PneumoniaMNIST, loaded without a download."""

import numpy as np
import pytest

from cxrzoo.data import PNEUMONIAMNIST_CLASSES, load_pneumoniamnist
from cxrzoo.data import pneumoniamnist_path as shipped_path


def test_shipped_pneumoniamnist_has_the_official_split_sizes_and_prevalences():
    data = load_pneumoniamnist()
    assert sorted(data) == ["test", "train", "val"]
    # the MedMNIST v2 split: 4708 / 524 / 624 images, 3494 / 389 / 390 pneumonia
    expected = {"train": (4708, 3494), "val": (524, 389), "test": (624, 390)}
    for split, (n, positives) in expected.items():
        images = data[split]
        assert images.images.shape == (n, 28, 28)
        assert images.images.dtype == np.uint8
        assert images.class_names == PNEUMONIAMNIST_CLASSES
        assert int(np.sum(images.labels)) == positives


def test_shipped_file_equals_the_shared_copy():
    """The package data is the same file as ``../shared/data/pneumoniamnist.npz``
    (skipped on a fresh clone, where the shared copy is absent)."""
    from tests.conftest import SHARED_DATA

    shared = SHARED_DATA / "pneumoniamnist.npz"
    if not shared.is_file():
        pytest.skip(f"real data not available: {shared} is absent (fresh clone)")
    assert shared.read_bytes() == shipped_path().read_bytes()
