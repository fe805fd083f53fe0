"""Chest X-ray data: loaders, shipped data sets, synthetic phantoms, tf.data pipelines.

The loaders and :func:`synthetic` need no TensorFlow; the pipeline names
(:func:`make_dataset`, :func:`augmentation`, ...) import it when first used.
"""

from cxrzoo.data.datasets import PNEUMONIAMNIST_CLASSES, load_pneumoniamnist, pneumoniamnist_path
from cxrzoo.data.loaders import (
    IMAGE_EXTENSIONS,
    ImageSet,
    load,
    load_coronahack,
    load_folders,
    load_npz,
)
from cxrzoo.data.synthetic import synthetic

_PIPELINE_NAMES = (
    "DataPipeline",
    "Flip",
    "RandomApply",
    "RandomBrightnessScale",
    "augmentation",
    "class_weights",
    "make_dataset",
    "readable",
)

__all__ = [
    "IMAGE_EXTENSIONS",
    "PNEUMONIAMNIST_CLASSES",
    "ImageSet",
    "load",
    "load_coronahack",
    "load_folders",
    "load_npz",
    "load_pneumoniamnist",
    "pneumoniamnist_path",
    "synthetic",
    *_PIPELINE_NAMES,
]


def __getattr__(name: str):
    if name in _PIPELINE_NAMES:
        from cxrzoo.data import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cxrzoo.data' has no attribute {name!r}")
