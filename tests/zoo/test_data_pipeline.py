"""tf.data pipelines, unreadable files, class weights, weighted sampling, augmentation."""

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_data_loaders import make_tree, write_image

from cxrzoo import Augmentation, get_preset
from cxrzoo.data import (
    Flip,
    ImageSet,
    RandomApply,
    RandomBrightnessScale,
    augmentation,
    class_weights,
    load_folders,
    make_dataset,
    synthetic,
)


def batches(pipeline):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in pipeline.dataset], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


@pytest.mark.parametrize("channels", [1, 3])
def test_mixed_files_decode_to_one_shape(tmp_path, channels):
    make_tree(tmp_path, {"train": {"NORMAL": 5, "PNEUMONIA": 5}})
    p = make_dataset(load_folders(tmp_path)["train"], size=12, channels=channels, batch_size=4)
    x, y = batches(p)
    assert x.shape == (10, 12, 12, channels) and x.dtype == np.float32
    assert y.tolist() == [0] * 5 + [1] * 5  # unshuffled: folder order
    # every fixture is a constant gray 102 (on the web palette of mode P; JPEG may shift it)
    assert np.all(np.abs(x - 102) <= 2)
    assert p.steps == 3 and p.counts == {"NORMAL": 5, "PNEUMONIA": 5} and p.skipped == ()


def test_rgb_to_gray_and_gray_to_rgb_values(tmp_path):
    from PIL import Image

    paths = []
    for suffix in (".png", ".jpg", ".bmp"):  # libpng, libjpeg, and BMP through RGB
        paths.append(str(tmp_path / f"rgb{suffix}"))
        Image.fromarray(np.full((6, 9, 3), (10, 20, 30), np.uint8)).save(paths[-1])
    s = ImageSet(("a",), np.zeros(3, int), paths=tuple(paths))
    gray = batches(make_dataset(s, size=4, channels=1))[0]
    # luma: 0.2989 * 10 + 0.587 * 20 + 0.114 * 30 = 18.15 (ITU-R 601); 18.63 with 709's
    # weights; JPEG's chroma rounding moves it by a level
    assert np.all(np.abs(gray - 18.4) <= 1.5)
    arr = np.full((1, 5, 5), 77, np.uint8)
    rgb = batches(make_dataset(ImageSet(("a",), np.array([0]), images=arr), size=3, channels=3))
    assert rgb[0].shape == (1, 3, 3, 3) and np.allclose(rgb[0], 77)


def test_unreadable_files_one_warning_listing_all(tmp_path):
    make_tree(tmp_path, {"train": {"NORMAL": 3, "PNEUMONIA": 3}})
    bad1 = tmp_path / "train" / "NORMAL" / "garbage.jpg"
    bad1.write_bytes(b"\xff\xd8\xff not really a jpeg")
    good = write_image(tmp_path / "train" / "PNEUMONIA" / "full.png", size=(40, 40))
    bad2 = tmp_path / "train" / "PNEUMONIA" / "truncated.png"
    bad2.write_bytes(good.read_bytes()[:50])
    s = load_folders(tmp_path)["train"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = make_dataset(s, size=8, channels=1, batch_size=2, sampling="shuffle", seed=0)
    messages = [str(w.message) for w in caught if "unreadable" in str(w.message)]
    assert len(messages) == 1
    assert "2 unreadable image file(s)" in messages[0]
    assert str(bad1) in messages[0] and str(bad2) in messages[0]
    assert set(p.skipped) == {str(bad1), str(bad2)}
    assert p.counts == {"NORMAL": 3, "PNEUMONIA": 4}
    for _ in range(2):  # two whole epochs, no crash
        assert batches(p)[0].shape == (7, 8, 8, 1)
    with pytest.raises(ValueError, match=r"2 unreadable image file\(s\).*garbage\.jpg"):
        make_dataset(s, size=8, channels=1, on_error="raise")
    with pytest.raises(ValueError, match="on_error must be"):
        make_dataset(s, size=8, channels=1, on_error="ignore")


def test_missing_file_is_unreadable_and_nothing_readable_raises(tmp_path):
    s = ImageSet(("a", "b"), np.array([0, 1]), paths=(str(tmp_path / "x.png"), "/no/y.jpg"))
    with (
        pytest.warns(UserWarning, match="2 unreadable"),
        pytest.raises(ValueError, match="no readable images"),
    ):
        make_dataset(s, size=8, channels=1)


def test_label_modes_and_bad_arguments():
    s = synthetic(6, size=16, seed=0)
    _, yb = batches(make_dataset(s, size=8, channels=1, label_mode="binary"))
    assert yb.shape == (6, 1) and yb.dtype == np.float32
    assert yb[:, 0].tolist() == s.labels.tolist()
    _, yc = batches(make_dataset(s, size=8, channels=1, label_mode="categorical"))
    assert np.array_equal(yc, np.eye(2)[s.labels])
    three = ImageSet(("a", "b", "c"), np.array([0, 1, 2]), images=np.zeros((3, 4, 4), np.uint8))
    with pytest.raises(ValueError, match="label_mode='binary' needs 2 classes, got 3"):
        make_dataset(three, size=4, channels=1, label_mode="binary")
    with pytest.raises(ValueError, match="channels must be 1 or 3"):
        make_dataset(s, size=8, channels=2)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        make_dataset(s, size=8, channels=1, batch_size=0)
    with pytest.raises(ValueError, match="sampling must be one of"):
        make_dataset(s, size=8, channels=1, sampling="balanced")


def test_seeded_shuffle():
    s = synthetic(40, size=16, seed=0)

    def order(seed):
        p = make_dataset(s, size=8, channels=1, batch_size=8, sampling="shuffle", seed=seed)
        return [batches(p)[0].sum(axis=(1, 2, 3)) for _ in range(2)]

    a, b, c = order(1), order(1), order(2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])  # same seed, same epochs
    assert not np.array_equal(a[0], a[1])  # reshuffled every epoch
    assert not np.array_equal(a[0], c[0])
    assert np.allclose(np.sort(a[0]), np.sort(a[1]))  # a permutation of the same images


