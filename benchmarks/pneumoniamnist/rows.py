"""The benchmark's rows, as data: every table row, every validation-only run, the targets.

A row is one zoo architecture (or a few seeds of it) with the input its 28x28 images are
resized to and its training recipe on this data; every setting here was chosen on the
validation split. Nothing in this module trains or evaluates: the run driver
(:mod:`benchmarks.pneumoniamnist.run`) trains a row, the page
(:mod:`benchmarks.pneumoniamnist.page`) shows the saved results.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

#: Published test results on this split (MedMNIST v2; ACC at threshold 0.5).
MEDMNIST_BASELINES = (
    ("ResNet-18 (28)", 0.944, 0.854),
    ("ResNet-18 (224)", 0.956, 0.864),
    ("ResNet-50 (28)", 0.948, 0.854),
    ("ResNet-50 (224)", 0.962, 0.884),
    ("auto-sklearn", 0.942, 0.855),
    ("AutoKeras", 0.947, 0.878),
    ("Google AutoML Vision", 0.991, 0.946),
)
TARGET_AUC, TARGET_ACC, TARGET_MINUTES = 0.97, 0.90, 15.0
#: The candidate for the target, fixed before its test scores were computed, by the rule
#: written down at the end of the session before (issue 8's note of 2026-11-22): "fill the
#: 15 minutes with the highest-validation members (for example two DenseNet121 seeds plus
#: SZANet is 12.7 min); that run is then scored once". These are that example's members:
#: DenseNet121 seeds 0 and 1 (the architecture with the highest validation AUC) and
#: SZANet seed 0, already trained by the rows named here; every model weighs the same.
#: ``--planned`` scores it once; its result is reported whatever it is.
PLANNED = ("densenet121_x2", "szanet")
PLANNED_NOTE = "rows densenet121_x2, szanet averaged (fixed in advance, scored once)"
#: The second candidate, fixed in writing (this constant, its row and the docs page's
#: paragraph, committed before it was trained) when :func:`cxrzoo.train_seeds` made two
#: models train side by side in about the time of one: the same rule -- fill the 15
#: minutes with the highest-validation members -- now fits four DenseNet121 seeds
#: (about 6.4 min per pair, measured on validation only). Seeds 0-3, two at a time, one
#: thread each; it is a candidate only if its measured wall-clock training time is at
#: most 15 min, and it is scored once (``--model densenet121_x4``), reported whatever it
#: gives.
PLANNED_PARALLEL = "densenet121_x4"
#: Rows fixed in advance as answers to the target, each scored once.
FIXED_IN_ADVANCE = ("planned", PLANNED_PARALLEL)
#: Table rows the validation-only runs change one thing of, shown beside them.
EXPLORED_ROWS = ("szanet", "mobilenetv2", "densenet121")
#: Each seed ensemble and the row of its seed-0 model alone (compared on the page).
ENSEMBLE_OF = (("szanet_x3", "szanet"), ("densenet121_x2", "densenet121"))


@dataclass(frozen=True)
class Row:
    """One row of the table: a zoo model, its input, its recipe here, seeds and TTA.

    Attributes
    ----------
    key : str
        The row's name on the command line.
    model : str
        Registry name the architecture comes from.
    input_shape : tuple of int
        The input the 28x28 images are resized to (antialiased bilinear).
    recipe : cxrzoo.Recipe
        Training recipe on this data.
    seeds : tuple of int
        One model per seed; their probabilities are averaged (an ensemble).
    tta : bool
        Test-time augmentation: average each model over the image and its mirror image.
    jobs : int
        Models trained at once (:func:`cxrzoo.train_seeds`), each on ``threads // jobs``
        threads; the row's time is then the wall-clock time of its training.
    overrides : dict
        Preset fields changed for this data (``freeze_base=False`` for a transfer
        architecture trained from scratch; head fields).
    note : str
        What the row is, for the table.
    """

    key: str
    model: str
    input_shape: tuple[int, int, int]
    recipe: Any
    seeds: tuple[int, ...] = (0,)
    tta: bool = True
    jobs: int = 1
    overrides: dict = dataclasses.field(default_factory=dict)
    note: str = ""


def rows() -> dict[str, Row]:
    """The benchmark's rows (every setting chosen on the validation split)."""
    from cxrzoo import get_preset
    from cxrzoo.presets.pneumoniamnist import PNEUMONIAMNIST_RECIPE as SMALL
    from cxrzoo.presets.pneumoniamnist import PNEUMONIAMNIST_TRANSFER_RECIPE as BIG

    szanet = get_preset("szanet.pneumoniamnist")
    densenet = get_preset("densenet121.pneumoniamnist")
    sza = {"model": szanet.name, "input_shape": szanet.input_shape, "recipe": szanet.recipe}
    dense = {"model": densenet.name, "input_shape": densenet.input_shape, "recipe": densenet.recipe}
    scratch = {"overrides": {"freeze_base": False}}
    table = [
        Row("szanet", **sza, note="one seed"),
        Row("szanet_x3", **sza, seeds=(0, 1, 2), note="ensemble of 3 seeds"),
        Row("berreby_cnn", "berreby_cnn", (32, 32, 1), SMALL),
        Row("rahman_arch3", "rahman_arch3", (64, 64, 1), SMALL),
        Row("resnet50", "resnet50.bolhassani_scratch", (32, 32, 1), BIG, note="from scratch"),
        Row("mobilenetv2", "mobilenetv2.berreby", (32, 32, 1), BIG, **scratch, note="from scratch"),
        Row("densenet121", **dense, note="from scratch"),
        Row("densenet121_x2", **dense, seeds=(0, 1), note="from scratch, ensemble of 2 seeds"),
        Row(
            PLANNED_PARALLEL,
            **dense,
            seeds=(0, 1, 2, 3),
            jobs=2,
            note="from scratch, ensemble of 4 seeds trained two at a time",
        ),
    ]
    return {row.key: row for row in table}


