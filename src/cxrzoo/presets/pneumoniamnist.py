"""Presets fitted to PneumoniaMNIST by the PneumoniaMNIST benchmark: pure data.

``szanet.pneumoniamnist`` is SZANet (report 002's architecture, unchanged) with the input
and recipe the PneumoniaMNIST benchmark chose on the validation split: one grayscale
channel upsampled from 28x28 to 64x64, Adam 1e-3 halved every 6 epochs, 16 epochs with
the best validation-AUC epoch restored, light geometric augmentation and a horizontal flip,
batch-normalization momentum 0.9.

``densenet121.pneumoniamnist`` is report 004's DenseNet121 trained from random weights at
32x32x1 with the same recipe shortened to 8 epochs (learning rate halved every 3): the
architecture with the highest validation AUC in the benchmark.

The benchmark page (``docs/user_guide/benchmark_pneumoniamnist.rst``) gives their test results.
:data:`MODELS` lists ``(preset, builder)``; ``cxrzoo/__init__`` registers them after the
report presets (:mod:`cxrzoo.presets.reports`) they derive from.
"""

from __future__ import annotations

import dataclasses

from cxrzoo.preset import ReportedResult, Source
from cxrzoo.presets import reports
from cxrzoo.presets.reports import BINARY, SZANET, TRANSFER
from cxrzoo.recipe import Augmentation, Callback, Recipe, Schedule

__all__ = ["MODELS", "PNEUMONIAMNIST_RECIPE", "PNEUMONIAMNIST_TRANSFER_RECIPE"]

#: The report presets these derive from, by name.
_REPORTS = {preset.name: preset for preset, _ in reports.MODELS}

#: The PneumoniaMNIST recipe of the small from-scratch CNNs (chosen on the validation split).
PNEUMONIAMNIST_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=1e-3,
    epochs=16,
    batch_size=64,
    schedule=Schedule("step", step_epochs=6, factor=0.5),
    augmentations=(
        Augmentation("horizontal_flip", probability=0.5),
        Augmentation("rotation", 10.0, fill_mode="nearest"),
        Augmentation("width_shift", 0.08, fill_mode="nearest"),
        Augmentation("height_shift", 0.08, fill_mode="nearest"),
        Augmentation("zoom", (0.9, 1.1), fill_mode="nearest"),
    ),
    callbacks=(
        Callback("early_stopping", monitor="val_auc", patience=16, restore_best_weights=True),
    ),
    metrics=("binary_accuracy",),
    batchnorm_momentum=0.9,
)

#: The same recipe shortened for the large transfer architectures trained from scratch.
PNEUMONIAMNIST_TRANSFER_RECIPE = dataclasses.replace(
    PNEUMONIAMNIST_RECIPE, epochs=8, schedule=Schedule("step", step_epochs=3, factor=0.5)
)


_AT = "; threshold by Youden's J on the validation split"


def _measured(single: str, ensemble: str, seeds: str, **values: float) -> tuple:
    """The results of benchmark row ``single`` (seed 0) and ``ensemble`` (mean over ``seeds``).

    ``values``: ``val_auc``, ``auc``, ``accuracy``, ``sensitivity`` and ``specificity`` of
    the single model, ``ensemble_auc`` and ``ensemble_accuracy``, all on the test split but
    the first.
    """
    one = f"seed 0, flip TTA (benchmark row '{single}')"
    return (
        ReportedResult("roc_auc", values["val_auc"], "validation", one),
        ReportedResult("roc_auc", values["auc"], "test", one),
        ReportedResult("accuracy", values["accuracy"], "test", one + _AT),
        ReportedResult("sensitivity", values["sensitivity"], "test", one + _AT),
        ReportedResult("specificity", values["specificity"], "test", one + _AT),
        *_ensemble(ensemble, f"seeds {seeds}", values["ensemble_auc"], values["ensemble_accuracy"]),
    )


def _ensemble(row: str, members: str, auc: float, accuracy: float) -> tuple:
    """Test AUC and accuracy of benchmark row ``row``, the mean of ``members``."""
    many = f"mean of {members}, flip TTA (benchmark row '{row}')"
    return (
        ReportedResult("roc_auc", auc, "test", many),
        ReportedResult("accuracy", accuracy, "test", many + _AT),
    )


_SZANET = (
    dataclasses.replace(
        _REPORTS["szanet.gupta"],
        name="szanet.pneumoniamnist",
        description="SZANet at 64x64x1 with the PneumoniaMNIST benchmark's recipe",
        input_shape=(64, 64, 1),
        class_names=BINARY,
        recipe=PNEUMONIAMNIST_RECIPE,
        source=Source(
            "cxrkit PneumoniaMNIST benchmark",
            "user guide: PneumoniaMNIST benchmark",
            "SZANet (report 002) fitted to PneumoniaMNIST (MedMNIST v2)",
        ),
        reconstructed=(
            "not from a report: input size, optimizer settings, schedule, epochs, batch size, "
            "augmentation and batch-normalization momentum were chosen on PneumoniaMNIST's "
            "validation split"
        ),
        reported=_measured(
            "szanet",
            "szanet_x3",
            "0, 1, 2",
            val_auc=0.9924,
            auc=0.9615,
            accuracy=0.9135,
            sensitivity=0.9564,
            specificity=0.8419,
            ensemble_auc=0.9632,
            ensemble_accuracy=0.9151,
        ),
    ),
    SZANET,
)

_DENSENET = _REPORTS["densenet121.chexnet_ce"]

_DENSENET_PNEUMONIAMNIST = (
    dataclasses.replace(
        _DENSENET,
        name="densenet121.pneumoniamnist",
        description="DenseNet121 from random weights at 32x32x1, PneumoniaMNIST benchmark recipe",
        input_shape=(32, 32, 1),
        class_names=BINARY,
        head=dataclasses.replace(_DENSENET.head, activation="sigmoid"),
        weights=None,
        freeze_base=False,
        recipe=PNEUMONIAMNIST_TRANSFER_RECIPE,
        source=Source(
            "cxrkit PneumoniaMNIST benchmark",
            "user guide: PneumoniaMNIST benchmark",
            "DenseNet121 (report 004) trained from scratch on PneumoniaMNIST (MedMNIST v2)",
        ),
        reconstructed=(
            "not from a report: random initial weights (no ImageNet or CheXNet weights "
            "offline), input size, optimizer settings, schedule, epochs, batch size, "
            "augmentation and batch-normalization momentum were chosen on PneumoniaMNIST's "
            "validation split"
        ),
        reported=_measured(
            "densenet121",
            "densenet121_x2",
            "0, 1",
            val_auc=0.9961,
            auc=0.9649,
            accuracy=0.8814,
            sensitivity=0.9641,
            specificity=0.7436,
            ensemble_auc=0.9691,
            ensemble_accuracy=0.8942,
        )
        + _ensemble(
            "densenet121_x4", "seeds 0-3 trained two at a time, one thread each", 0.9665, 0.8830
        ),
    ),
    TRANSFER,
)

#: The PneumoniaMNIST presets and their builders, in registration order.
MODELS = (_SZANET, _DENSENET_PNEUMONIAMNIST)
