"""Offline weights: where files are found, what a missing file says, 1-channel adaptation,
ImageNet and CheXNet loading from local files, and exact round trips of our own weights."""

import os
import re
import shutil

import keras
import numpy as np
import pytest
from tests._helpers import run_snippet

import cxrzoo
from cxrzoo import weights
from cxrzoo.models import transfer
from cxrzoo.models.backbones import backbone_spec
from cxrzoo.models.transfer import get_backbone
from cxrzoo.weights import (
    CHEXNET_FILE,
    adapt_input_channels,
    load_model_weights,
    resolve_weights,
    save_model_weights,
)

MOBILENET_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"


@pytest.fixture
def caches(tmp_path, monkeypatch):
    """Empty project and Keras cache folders for the test."""
    project, keras_home = tmp_path / "project", tmp_path / "keras_home"
    project.mkdir()
    (keras_home / "models").mkdir(parents=True)
    monkeypatch.setenv(weights.CACHE_ENV, str(project))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    return project, keras_home / "models"


def _randomize(model, seed=0):
    rng = np.random.default_rng(seed)
    for w in model.weights:
        w.assign(rng.normal(0, 0.05, w.shape).astype(w.dtype))


def _assert_same_weights(a, b):
    assert len(a.weights) == len(b.weights)
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(weights.CACHE_ENV, str(tmp_path / "zoo"))
    assert weights.cache_dir() == tmp_path / "zoo"
    monkeypatch.delenv(weights.CACHE_ENV)
    assert weights.cache_dir() == weights.Path.home() / ".cache" / "cxrzoo"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert weights.keras_cache_dir() == tmp_path / "kh" / "models"


def test_resolve_order_explicit_then_project_then_keras(caches, tmp_path):
    project, keras_models = caches
    (keras_models / "w.h5").write_bytes(b"k")
    assert resolve_weights("w.h5") == keras_models / "w.h5"
    (project / "w.h5").write_bytes(b"p")
    assert resolve_weights("w.h5") == project / "w.h5"
    explicit = tmp_path / "elsewhere.h5"
    explicit.write_bytes(b"e")
    assert resolve_weights("w.h5", path=explicit) == explicit


def test_missing_file_names_the_file_and_the_folders(caches):
    project, keras_models = caches
    with pytest.raises(FileNotFoundError) as error:
        resolve_weights("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
    message = str(error.value)
    assert "'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5' not found" in message
    assert repr(str(project)) in message and repr(str(keras_models)) in message
    assert "nothing is downloaded" in message and weights.CACHE_ENV in message


def test_explicit_missing_path_names_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"'mine\.weights\.h5' not found in folder"):
        resolve_weights("mine.weights.h5", path=tmp_path / "mine.weights.h5")


def test_build_with_imagenet_and_no_file_never_downloads(caches):
    with pytest.raises(FileNotFoundError, match="vgg16_weights_tf_dim_ordering_tf_kernels_notop"):
        cxrzoo.build("vgg16.rahman_imagenet", input_shape=(32, 32, 3), weights="imagenet")
    with pytest.raises(FileNotFoundError, match=CHEXNET_FILE):
        cxrzoo.build("densenet121.chexnet_ce", input_shape=(32, 32, 3), weights="chexnet")


def test_chexnet_needs_densenet(caches):
    with pytest.raises(ValueError, match="weights='chexnet' needs the DenseNet121 backbone"):
        cxrzoo.build("resnet50.bolhassani_ce", input_shape=(32, 32, 3), weights="chexnet")


@pytest.mark.parametrize(
    ("name", "shape"),
    [("szanet", (32, 32, 1)), ("mobilenetv2.berreby", (32, 32, 3))],
)
def test_own_weights_round_trip_exactly(tmp_path, name, shape):
    model = cxrzoo.build(name, input_shape=shape)
    _randomize(model)
    images = np.random.default_rng(1).uniform(0, 255, (3, *shape)).astype("float32")
    expected = np.asarray(model(images, training=False))
    file = save_model_weights(model, tmp_path / "sub" / "trained.weights.h5")
    assert file == tmp_path / "sub" / "trained.weights.h5"
    assert os.listdir(tmp_path / "sub") == ["trained.weights.h5"]  # no temp file left
    again = cxrzoo.build(name, input_shape=shape, weights=file)
    _assert_same_weights(model, again)
    np.testing.assert_array_equal(np.asarray(again(images, training=False)), expected)


