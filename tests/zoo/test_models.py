"""Every registered model builds, runs forward on CPU and has the documented shape and size.

Parameter counts are worked out by hand from the reports (layer by layer) or taken from
the reports' own model summaries (report 001). Counts of the keras.applications bases
(without top) are the published Keras figures; GAP-headed models have the same count at
every input size, so they are checked on small inputs to keep CI fast.
"""

import itertools
import re

import keras
import numpy as np
import pytest
from keras import applications, layers

import cxrzoo
from cxrzoo.models._common import ImagePreprocessing
from cxrzoo.models.transfer import get_backbone

#: keras.applications bases without top: (parameters, non-trainable BN statistics,
#: features after pooling, parameters of the first convolution's kernel per input channel).
BASES = {
    "InceptionV3": (21_802_784, 34_432, 2048, 3 * 3 * 32),
    "VGG16": (14_714_688, 0, 512, 3 * 3 * 64),
    "ResNet50": (23_587_712, 53_120, 2048, 7 * 7 * 64),
    "ResNet101V2": (42_626_560, 97_664, 2048, 7 * 7 * 64),
    "ResNet152V2": (58_331_648, 143_744, 2048, 7 * 7 * 64),
    "DenseNet121": (7_037_504, 83_648, 1024, 7 * 7 * 64),
    "EfficientNetB7": (64_097_687, 310_727, 2560, 3 * 3 * 64),
    "MobileNetV2": (2_257_984, 34_112, 1280, 3 * 3 * 32),
    "InceptionResNetV2": (54_336_736, 60_544, 1536, 3 * 3 * 32),
}


@pytest.fixture(autouse=True)
def _release_models():
    """Free each test's models (the big backbones take hundreds of MB each)."""
    yield
    keras.backend.clear_session(free_memory=True)


def _dense(inputs: int, units: int) -> int:
    return inputs * units + units


def _count(weights) -> int:
    return sum(int(np.prod(w.shape)) for w in weights)


def _small_shape(preset, channels=3):
    """Smallest convenient input: 32x32, or 75x75 where keras.applications needs it."""
    size = 75 if preset.backbone in ("InceptionV3", "InceptionResNetV2") else 32
    return (size, size, channels)


def _images(shape, n=2, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, (n, *shape)).astype("float32")


def _check_output(model, preset, shape):
    out = np.asarray(model(_images(shape), training=False))
    assert out.shape == (2, preset.num_outputs)
    if preset.head.activation == "sigmoid":
        assert np.all((out >= 0) & (out <= 1))
    else:
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    return out


#: Report 001's model summaries: total parameters and trainable ones (the head) with the
#: base frozen; the rest (21,802,784 and 42,626,560) are the frozen bases.
REPORT_SUMMARIES = {
    "inception_v3.covid3": (21_808_931, 6_147),
    "resnet101v2.covid3": (42_632_707, 6_147),
}

ALL_NAMES = cxrzoo.list_models()
TRANSFER = [n for n in ALL_NAMES if cxrzoo.get_preset(n).backbone]
SCRATCH = [n for n in ALL_NAMES if not cxrzoo.get_preset(n).backbone]


def test_every_report_name_is_registered():
    expected = {
        *(f"rahman_arch{i}.rahman" for i in range(1, 7)),
        "inception_v3.rahman",
        "inception_v3.rahman_imagenet",
        "vgg16.rahman",
        "vgg16.rahman_imagenet",
        "inception_v3.covid3",
        "resnet101v2.covid3",
        "szanet.gupta",
        "resnet152v2.gupta",
        "berreby_cnn.berreby",
        "efficientnetb7.berreby",
        "resnet101v2.berreby",
        "mobilenetv2.berreby",
        "inception_resnet_v2.berreby",
        "resnet50.bolhassani_ce",
        "resnet50.bolhassani_wce",
        "resnet50.bolhassani_focal",
        "resnet50.bolhassani_scratch",
        "densenet121.chexnet_ce",
        "densenet121.chexnet_focal",
    }
    assert expected <= set(ALL_NAMES)


