"""Chest X-ray data: loaders, shipped data sets, synthetic phantoms, tf.data pipelines.

NIH ChestX-ray14, CheXpert and MIMIC-CXR load as multi-label :class:`MultiLabelSet`
splits (:func:`load_nih`, :func:`load_chexpert`, :func:`load_mimic`); their findings share
one label space (:mod:`cxrzoo.data.labels`) and split by patient (:mod:`cxrzoo.data.splits`).

The loaders and :func:`synthetic` need no TensorFlow; the pipeline names
(:func:`make_dataset`, :func:`augmentation`, ...) import it when first used.
"""

from cxrzoo.data.chexpert import load_chexpert
from cxrzoo.data.datasets import PNEUMONIAMNIST_CLASSES, load_pneumoniamnist, pneumoniamnist_path
from cxrzoo.data.labels import COMMON_FINDINGS, align_labels
from cxrzoo.data.loaders import (
    IMAGE_EXTENSIONS,
    ImageSet,
    load,
    load_coronahack,
    load_folders,
    load_npz,
)
from cxrzoo.data.mimic import load_mimic
from cxrzoo.data.multilabel import MultiLabelSet
from cxrzoo.data.nih import load_nih
from cxrzoo.data.splits import check_patient_split, patient_split
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
    "COMMON_FINDINGS",
    "IMAGE_EXTENSIONS",
    "PNEUMONIAMNIST_CLASSES",
    "ImageSet",
    "MultiLabelSet",
    "align_labels",
    "check_patient_split",
    "load",
    "load_chexpert",
    "load_coronahack",
    "load_folders",
    "load_mimic",
    "load_nih",
    "load_npz",
    "load_pneumoniamnist",
    "patient_split",
    "pneumoniamnist_path",
    "synthetic",
    *_PIPELINE_NAMES,
]


def __getattr__(name: str):
    if name in _PIPELINE_NAMES:
        from cxrzoo.data import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cxrzoo.data' has no attribute {name!r}")