def test_weighted_sampling_balances_classes():
    s = synthetic(400, size=16, seed=0, prevalence=0.1)
    assert s.counts == {"normal": 360, "pneumonia": 40}
    p = make_dataset(s, size=8, channels=1, batch_size=50, sampling="inverse_frequency", seed=3)
    epochs = [batches(p)[1] for _ in range(2)]
    for y in epochs:
        assert len(y) == 400
        # 400 draws with p = 0.5: the share is 0.5 +- 0.025 (sd); allow 4 sd
        assert abs(y.mean() - 0.5) < 0.1
    assert not np.array_equal(epochs[0], epochs[1])


def test_class_weights_match_the_reports():
    # 001: 460 COVID-19, 1,341 normal, 3,875 pneumonia -> 4.11, 1.41, 0.49
    w = class_weights({"COVID19": 460, "NORMAL": 1341, "PNEUMONIA": 3875})
    assert {c: round(v, 2) for c, v in w.items()} == {
        "COVID19": 4.11,
        "NORMAL": 1.41,
        "PNEUMONIA": 0.49,
    }
    assert w["COVID19"] == pytest.approx(5676 / (3 * 460))
    # 002: Kermany train, 1,341 normal and 3,875 pneumonia -> 1.94 and 0.67
    labels = np.r_[np.zeros(1341, int), np.ones(3875, int)]
    w2 = class_weights(labels)
    assert (round(w2[0], 2), round(w2[1], 2)) == (1.94, 0.67)
    s = ImageSet(("n", "p"), labels, images=np.zeros((len(labels), 1, 1), np.uint8))
    assert class_weights(s) == w2
    assert class_weights(["x", "y", "x", "y"]) == {"x": 1.0, "y": 1.0}


def test_class_weights_errors():
    with pytest.raises(ValueError, match=r"class\(es\) \['b'\] have no images"):
        class_weights({"a": 3, "b": 0})
    with pytest.raises(ValueError, match="must be an integer >= 0"):
        class_weights({"a": 2.5})
    with pytest.raises(TypeError, match="counts_or_labels must be"):
        class_weights("abc")
    with pytest.raises(ValueError, match="labels must be 1-D and non-empty"):
        class_weights([])


@settings(max_examples=30)
@given(st.lists(st.integers(1, 10_000), min_size=2, max_size=6))
def test_class_weights_give_every_class_equal_total_weight(counts):
    w = class_weights(dict(enumerate(counts)))
    n, k = sum(counts), len(counts)
    for c, n_c in enumerate(counts):
        assert n_c * w[c] == pytest.approx(n / k)


