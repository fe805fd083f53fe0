"""Chest X-ray data: loaders, synthetic phantoms, tf.data pipelines, class weights."""

from cxrzoo.data.loaders import (
    IMAGE_EXTENSIONS,
    ImageSet,
    load,
    load_coronahack,
    load_folders,
    load_npz,
)
from cxrzoo.data.pipeline import (
    DataPipeline,
    Flip,
    RandomApply,
    RandomBrightnessScale,
    augmentation,
    class_weights,
    make_dataset,
    readable,
)
from cxrzoo.data.synthetic import synthetic

__all__ = [
    "IMAGE_EXTENSIONS",
    "DataPipeline",
    "Flip",
    "ImageSet",
    "RandomApply",
    "RandomBrightnessScale",
    "augmentation",
    "class_weights",
    "load",
    "load_coronahack",
    "load_folders",
    "load_npz",
    "make_dataset",
    "readable",
    "synthetic",
]
