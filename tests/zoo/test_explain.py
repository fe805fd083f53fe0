"""Grad-CAM: the heatmap finds a synthetic lesion; the layer is found in every zoo model;
overlays, targets and the ``cxrzoo explain`` command."""

import argparse
import time

import keras
import numpy as np
import pytest
from matplotlib import image as mpimage

import cxrzoo
from cxrzoo.explain import gradcam, last_conv_layer, overlay, plot_gradcam, target_unit
from cxrzoo.explain_cli import add_explain_parser

SIZE = 32
#: The lesion: a bright 8x8 square, rows and columns 4..11 (top left quarter).
LESION = (slice(4, 12), slice(4, 12))


def lesion_images(n, seed):
    """Noise images; the positive half has the bright square at :data:`LESION`."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 90, (n, SIZE, SIZE, 1)).astype(np.float32)
    labels = np.arange(n) % 2
    images[labels == 1, LESION[0], LESION[1], :] = 230
    return images, labels.astype(np.float32)


def small_cnn(units=1):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((SIZE, SIZE, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="last_conv"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(units, activation="sigmoid"),
        ]
    )


@pytest.fixture(scope="module")
def lesion_model():
    images, labels = lesion_images(256, seed=0)
    model = small_cnn()
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy")
    model.fit(images, labels, epochs=12, batch_size=32, verbose=0)
    return model


def test_the_heatmap_of_the_positive_class_peaks_on_the_lesion(lesion_model):
    images, labels = lesion_images(16, seed=1)
    positives = images[labels == 1]
    assert float(np.asarray(lesion_model(positives)).min()) > 0.9  # it learned the lesion
    heat = gradcam(lesion_model, positives)
    assert heat.shape == (8, SIZE, SIZE) and heat.min() >= 0 and heat.max() <= 1
    inside = np.zeros((SIZE, SIZE), bool)
    inside[LESION] = True
    for h in heat:
        row, col = np.unravel_index(np.argmax(h), h.shape)
        assert 2 <= row < 14 and 2 <= col < 14  # the square, 2 pixels of upsampling aside
        assert h[inside].mean() > h[~inside].mean() + 0.3
    assert last_conv_layer(lesion_model) == "last_conv"  # the max pooling comes before


def test_one_image_in_one_heatmap_out_and_the_layer_can_be_chosen(lesion_model):
    images, _ = lesion_images(2, seed=2)
    one = gradcam(lesion_model, images[1, ..., 0])
    np.testing.assert_allclose(one, gradcam(lesion_model, images[1:2])[0], atol=1e-6)
    first_conv = next(layer.name for layer in lesion_model.layers if "conv" in layer.name)
    early = gradcam(lesion_model, images[1], layer=first_conv)  # names depend on test order
    assert early.shape == (SIZE, SIZE)


def test_targets_of_a_one_unit_and_a_multi_label_model():
    binary = small_cnn(1)
    assert target_unit(binary, None) == (0, 1.0)
    assert target_unit(binary, "pneumonia", ("normal", "pneumonia")) == (0, 1.0)
    assert target_unit(binary, 0) == (0, -1.0)
    findings = small_cnn(3)  # three sigmoid units: one heatmap per finding
    assert target_unit(findings, "b", ("a", "b", "c")) == (1, 1.0)
    image = lesion_images(2, seed=3)[0][1]
    maps = [gradcam(findings, image, k) for k in range(3)]
    assert not np.allclose(maps[0], maps[1])
    with pytest.raises(ValueError, match=r"class 'x' is not one of the model's \['a', 'b', 'c'\]"):
        target_unit(findings, "x", ("a", "b", "c"))
    with pytest.raises(ValueError, match=r"class index must be in 0 \.\. 2, got 3"):
        target_unit(findings, 3)
    with pytest.raises(ValueError, match="a one-unit model has classes 0 and 1"):
        target_unit(binary, 2)


def test_bad_input():
    model = small_cnn()
    with pytest.raises(ValueError, match=r"do not fit the model's input \(32, 32, 1\)"):
        gradcam(model, np.zeros((16, 16)))
    with pytest.raises(ValueError, match="has no layer named 'nope'"):
        gradcam(model, np.zeros((SIZE, SIZE)), layer="nope")
    flat = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="has no layer with a 4-D output"):
        last_conv_layer(flat)
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\]"):
        overlay(np.zeros((4, 4)), np.zeros((4, 4)), alpha=2)


def test_overlay_and_plot():
    image = np.full((8, 8), 100.0)
    same = overlay(image, np.zeros((8, 8)), alpha=0.0)
    assert same.dtype == np.uint8 and same.shape == (8, 8, 3) and (same == 100).all()
    rgb = overlay(np.zeros((8, 8, 3)), np.ones((4, 4)), alpha=0.5)
    assert rgb.shape == (8, 8, 3)
    ax = plot_gradcam(image, np.eye(8), title="lesion")
    assert ax.get_title() == "lesion"


def smallest_shape(preset):
    """The smallest input a model accepts (32 for most backbones, 75 for the Inceptions)."""
    from cxrzoo.models.backbones import backbone_spec

    side = backbone_spec(preset.backbone).min_size if preset.backbone else 32
    return (side, side, preset.channels)


#: One preset per architecture (tags share their architecture's layers), every one built:
#: EfficientNetB7, the largest, in about 10 s.
ARCHITECTURES = sorted(
    {cxrzoo.get_preset(name).architecture: name for name in cxrzoo.list_models()}.values()
)


@pytest.mark.slow
@pytest.mark.parametrize("name", ARCHITECTURES)
def test_the_layer_is_found_in_every_zoo_architecture(name):
    started = time.monotonic()
    preset = cxrzoo.get_preset(name)
    model = cxrzoo.build(name, input_shape=smallest_shape(preset), weights=None)
    layer = last_conv_layer(model)
    assert not isinstance(
        next(x for x in cxrzoo.models._common.walk_layers(model) if x.name == layer), keras.Model
    )
    image = np.random.default_rng(0).uniform(0, 255, model.input_shape[1:])
    heat = gradcam(model, image)
    assert heat.shape == model.input_shape[1:3]
    assert np.isfinite(heat).all() and heat.min() >= 0 and heat.max() <= 1
    assert time.monotonic() - started < 60


def test_explain_command_writes_one_overlay_per_image_and_class(tmp_path, capsys):
    picture = tmp_path / "chest.png"
    mpimage.imsave(picture, np.tile(np.linspace(0, 1, 40), (40, 1)), cmap="gray")
    parser = argparse.ArgumentParser(prog="cxrzoo")
    add_explain_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "out"
    argv = ["explain", "rahman_arch1", "--image", str(picture), "--out", str(out)]
    args = parser.parse_args([*argv, "--class", "NORMAL", "--class", "PNEUMONIA"])
    assert args.func(args) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["chest_NORMAL.png", "chest_PNEUMONIA.png"]
    png = mpimage.imread(out / "chest_NORMAL.png")
    assert png.shape[:2] == cxrzoo.get_preset("rahman_arch1").input_shape[:2]
    args = parser.parse_args(argv)  # no --class: the predicted one, written again
    assert args.func(args) == 0
    assert sorted(p.name for p in out.iterdir()) == written
    bad = parser.parse_args([*argv, "--class", "covid"])
    assert bad.func(bad) == 1
    assert "cxrzoo explain: error: class 'covid' is not one of" in capsys.readouterr().err
    missing = parser.parse_args(["explain", "szanet", "--image", "no.png", "--out", str(out)])
    assert missing.func(missing) == 1
    assert "image 'no.png' does not exist" in capsys.readouterr().err
