"""Presets fitted to PneumoniaMNIST by ``benchmarks/pneumoniamnist.py``, registered on import.

``szanet.pneumoniamnist`` is SZANet (report 002's architecture, unchanged) with the input
and recipe the PneumoniaMNIST benchmark chose on the validation split: one grayscale
channel upsampled from 28x28 to 64x64, Adam 1e-3 halved every 6 epochs, 16 epochs with
the best validation-AUC epoch restored, light geometric augmentation and a horizontal flip.
The benchmark page (``docs/user_guide/benchmark_pneumoniamnist.rst``) gives its test results.
"""

from __future__ import annotations

import dataclasses

from cxrzoo.models.szanet import build_szanet
from cxrzoo.presets import BINARY
from cxrzoo.registry import (
    Augmentation,
    Callback,
    Recipe,
    ReportedResult,
    Schedule,
    Source,
    get_preset,
    register_model,
)

__all__ = ["PNEUMONIAMNIST_RECIPE"]

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
)

_ONE = "seed 0, flip TTA (benchmark row 'szanet')"
_THREE = "mean of seeds 0, 1, 2, flip TTA (benchmark row 'szanet_x3')"
_AT = "; threshold by Youden's J on the validation split"

register_model(
    dataclasses.replace(
        get_preset("szanet.gupta"),
        name="szanet.pneumoniamnist",
        description="SZANet at 64x64x1 with the PneumoniaMNIST benchmark's recipe",
        input_shape=(64, 64, 1),
        class_names=BINARY,
        recipe=PNEUMONIAMNIST_RECIPE,
        source=Source(
            "benchmarks/pneumoniamnist.py",
            "PneumoniaMNIST benchmark (docs: benchmark_pneumoniamnist)",
            "SZANet (report 002) fitted to PneumoniaMNIST (MedMNIST v2)",
        ),
        reconstructed=(
            "not from a report: input size, optimizer settings, schedule, epochs, batch size "
            "and augmentation were chosen on PneumoniaMNIST's validation split"
        ),
        reported=(
            ReportedResult("roc_auc", 0.9924, "validation", _ONE),
            ReportedResult("roc_auc", 0.9573, "test", _ONE),
            ReportedResult("accuracy", 0.9022, "test", _ONE + _AT),
            ReportedResult("sensitivity", 0.9462, "test", _ONE + _AT),
            ReportedResult("specificity", 0.8291, "test", _ONE + _AT),
            ReportedResult("roc_auc", 0.9629, "test", _THREE),
            ReportedResult("accuracy", 0.9199, "test", _THREE + _AT),
        ),
    ),
    build_szanet,
)