def exploration_rows() -> dict[str, Row]:
    """Validation-only runs behind the rows' settings: each changes one thing of a row.

    They are trained and scored on the validation split only (their test images are never
    predicted) and shown in their own table; ``note`` says what differs from the row.
    """
    from cxrzoo import Schedule, get_preset
    from cxrzoo.presets.pneumoniamnist import PNEUMONIAMNIST_TRANSFER_RECIPE as BIG

    szanet = get_preset("szanet.pneumoniamnist")
    densenet = get_preset("densenet121.pneumoniamnist")
    keras_momentum = dataclasses.replace(szanet.recipe, batchnorm_momentum=None)
    adamw_cosine = dataclasses.replace(
        szanet.recipe,
        optimizer="adamw",
        weight_decay=0.004,  # Keras' AdamW default, stated
        schedule=Schedule("cosine", decay_epochs=szanet.recipe.epochs),
    )
    six_epochs = dataclasses.replace(
        densenet.recipe, epochs=6, schedule=Schedule("step", step_epochs=2, factor=0.5)
    )
    sza, dense = szanet.name, densenet.name
    table = [
        Row("szanet_28", sza, (28, 28, 1), szanet.recipe, note="szanet at 28x28"),
        Row("szanet_96", sza, (96, 96, 1), szanet.recipe, note="szanet at 96x96"),
        Row(
            "szanet_bn099",
            sza,
            szanet.input_shape,
            keras_momentum,
            note="szanet with Keras' batch-norm momentum (0.99)",
        ),
        Row(
            "szanet_adamw_cosine",
            sza,
            szanet.input_shape,
            adamw_cosine,
            note="szanet with AdamW (weight decay 0.004) and a cosine schedule over 16 epochs",
        ),
        Row(
            "mobilenetv2_bn0999",
            "mobilenetv2.berreby",
            (32, 32, 1),
            dataclasses.replace(BIG, batchnorm_momentum=None),
            overrides={"freeze_base": False},
            note="mobilenetv2 with its own batch-norm momentum (0.999)",
        ),
        Row("densenet121_48", dense, (48, 48, 1), densenet.recipe, note="densenet121 at 48x48"),
        Row(
            "densenet121_e6",
            dense,
            densenet.input_shape,
            six_epochs,
            note="densenet121 in 6 epochs (learning rate halved every 2)",
        ),
    ]
    return {row.key: row for row in table}