# the reports' lists, as the presets carry them: 001, 002 and 004
RECIPE_001 = get_preset("inception_v3.covid3").recipe.augmentations
RECIPE_002 = get_preset("szanet").recipe.augmentations
RECIPE_004 = get_preset("resnet50.bolhassani_focal").recipe.augmentations


def test_preset_lists_build_the_documented_layers():
    kinds = {
        "001": [type(layer).__name__ for layer in augmentation(RECIPE_001).layers],
        "002": [type(layer).__name__ for layer in augmentation(RECIPE_002).layers],
        "004": [type(layer).__name__ for layer in augmentation(RECIPE_004).layers],
    }
    assert kinds["001"] == [
        "RandomRotation",
        "RandomShear",
        "RandomTranslation",
        "RandomTranslation",
        "RandomZoom",
        "RandomBrightnessScale",
        "RandomApply",  # a horizontal flip with p 0.5
    ]
    assert kinds["002"] == ["RandomShear", "RandomZoom", "RandomApply"]
    assert kinds["004"] == ["RandomApply", "RandomApply", "RandomApply"]
    shear = augmentation(RECIPE_002).layers[0]
    assert shear.x_factor[1] == pytest.approx(math.tan(0.2))  # 0.2 rad as 002 states
    rotation = augmentation(RECIPE_001).layers[0]
    assert rotation.factor[1] == pytest.approx(5 / 360)


@pytest.mark.parametrize("recipe", [RECIPE_001, RECIPE_002, RECIPE_004])
def test_augmentation_is_seeded(recipe):
    x = synthetic(8, size=24, seed=0).images.astype("float32")

    def run(seed):
        aug = augmentation(recipe, seed=seed)
        return [np.asarray(aug(x, training=True)) for _ in range(2)]

    a, b, c = run(5), run(5), run(6)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])
    assert not np.allclose(a[0], a[1])  # a new draw on every call
    assert np.array_equal(np.asarray(augmentation(recipe, seed=5)(x, training=False)), x)


def test_augmentation_in_pipeline_reproducible():
    s = synthetic(16, size=16, seed=0)

    def run():
        aug = augmentation(RECIPE_001, seed=2)
        p = make_dataset(
            s, size=16, channels=1, batch_size=4, sampling="shuffle", seed=0, augment=aug
        )
        return batches(p)[0]

    assert np.array_equal(run(), run())


def test_flip_and_brightness_semantics():
    x = np.random.default_rng(0).uniform(1, 200, (64, 6, 6, 1)).astype("float32")
    flip = augmentation([Augmentation("horizontal_flip", probability=0.5)], seed=0)
    y = np.asarray(flip(x, training=True))
    same = np.all(y == x, axis=(1, 2, 3))
    mirrored = np.all(y == x[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same | mirrored) and same.any() and mirrored.any()
    b = np.asarray(RandomBrightnessScale(0.8, 1.2, seed=0)(x, training=True))
    ratio = b / x
    assert np.allclose(ratio, ratio[:, :1, :1, :], atol=1e-5)  # one factor per image
    assert ratio.min() >= 0.8 - 1e-6 and ratio.max() <= 1.2 + 1e-6


def test_random_apply_probability():
    import keras

    x = np.random.default_rng(0).uniform(0, 1, (400, 4, 4, 1)).astype("float32")
    flip = keras.layers.RandomFlip("horizontal_and_vertical", seed=0)
    never = np.asarray(RandomApply(flip, 0.0, seed=0)(x, training=True))
    assert np.array_equal(never, x)
    sometimes = np.asarray(RandomApply(keras.layers.Lambda(lambda t: t + 10), 0.3, seed=1)(x))
    applied = np.all(sometimes >= 10, axis=(1, 2, 3))
    # 400 draws with p = 0.3: sd 0.023; allow 4 sd
    assert abs(applied.mean() - 0.3) < 0.1
    with pytest.raises(ValueError, match="p must be in"):
        RandomApply(flip, 1.5)


def test_augmentation_errors():
    with pytest.raises(ValueError, match=r"steps\[0\]: unknown augmentation kind 'blur'"):
        augmentation(
            [SimpleNamespace(kind="blur", factor=1, probability=1.0, fill_mode="constant")]
        )
    with pytest.raises(TypeError, match=r"steps\[0\] must be an Augmentation"):
        augmentation([("rotation", 5)])
    with pytest.raises(ValueError, match="direction must be"):
        Flip("diagonal")
