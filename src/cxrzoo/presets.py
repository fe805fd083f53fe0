"""Every built-in model of the five source reports, as presets, registered on import.

One place for all of them: each entry says what its report gives (file, section, numbers)
and, in ``reconstructed``, what the report leaves open and this preset chose.
"""

from __future__ import annotations

import math

from cxrzoo.models.szanet import build_szanet
from cxrzoo.registry import (
    Augmentation,
    Callback,
    ClassWeight,
    Head,
    Loss,
    Preset,
    Recipe,
    ReportedResult,
    Source,
    register_model,
)

BINARY = ("NORMAL", "PNEUMONIA")

# --------------------------------------------------------------------------- report 002

GUPTA = "Pneumonia Diagnosis via Chest X-ray Image Classification using Deep Learning and "
GUPTA += "Transfer Learning (Gupta, Mishra & Yang)"
GUPTA_FILE = "002_4631bb8bee1e60eb.txt"
GUPTA_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=5e-5,
    epochs=50,
    batch_size=32,
    loss=Loss("crossentropy"),
    class_weight=ClassWeight("balanced", reported=(1.94, 0.67)),
    augmentations=(
        Augmentation("shear", math.degrees(0.2)),
        Augmentation("zoom", (0.8, 1.2)),
        Augmentation("horizontal_flip", probability=0.5),
    ),
    callbacks=(
        Callback("early_stopping", patience=5, restore_best_weights=True),
        Callback("reduce_lr_on_plateau", patience=3, factor=0.2, min_lr=1e-7),
    ),
    validation_split=0.2,
    cv_folds=5,
    metrics=("binary_accuracy",),
)
GUPTA_RECONSTRUCTED = (
    "the report names the callbacks (early stopping and ReduceLROnPlateau on the validation "
    "loss) but not their settings, nor the epochs or batch size: patience 5 with the best "
    "weights restored, factor 0.2 after 3 epochs, up to 50 epochs, batch 32 are chosen here"
)
_SWAPPED = (
    "Fig. 4 as labelled; TP + FP = 234 is the healthy test count, so 'TP' and 'TN' look "
    "swapped (read as TN = {tn}, TP = {tp})"
)

_SZANET_NOTE = _SWAPPED.format(tn=132, tp=384)

register_model(
    Preset(
        name="szanet.gupta",
        description="SZANet, 3 conv blocks + dense head, from scratch (report 002)",
        input_shape=(224, 224, 3),
        class_names=BINARY,
        preprocessing="rescale",
        head=Head(pooling="flatten", hidden_units=(64,), dropout=0.5, activation="sigmoid"),
        recipe=GUPTA_RECIPE,
        source=Source(GUPTA_FILE, "Methods: Deep Learning; Results; Table A1", GUPTA),
        reported=(
            ReportedResult("roc_auc", 0.956, "validation", "without cross-validation"),
            ReportedResult("tp", 132, "test", _SZANET_NOTE),
            ReportedResult("fp", 102, "test", _SZANET_NOTE),
            ReportedResult("fn", 6, "test", _SZANET_NOTE),
            ReportedResult("tn", 384, "test", _SZANET_NOTE),
            ReportedResult("accuracy", 0.86, "test", "pruned to 40% sparsity (Table A1)"),
        ),
        reconstructed=GUPTA_RECONSTRUCTED + "; the architecture itself is exactly as specified",
    ),
    build_szanet,
)