@pytest.mark.parametrize("name", TRANSFER)
def test_transfer_model_builds_runs_and_counts(name):
    preset = cxrzoo.get_preset(name)
    shape = _small_shape(preset)
    model = cxrzoo.build(name, input_shape=shape)
    _check_output(model, preset, shape)
    base_params, bn_stats, features, _ = BASES[preset.backbone]
    hidden = preset.head.hidden_units
    widths = (features, *hidden, preset.num_outputs)
    head = sum(_dense(a, b) for a, b in itertools.pairwise(widths))
    assert model.count_params() == base_params + head
    if name in REPORT_SUMMARIES:
        assert (model.count_params(), head) == REPORT_SUMMARIES[name]
    assert get_backbone(model).trainable  # random weights: never frozen, whatever the preset
    assert _count(model.non_trainable_weights) == bn_stats
    assert _count(model.trainable_weights) == base_params - bn_stats + head
    # the backbone's own preprocessing is the first layer: inputs are in [0, 255]
    first = model.layers[1]
    if preset.preprocessing == "efficientnet":
        assert isinstance(first, keras.Model)  # EfficientNet rescales inside the backbone
    else:
        assert isinstance(first, ImagePreprocessing) and first.mode == preset.preprocessing


def test_szanet_is_exactly_report_002():
    # 3x3 convs with bias: 448 + 4,640 + 18,496; BN 4 x (16 + 32 + 64) = 448;
    # 224 -> 222 -> 111 -> 109 -> 54 -> 52 -> 26: Flatten 26*26*64 = 43,264;
    # Dense 64: 43,264*64 + 64 = 2,768,960; Dense 1: 65.
    model = cxrzoo.build("szanet")
    assert model.count_params() == 2_793_057
    assert _count(model.non_trainable_weights) == 2 * (16 + 32 + 64)
    assert _count(model.trainable_weights) == 2_793_057 - 224
    assert model.input_shape == (None, 224, 224, 3)
    assert model.output_shape == (None, 1)
    assert model.name == "szanet_gupta"
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    assert [c.filters for c in convs] == [16, 32, 64]
    assert {c.padding for c in convs} == {"valid"}
    rates = [layer.rate for layer in model.layers if isinstance(layer, layers.Dropout)]
    assert rates == [0.2, 0.2, 0.4, 0.5]


def test_berreby_cnn_is_exactly_report_003():
    # Conv 64: 3*3*3*64 + 64 = 1,792; 128 -> 126 -> 63; Conv 128: 3*3*64*128 + 128 = 73,856;
    # 63 -> 61: Flatten 61*61*128 = 476,288; Dense 128: 60,964,992; Dense 1: 129.
    model = cxrzoo.build("berreby_cnn")
    assert model.count_params() == 1_792 + 73_856 + 60_964_992 + 129
    assert _count(model.non_trainable_weights) == 0
    rates = [layer.rate for layer in model.layers if isinstance(layer, layers.Dropout)]
    assert rates == [0.2]


@pytest.mark.parametrize("name", SCRATCH)
@pytest.mark.parametrize("channels", [1, 3])
def test_scratch_model_runs_on_small_input(name, channels):
    preset = cxrzoo.get_preset(name)
    shape = (32, 32, channels)
    model = cxrzoo.build(name, input_shape=shape)
    _check_output(model, preset, shape)
    first_conv = next(layer for layer in model.layers if isinstance(layer, layers.Conv2D))
    assert first_conv.kernel.shape[2] == channels


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        # 32x32x1, 'same' padding, Flatten > Dropout > Dense 1; convs 3x3 with bias.
        # arch 1: conv 1->32 (320); pool 16x16x32 = 8,192 features -> 8,193.
        (1, 320 + 8_193),
        # arch 2: + conv 32->64 (18,496); 8x8x64 = 4,096 -> 4,097.
        (2, 320 + 18_496 + 4_097),
        # arch 3: arch 2 + BN on 32 and 64 channels (4 x 96 = 384).
        (3, 320 + 18_496 + 384 + 4_097),
        # arch 4: + conv 64->128 (73,856) + BN 512; 4x4x128 = 2,048 -> 2,049.
        (4, 320 + 18_496 + 73_856 + 4 * 224 + 2_049),
        # arch 5: + conv 128->128 (147,584) + BN 512; 2x2x128 = 512 -> 513.
        (5, 320 + 18_496 + 73_856 + 147_584 + 4 * 352 + 513),
        # arch 6: double convs 32, 64, 128, 256 with BN; 2x2x256 = 1,024 -> 1,025.
        (
            6,
            (320 + 9_248)
            + (18_496 + 36_928)
            + (73_856 + 147_584)
            + (295_168 + 590_080)
            + 4 * 2 * (32 + 64 + 128 + 256)
            + 1_025,
        ),
    ],
)
def test_rahman_progression_counts(arch, expected):
    model = cxrzoo.build(f"rahman_arch{arch}", input_shape=(32, 32, 1))
    assert model.count_params() == expected


