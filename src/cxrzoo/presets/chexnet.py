"""CheXNet (Rajpurkar et al. 2017) as a preset: DenseNet121 with one sigmoid unit for each
of NIH ChestX-ray14's 14 findings, and the paper's training recipe.

Pure data, as every preset module. The weights are the user's own file (the paper's model
was never published as Keras weights): ``weights="chexnet"`` loads
:data:`cxrzoo.weights.CHEXNET_FILE` from the cache folders into the backbone, offline; a
missing file names itself and the folders searched. Report 004's CoronaHack models
(``densenet121.chexnet_ce``, ``densenet121.chexnet_focal``) start from the same backbone
weights with their own four-class head.
"""

from __future__ import annotations

from cxrzoo.preset import Head, Preset, Source
from cxrzoo.recipe import Augmentation, Callback, ClassWeight, Recipe

__all__ = ["CHEXNET", "CHEXNET_FINDINGS", "CHEXNET_RECIPE", "MODELS"]

#: NIH ChestX-ray14's 14 findings in CheXNet's order, spelled as in ``Data_Entry_2017.csv``.
CHEXNET_FINDINGS = (
    "Atelectasis",
    "Cardiomegaly",
    "Effusion",
    "Infiltration",
    "Mass",
    "Nodule",
    "Pneumonia",
    "Pneumothorax",
    "Consolidation",
    "Edema",
    "Emphysema",
    "Fibrosis",
    "Pleural_Thickening",
    "Hernia",
)

CHEXNET_FILE = "arXiv:1711.05225"
CHEXNET_TITLE = (
    "CheXNet: Radiologist-Level Pneumonia Detection on Chest X-Rays with Deep Learning "
    "(Rajpurkar et al., 2017)"
)

#: Section 2.2 of the paper: Adam (beta 0.9, 0.999: Keras' defaults) at 1e-3, batch 16,
#: the learning rate divided by 10 when the validation loss plateaus, random horizontal
#: flips, and the cross-entropy weighted per finding by ``w+ = |N| / (|P| + |N|)``,
#: ``w- = |P| / (|P| + |N|)`` (ClassWeight "prevalence").
CHEXNET_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=1e-3,
    epochs=100,
    batch_size=16,
    class_weight=ClassWeight("prevalence"),
    augmentations=(Augmentation("horizontal_flip", probability=0.5),),
    callbacks=(Callback("reduce_lr_on_plateau", monitor="val_loss", patience=1, factor=0.1),),
    metrics=("auc",),
)

CHEXNET = Preset(
    name="densenet121.chexnet",
    description="CheXNet: DenseNet121, one sigmoid unit per NIH finding, 14 findings",
    input_shape=(224, 224, 3),
    class_names=CHEXNET_FINDINGS,
    preprocessing="torch",
    head=Head(pooling="avg", activation="sigmoid", multi_label=True),
    recipe=CHEXNET_RECIPE,
    source=Source(CHEXNET_FILE, "Sections 2.2 and 3 (model, training)", CHEXNET_TITLE),
    backbone="DenseNet121",
    weights="chexnet",
    reconstructed=(
        "the largest number of epochs (100; the paper keeps the model of the lowest "
        "validation loss, which train's checkpoint.weights.h5 is) and the plateau's "
        "patience (1 epoch: 'after an epoch'); the authors published no weights: give a "
        "Keras DenseNet121 file of your own (or of a reproduction)"
    ),
)

#: The CheXNet preset and its builder (registered after the report presets, so that
#: ``densenet121`` alone still names report 004's ``densenet121.chexnet_ce``).
MODELS = ((CHEXNET, "cxrzoo.models.transfer:build_transfer"),)