def test_save_and_load_reject_bad_paths(tmp_path):
    model = cxrzoo.build("berreby_cnn", input_shape=(16, 16, 1))
    with pytest.raises(ValueError, match=r"path must end in '\.weights\.h5'"):
        save_model_weights(model, tmp_path / "model.h5")
    with pytest.raises(FileNotFoundError, match=r"'gone\.weights\.h5' not found in folder"):
        load_model_weights(model, tmp_path / "gone.weights.h5")
    other = save_model_weights(
        cxrzoo.build("szanet", input_shape=(32, 32, 1)), tmp_path / "szanet.weights.h5"
    )
    with pytest.raises(ValueError, match="does not fit model 'berreby_cnn_berreby'"):
        load_model_weights(model, other)


def test_adapt_input_channels_sums_the_first_kernel_only():
    rgb = keras.Sequential(
        [keras.Input((6, 6, 3)), keras.layers.Conv2D(4, 3), keras.layers.Conv2D(2, 3)]
    )
    gray = keras.Sequential(
        [keras.Input((6, 6, 1)), keras.layers.Conv2D(4, 3), keras.layers.Conv2D(2, 3)]
    )
    _randomize(rgb)
    adapt_input_channels(rgb, gray)
    kernel = rgb.weights[0].numpy()
    np.testing.assert_allclose(gray.weights[0].numpy(), kernel.sum(axis=2, keepdims=True))
    for x, y in zip(rgb.weights[1:], gray.weights[1:], strict=True):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    # the gray image gives what the RGB model gives to that image repeated three times
    image = np.random.default_rng(2).uniform(0, 1, (1, 6, 6, 1)).astype("float32")
    np.testing.assert_allclose(
        np.asarray(gray(image)), np.asarray(rgb(np.repeat(image, 3, axis=-1))), rtol=1e-5
    )
    small = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(4, 3)])
    with pytest.raises(ValueError, match="source and target differ: 4 vs 2 weights"):
        adapt_input_channels(rgb, small)
    wide = keras.Sequential(
        [keras.Input((6, 6, 1)), keras.layers.Conv2D(5, 3), keras.layers.Conv2D(2, 3)]
    )
    with pytest.raises(ValueError, match="does not fit"):
        adapt_input_channels(rgb, wide)


def test_adapt_input_channels_averages_input_statistics():
    def model(channels):
        return keras.Sequential(
            [keras.Input((2, 2, channels)), keras.layers.Normalization(), keras.layers.Conv2D(1, 1)]
        )

    rgb, gray = model(3), model(1)
    rgb.layers[0].set_weights([np.array([1.0, 2.0, 6.0]), np.array([1.0, 4.0, 16.0]), np.array(1)])
    rgb.layers[0].finalize_state()
    adapt_input_channels(rgb, gray)
    # mean (1 + 2 + 6) / 3 = 3, variance (1 + 4 + 16) / 3 = 7
    out = np.asarray(gray.layers[0](np.full((1, 2, 2, 1), 10.0, dtype="float32")))
    np.testing.assert_allclose(out, (10.0 - 3.0) / np.sqrt(7.0), rtol=1e-6)


@pytest.fixture(scope="module")
def mobilenet_imagenet_file(tmp_path_factory):
    """A stand-in for Keras' MobileNetV2 ImageNet file: random weights, same format."""
    folder = tmp_path_factory.mktemp("imagenet")
    source = keras.applications.MobileNetV2(
        include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    _randomize(source, seed=3)
    source.save(folder / MOBILENET_FILE)  # legacy HDF5, as keras.applications' files
    return folder / MOBILENET_FILE, source


def test_imagenet_weights_load_from_the_cache_for_3_and_1_channels(caches, mobilenet_imagenet_file):
    file, source = mobilenet_imagenet_file
    project, _ = caches
    shutil.copy(file, project / MOBILENET_FILE)
    rgb = cxrzoo.build("mobilenetv2.berreby", input_shape=(32, 32, 3), weights="imagenet")
    _assert_same_weights(get_backbone(rgb), source)
    gray = cxrzoo.build("mobilenetv2.berreby", input_shape=(32, 32, 1), weights="imagenet")
    kernel = source.weights[0].numpy()
    np.testing.assert_allclose(get_backbone(gray).weights[0].numpy(), kernel.sum(2, keepdims=True))
    for x, y in zip(get_backbone(gray).weights[1:], source.weights[1:], strict=True):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    # 'tf' scaling is the same on every channel, so with the same head a gray image gives
    # exactly what the RGB model gives to the image repeated on three channels
    gray.get_layer("predictions").set_weights(rgb.get_layer("predictions").get_weights())
    image = np.random.default_rng(4).uniform(0, 255, (2, 32, 32, 1)).astype("float32")
    np.testing.assert_allclose(
        np.asarray(gray(image, training=False)),
        np.asarray(rgb(np.repeat(image, 3, axis=-1), training=False)),
        rtol=1e-4,
        atol=1e-6,
    )


def test_imagenet_file_is_looked_up_under_keras_name(caches, mobilenet_imagenet_file):
    file, source = mobilenet_imagenet_file
    _, keras_models = caches
    shutil.copy(file, keras_models / MOBILENET_FILE)  # found in the Keras cache too
    model = cxrzoo.build("mobilenetv2.berreby", input_shape=(32, 32, 3), weights="imagenet")
    assert get_backbone(model).trainable is False  # the preset freezes the base
    _assert_same_weights(get_backbone(model), source)


def test_chexnet_file_with_its_14_unit_top_loads_by_name(caches):
    project, _ = caches
    densenet = keras.applications.DenseNet121(
        include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg"
    )
    _randomize(densenet, seed=5)
    chexnet = keras.Model(
        densenet.input,
        keras.layers.Dense(14, activation="sigmoid", name="predictions")(densenet.output),
    )
    chexnet.save(project / CHEXNET_FILE)
    model = cxrzoo.build("densenet121.chexnet_focal", input_shape=(32, 32, 3), weights="chexnet")
    _assert_same_weights(get_backbone(model), densenet)
    assert model.output_shape == (None, 4)


def test_chexnet_file_of_another_network_is_rejected(caches):
    project, _ = caches
    tiny = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3, name="c")])
    tiny.save(project / CHEXNET_FILE)
    with pytest.raises(ValueError, match="must hold Keras DenseNet121 weights"):
        cxrzoo.build("densenet121.chexnet_ce", input_shape=(32, 32, 3), weights="chexnet")