@pytest.mark.parametrize("name", ["vgg16.rahman", "mobilenetv2.berreby", "resnet50.bolhassani_ce"])
def test_transfer_model_accepts_one_channel(name):
    preset = cxrzoo.get_preset(name)
    shape = _small_shape(preset, channels=1)
    model = cxrzoo.build(name, input_shape=shape)
    _check_output(model, preset, shape)
    base_params, _, features, kernel_per_channel = BASES[preset.backbone]
    head = _dense(features, preset.num_outputs)
    assert model.count_params() == base_params - 2 * kernel_per_channel + head


def test_num_classes_override_switches_to_softmax():
    model = cxrzoo.build("berreby_cnn", input_shape=(32, 32, 1), num_classes=4)
    out = np.asarray(model(_images((32, 32, 1)), training=False))
    assert out.shape == (2, 4)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_transfer_input_too_small_names_the_minimum():
    with pytest.raises(
        ValueError, match=r"too small for InceptionV3: height and width must be >= 75"
    ):
        cxrzoo.build("inception_v3.covid3", input_shape=(64, 64, 3))


# Worked backwards from one output pixel: a 3x3 'valid' convolution needs 2 more pixels,
# a 2x2 pooling twice as many. SZANet: 3 x (conv, pool) -> ((1*2+2)*2+2)*2+2 = 22.
# Berreby: conv, pool, conv -> ((1+2)*2)+2 = 8. Rahman ('same' padding): 2 ** pools.
@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("szanet", 22),
        ("berreby_cnn", 8),
        ("rahman_arch1", 2),
        ("rahman_arch2", 4),
        ("rahman_arch4", 8),
        ("rahman_arch6", 16),
    ],
)
def test_scratch_input_too_small_names_the_model_and_its_minimum(name, minimum):
    preset = cxrzoo.get_preset(name)
    model = cxrzoo.build(name, input_shape=(minimum, minimum, 1))
    assert model.output_shape == (None, preset.num_outputs)
    small = (minimum - 1, minimum, 1)
    message = (
        f"input_shape {small} is too small for {preset.name}: height and width must be >= {minimum}"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        cxrzoo.build(name, input_shape=small)


def test_efficientnet_preprocessing_must_match_the_backbone():
    with pytest.raises(ValueError, match="preprocessing='tf' does not fit EfficientNetB7"):
        cxrzoo.build("efficientnetb7.berreby", input_shape=(32, 32, 3), preprocessing="tf")
    with pytest.raises(ValueError, match="preprocessing='efficientnet' does not fit VGG16"):
        cxrzoo.build("vgg16.rahman", input_shape=(32, 32, 3), preprocessing="efficientnet")


@pytest.mark.parametrize(
    ("mode", "reference"),
    [
        ("tf", applications.inception_v3.preprocess_input),
        ("caffe", applications.vgg16.preprocess_input),
        ("torch", applications.densenet.preprocess_input),
    ],
)
def test_preprocessing_matches_keras_applications(mode, reference):
    images = _images((5, 5, 3), n=3)
    ours = np.asarray(ImagePreprocessing(mode)(images))
    np.testing.assert_allclose(ours, reference(images.copy()), rtol=1e-5, atol=1e-4)


def test_preprocessing_one_channel_uses_mean_constants():
    gray = np.array([[[[0.0], [255.0]]]], dtype="float32")
    caffe = np.asarray(ImagePreprocessing("caffe")(gray)).ravel()
    np.testing.assert_allclose(caffe, [-114.799333, 140.200667], rtol=1e-6)
    torch = np.asarray(ImagePreprocessing("torch")(gray)).ravel()
    # mean (0.485 + 0.456 + 0.406) / 3 = 0.449, std (0.229 + 0.224 + 0.225) / 3 = 0.226
    np.testing.assert_allclose(torch, [-0.449 / 0.226, 0.551 / 0.226], rtol=1e-5)
    rescale = np.asarray(ImagePreprocessing("rescale")(gray)).ravel()
    np.testing.assert_allclose(rescale, [0.0, 1.0])
    with pytest.raises(ValueError, match="mode must be one of"):
        ImagePreprocessing("zscore")
