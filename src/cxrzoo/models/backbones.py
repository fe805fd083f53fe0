"""The backbone table: what the zoo knows about each ``keras.applications`` backbone.

Plain data, no Keras: presets read a backbone's preprocessing from here without importing
TensorFlow, and :mod:`cxrzoo.models.transfer` looks its constructor up by name in
:mod:`keras.applications` only when a model is built.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BACKBONES", "BackboneSpec", "backbone_spec", "imagenet_file"]


@dataclass(frozen=True)
class BackboneSpec:
    """What the zoo needs to know about one ``keras.applications`` backbone.

    Parameters
    ----------
    name : str
        Its constructor's name in :mod:`keras.applications`, e.g. ``"InceptionV3"``.
    preprocessing : str
        Its preprocessing mode (``"tf"``, ``"caffe"``, ``"torch"`` or ``"efficientnet"``,
        the last built into the backbone).
    imagenet_file : str
        File name of its ImageNet weights without the top, as Keras names it.
    min_size : int
        Smallest input height and width ``keras.applications`` accepts without the top.
    """

    name: str
    preprocessing: str
    imagenet_file: str
    min_size: int = 32


_TF_NOTOP = "_weights_tf_dim_ordering_tf_kernels_notop.h5"

#: Every backbone a built-in preset uses, by keras.applications constructor name.
BACKBONES = {
    spec.name: spec
    for spec in (
        BackboneSpec("InceptionV3", "tf", "inception_v3" + _TF_NOTOP, 75),
        BackboneSpec("VGG16", "caffe", "vgg16" + _TF_NOTOP),
        BackboneSpec("ResNet50", "caffe", "resnet50" + _TF_NOTOP),
        BackboneSpec("ResNet101V2", "tf", "resnet101v2" + _TF_NOTOP),
        BackboneSpec("ResNet152V2", "tf", "resnet152v2" + _TF_NOTOP),
        BackboneSpec("DenseNet121", "torch", "densenet121" + _TF_NOTOP),
        BackboneSpec("EfficientNetB7", "efficientnet", "efficientnetb7_notop.h5"),
        BackboneSpec(
            "MobileNetV2",
            "tf",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}_no_top.h5",
        ),
        BackboneSpec("InceptionResNetV2", "tf", "inception_resnet_v2" + _TF_NOTOP, 75),
    )
}

_MOBILENET_ROWS = (96, 128, 160, 192, 224)


def backbone_spec(backbone: str) -> BackboneSpec:
    """The :data:`BACKBONES` entry of a backbone.

    Raises
    ------
    ValueError
        If ``backbone`` is not in :data:`BACKBONES` (the message lists them).

    Examples
    --------
    >>> backbone_spec("VGG16").preprocessing
    'caffe'
    """
    if backbone not in BACKBONES:
        raise ValueError(f"backbone must be one of {sorted(BACKBONES)}, got {backbone!r}")
    return BACKBONES[backbone]


def imagenet_file(backbone: str, input_shape: tuple[int, int, int]) -> str:
    """File name of a backbone's ImageNet weights (no top), as ``keras.applications`` names it.

    MobileNetV2 has one file per input size (96, 128, 160, 192, 224); like Keras, other
    sizes use the 224 file.

    Examples
    --------
    >>> imagenet_file("MobileNetV2", (128, 128, 3))
    'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_128_no_top.h5'
    >>> imagenet_file("VGG16", (224, 224, 3))
    'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'
    """
    spec = backbone_spec(backbone)
    rows = input_shape[0] if input_shape[0] == input_shape[1] else 224
    return spec.imagenet_file.format(rows=rows if rows in _MOBILENET_ROWS else 224)