def test_efficientnet_imagenet_scaling_is_folded_into_the_variance(tmp_path):
    # keras.applications adds Rescaling(1 / sqrt(std)) after the normalization when it
    # loads ImageNet weights itself; loading the file ourselves must give the same function.
    model = keras.applications.EfficientNetB0(
        include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    normalization = model.get_layer(index=2)
    mean, variance, _ = normalization.weights
    mean.assign(np.reshape([0.485, 0.456, 0.406], mean.shape))
    variance.assign(np.reshape([0.229**2, 0.224**2, 0.225**2], variance.shape))
    file = tmp_path / "efficientnetb0_notop.h5"
    model.save(file)
    transfer._load_imagenet(model, backbone_spec("EfficientNetB7"), file)
    pixel = np.array([[[[255.0, 0.0, 127.5]]]], dtype="float32")
    scaled = np.asarray(normalization(model.get_layer(index=1)(pixel))).ravel()
    std = np.array([0.229, 0.224, 0.225])
    expected = (np.array([1.0, 0.0, 0.5]) - [0.485, 0.456, 0.406]) / std / np.sqrt(std)
    np.testing.assert_allclose(scaled, expected, rtol=1e-5)


def test_zoo_works_without_keras_cv():
    code = """
        import sys
        import numpy as np
        import cxrzoo
        from cxrzoo.cli import main
        names = cxrzoo.list_models()
        model = cxrzoo.build("szanet", input_shape=(32, 32, 1))
        out = model(np.zeros((1, 32, 32, 1), "float32"))
        assert main(["info", "szanet"]) == 0
        assert "keras_cv" not in [m for m in sys.modules if sys.modules[m] is not None]
        print(len(names), tuple(out.shape))
        """
    result = run_snippet(code, unimportable=["keras_cv"], env={"TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == f"{len(cxrzoo.list_models())} (1, 1)"


def test_a_random_backbone_is_never_frozen_a_pretrained_one_as_the_preset_says(
    caches, mobilenet_imagenet_file, tmp_path
):
    import dataclasses

    from cxrzoo import FineTune
    from cxrzoo.data import synthetic

    file, _ = mobilenet_imagenet_file
    shutil.copy(file, caches[0] / MOBILENET_FILE)
    name, shape = "mobilenetv2.berreby", (32, 32, 3)
    assert cxrzoo.get_preset(name).freeze_base
    for random in (cxrzoo.build(name, input_shape=shape),
                   cxrzoo.build(name, input_shape=shape, freeze_base=True)):  # fmt: skip
        assert get_backbone(random).trainable
    pretrained = cxrzoo.build(name, input_shape=shape, weights="imagenet")
    assert not get_backbone(pretrained).trainable
    saved = save_model_weights(pretrained, tmp_path / "mine.weights.h5")
    assert not get_backbone(cxrzoo.build(name, input_shape=shape, weights=saved)).trainable
    # the two-phase recipe from the preset's ImageNet weights: frozen, then unfrozen (VGG16,
    # whose stand-in file is quick to train from)
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=shape)
    vgg.save(caches[0] / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
    preset = cxrzoo.get_preset("vgg16.rahman_imagenet")
    recipe = dataclasses.replace(preset.recipe, callbacks=(), fine_tune=FineTune(1e-5, epochs=1))
    two_phase = dataclasses.replace(preset, input_shape=shape, recipe=recipe)
    result = cxrzoo.train(two_phase, synthetic(10, size=32), epochs=1, batch_size=8, verbose=0)
    assert [(r["phase"], r["epoch"]) for r in result.history] == [(1, 0), (2, 0)]
    assert get_backbone(result.model).trainable


def test_one_channel_caffe_model_is_shifted_by_the_averaged_channel_means():
    # 'caffe' subtracts a different mean from each channel; the 1-channel model subtracts
    # their average, so its first convolution (kernel summed over the channels) answers
    # a gray image with what the RGB model answers the repeated image plus, per filter,
    # sum over the kernel of k[..., c, f] * (mean_c - mean of the means): close, not equal
    keras.utils.set_random_seed(0)
    rgb = cxrzoo.build("vgg16.rahman", input_shape=(32, 32, 3))
    gray = cxrzoo.build("vgg16.rahman", input_shape=(32, 32, 1))
    adapt_input_channels(rgb, gray)
    image = np.random.default_rng(1).uniform(0, 255, (1, 32, 32, 1)).astype("float32")
    kernel = get_backbone(rgb).get_layer("block1_conv1").kernel.numpy()

    def first_conv(model, x, k):  # before the bias and the ReLU; valid: no border effects
        pre = model.get_layer("preprocessing")(x)
        return keras.ops.convert_to_numpy(keras.ops.conv(pre, k, padding="valid"))

    a = first_conv(rgb, np.repeat(image, 3, axis=-1), kernel)
    b = first_conv(gray, image, kernel.sum(axis=2, keepdims=True))
    zero = np.zeros((1, 1, 1, 1), "float32")
    means = -np.asarray(rgb.get_layer("preprocessing")(np.repeat(zero, 3, -1)))[0, 0, 0]
    average = -float(np.asarray(gray.get_layer("preprocessing")(zero))[0, 0, 0, 0])
    assert average == pytest.approx(means.mean())  # the constants are averaged
    shift = np.einsum("ijcf,c->f", kernel, means - average)
    np.testing.assert_allclose(b - a, np.broadcast_to(shift, a.shape), rtol=1e-4, atol=1e-2)
    assert np.abs(shift).max() > 1.0  # not the same: an approximation only


def test_a_wrong_or_damaged_file_is_named_with_the_backbone(caches, mobilenet_imagenet_file):
    project, _ = caches
    vgg_file = project / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    shutil.copy(mobilenet_imagenet_file[0], vgg_file)  # MobileNetV2 weights under VGG16's name
    with pytest.raises(ValueError) as error:
        cxrzoo.build("vgg16.rahman_imagenet", input_shape=(32, 32, 3), weights="imagenet")
    assert str(error.value).startswith(
        f"the VGG16 backbone's weights file {str(vgg_file)!r} does not fit: it must hold "
        "Keras' ImageNet weights of VGG16 without the top (ValueError: Layer count mismatch"
    )
    vgg_file.write_bytes(b"not HDF5")
    with pytest.raises(ValueError) as error:
        cxrzoo.build("vgg16.rahman_imagenet", input_shape=(32, 32, 3), weights="imagenet")
    assert str(error.value).startswith(
        f"the VGG16 backbone's weights file {str(vgg_file)!r} cannot be read: it must hold "
        "Keras' ImageNet weights of VGG16 without the top (OSError: "
    )
    chexnet = project / CHEXNET_FILE
    chexnet.write_bytes(b"not HDF5")
    with pytest.raises(ValueError, match=r"^the DenseNet121 backbone's weights file "
                       rf"{re.escape(repr(str(chexnet)))} cannot be read: it must hold Keras "
                       "DenseNet121 weights"):  # fmt: skip
        cxrzoo.build("densenet121.chexnet_ce", input_shape=(32, 32, 3), weights="chexnet")
    junk = project / "junk.weights.h5"
    junk.write_bytes(b"not HDF5")
    with pytest.raises(ValueError) as error:
        cxrzoo.build("szanet", input_shape=(32, 32, 1), weights=junk)
    assert str(error.value).startswith(
        f"weights file {str(junk)!r} cannot be read into model 'szanet_gupta': it is not a "
        "Keras weights file, or it is damaged ("
    )
