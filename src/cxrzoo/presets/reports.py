"""Every built-in model of the five source reports, as presets: pure data.

One place for all of them, in report order: each entry says what its report gives (file,
section, numbers) and, in ``reconstructed``, what the report leaves open and the preset
chose. The docs' References page cites the five reports in full.
:data:`MODELS` lists ``(preset, builder)`` in registration order (the first tag of an
architecture is its default); ``cxrzoo/__init__`` registers them.
"""

from __future__ import annotations

import dataclasses
import math

from cxrzoo.models.backbones import backbone_spec
from cxrzoo.models.blocks import BERREBY_BLOCKS, RAHMAN_BLOCKS
from cxrzoo.preset import Head, Preset, ReportedResult, Source
from cxrzoo.recipe import Augmentation, Callback, ClassWeight, FineTune, Loss, Recipe, Schedule
from cxrzoo.registry import LazyBuilder

__all__ = ["BINARY", "CORONAHACK", "COVID3", "MODELS", "SCRATCH", "SZANET", "TRANSFER"]

#: Classes of the Kermany / Mooney pneumonia data (folder names, sorted).
BINARY = ("NORMAL", "PNEUMONIA")
#: Classes of report 001 (jtiptj folder names without TUBERCULOSIS, sorted).
COVID3 = ("COVID19", "NORMAL", "PNEUMONIA")
#: Classes of report 004 (CoronaHack), in the report's order.
CORONAHACK = ("NORMAL", "BACTERIA", "VIRUS", "COVID-19")

SIGMOID = Head(pooling="avg", activation="sigmoid")

#: The builders, named lazily ("module:function"): this module is data and must never
#: import Keras, so that listing and describing presets stays light. A from-scratch CNN
#: binds its layout from cxrzoo.models.blocks: LazyBuilder(SCRATCH, blocks=..., padding=...).
SZANET = "cxrzoo.models.szanet:build_szanet"
SCRATCH = "cxrzoo.models.scratch:build_scratch"
TRANSFER = "cxrzoo.models.transfer:build_transfer"

_MODELS: list[tuple[Preset, str | LazyBuilder]] = []


def _add(preset: Preset, builder: str | LazyBuilder) -> None:
    _MODELS.append((preset, builder))


def _transfer(name: str, backbone: str, **fields) -> None:
    """Add a transfer preset; its preprocessing is its backbone's own."""
    preprocessing = backbone_spec(backbone).preprocessing
    _add(Preset(name=name, backbone=backbone, preprocessing=preprocessing, **fields), TRANSFER)


def _results(note: str, split: str, **metrics: float) -> tuple[ReportedResult, ...]:
    return tuple(ReportedResult(m, v, split, note) for m, v in metrics.items())


# --------------------------------------------------------------------------- report 000

RAHMAN_REPORT = "Rahman, Columbia University (report 000)"
RAHMAN_TITLE = (
    "Transfer Learning-Based CNNs vs Independently Designed CNN for the Classification of "
    "Chest X-Ray Images"
)
RAHMAN_RECIPE = Recipe(
    optimizer="rmsprop",
    learning_rate=5e-5,
    epochs=6,
    batch_size=32,
    callbacks=(Callback("reduce_lr_on_plateau", patience=2, factor=0.3, min_lr=1e-6),),
)
RAHMAN_RECONSTRUCTED = (
    "input 150x150x3 scaled inside the model (the report gives no size); the report says "
    "callbacks adjusted the learning rate without naming them: ReduceLROnPlateau "
    "(val_loss, factor 0.3, patience 2, min 1e-6) is chosen here"
)
#: Fig. 1 of report 000: recall, precision, F1, AUC, accuracy on the 624 test images.
RAHMAN_RESULTS = {
    "arch1": (0.8153, 0.8641, 0.8391, 0.8008, 0.8045),
    "arch2": (0.8974, 0.8537, 0.875, 0.8205, 0.8397),
    "arch3": (0.8615, 0.8773, 0.8693, 0.8303, 0.8381),
    "arch4": (0.8487, 0.8531, 0.851, 0.8026, 0.8141),
    "arch5": (0.8282, 0.8411, 0.8346, 0.7838, 0.7949),
    "arch6": (0.9872, 0.7026, 0.821, 0.7581, 0.731),
    "IncV3-NW": (0.9179, 0.792, 0.8503, 0.7581, 0.7981),
    "IncV3-W": (0.9795, 0.71, 0.8233, 0.6564, 0.7372),
    "VGG16-NW": (1.0, 0.625, 0.7692, 0.5, 0.625),
    "VGG16-W": (1.0, 0.625, 0.7692, 0.5, 0.625),
}


def _rahman_results(row: str) -> tuple[ReportedResult, ...]:
    metrics = ("recall", "precision", "f1", "roc_auc", "accuracy")
    values = dict(zip(metrics, RAHMAN_RESULTS[row], strict=True))
    return _results(f"Fig. 1, row {row}", "test", **values)


for arch, blocks in RAHMAN_BLOCKS.items():
    _add(
        Preset(
            name=f"rahman_arch{arch}.rahman",
            description=f"Rahman's from-scratch 'Arch {arch}' Sequential CNN (report 000)",
            input_shape=(150, 150, 3),
            class_names=BINARY,
            preprocessing="rescale",
            head=Head(pooling="flatten", dropout=0.5, activation="sigmoid"),
            recipe=dataclasses.replace(RAHMAN_RECIPE, epochs=6 if arch <= 3 else 10),
            source=Source(RAHMAN_REPORT, "II.B Independent Model; Fig. 1", RAHMAN_TITLE),
            reported=_rahman_results(f"arch{arch}"),
            reconstructed="the layers (the report only says how the six differ; see "
            "cxrzoo.models.scratch for the progression chosen); " + RAHMAN_RECONSTRUCTED,
        ),
        LazyBuilder(SCRATCH, blocks=blocks, padding="same"),
    )

for backbone, arch, row in (("InceptionV3", "inception_v3", "IncV3"), ("VGG16", "vgg16", "VGG16")):
    for tag, weights in (("rahman", None), ("rahman_imagenet", "imagenet")):
        _transfer(
            f"{arch}.{tag}",
            backbone,
            description=f"{backbone} + sigmoid unit, "
            + ("ImageNet weights, frozen" if weights else "trained from random weights")
            + " (report 000)",
            input_shape=(150, 150, 3),
            class_names=BINARY,
            head=SIGMOID,
            weights=weights,
            freeze_base=weights is not None,
            recipe=RAHMAN_RECIPE,
            source=Source(
                RAHMAN_REPORT, "II.B Inception V3 and VGG16 Models; Fig. 1", RAHMAN_TITLE
            ),
            reported=_rahman_results(f"{row}-{'W' if weights else 'NW'}"),
            reconstructed="the head 'similar to Kermany et al.' (GAP > one sigmoid unit) and, "
            "with ImageNet weights, a frozen base (Kermany's fixed feature extractor); "
            + RAHMAN_RECONSTRUCTED,
        )

# --------------------------------------------------------------------------- report 001

COVID_REPORT = "unsigned student report (report 001)"
COVID_TITLE = "Classification of Chest X-Rays Using Transfer Learning"
COVID_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=1e-3,
    epochs=30,
    batch_size=128,
    class_weight=ClassWeight("balanced", reported=(4.11, 1.41, 0.49)),
    augmentations=(
        Augmentation("rotation", 5.0),
        Augmentation("shear", 5.0),
        Augmentation("height_shift", 0.15),
        Augmentation("width_shift", 0.15),
        Augmentation("zoom", (0.9, 1.1)),
        Augmentation("brightness", (0.8, 1.2)),
        Augmentation("horizontal_flip", probability=0.5),
    ),
    callbacks=(Callback("early_stopping", patience=5, restore_best_weights=True),),
    fine_tune=FineTune(learning_rate=1e-5, epochs=30, unfreeze="all"),
    metrics=("accuracy", "f1_score"),
)
COVID_RECONSTRUCTED = (
    "the largest number of fine-tuning epochs (the report's early stopping ended it at "
    "epoch 12; 30 as in the first phase is chosen); the head and the scaling are exactly "
    "the report's model summary"
)
_VAL = "validation (the report's Test folder)"
for backbone, arch, base_params, first, tuned, recalls in (
    (
        "InceptionV3",
        "inception_v3",
        21_802_784,
        (0.5564, 0.8045),
        (0.3468, 0.8569),
        {"recall_COVID19": 0.991, "recall_PNEUMONIA": 0.923, "recall_NORMAL": 0.697},
    ),
    (
        "ResNet101V2",
        "resnet101v2",
        42_626_560,
        (0.6577, 0.7593),
        (0.2576, 0.9052),
        {
            "recall_COVID19": 1.0,
            "recall_PNEUMONIA": 0.933,
            "recall_NORMAL": 0.812,
            "precision_COVID19": 0.898,
            "precision_PNEUMONIA": 0.917,
        },
    ),
):
    _transfer(
        f"{arch}.covid3",
        backbone,
        description=f"{backbone} + GAP > Dropout 0.5 > softmax, 3 classes (report 001)",
        input_shape=(256, 256, 3),
        class_names=COVID3,
        head=Head(pooling="avg", dropout=0.5, activation="softmax"),
        weights="imagenet",
        freeze_base=True,
        recipe=COVID_RECIPE,
        source=Source(
            COVID_REPORT, f"MODEL #{1 if arch == 'inception_v3' else 2}: {backbone}", COVID_TITLE
        ),
        reported=(
            ReportedResult("base_params", base_params, "model", "model summary"),
            *_results("frozen base, end of phase 1", _VAL, loss=first[0], f1=first[1]),
            *_results("fine-tuned, best epoch", _VAL, loss=tuned[0], f1=tuned[1]),
            *_results("fine-tuned, confusion matrix", _VAL, **recalls),
        ),
        reconstructed=COVID_RECONSTRUCTED,
    )

# --------------------------------------------------------------------------- report 002

GUPTA_REPORT = "Gupta, Mishra & Yang (report 002)"
GUPTA_TITLE = (
    "Pneumonia Diagnosis via Chest X-ray Image Classification using Deep Learning and "
    "Transfer Learning"
)
GUPTA_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=5e-5,
    epochs=50,
    batch_size=32,
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


def _gupta_results(auc: float, tp: int, fp: int, fn: int, tn: int) -> tuple[ReportedResult, ...]:
    note = _SWAPPED.format(tn=tp, tp=tn)
    return (
        ReportedResult("roc_auc", auc, "validation", "without cross-validation (Fig. 3)"),
        *_results(note, "test", tp=tp, fp=fp, fn=fn, tn=tn),
    )


_add(
    Preset(
        name="szanet.gupta",
        description="SZANet, 3 conv blocks + dense head, from scratch (report 002)",
        input_shape=(224, 224, 3),
        class_names=BINARY,
        preprocessing="rescale",
        head=Head(pooling="flatten", hidden_units=(64,), dropout=0.5, activation="sigmoid"),
        recipe=GUPTA_RECIPE,
        source=Source(GUPTA_REPORT, "Methods: Deep Learning; Results; Table A1", GUPTA_TITLE),
        reported=(
            *_gupta_results(0.956, tp=132, fp=102, fn=6, tn=384),
            ReportedResult("accuracy", 0.86, "test", "pruned to 40% sparsity (Table A1)"),
        ),
        reconstructed=GUPTA_RECONSTRUCTED + "; the architecture itself is exactly as specified",
    ),
    SZANET,
)
_transfer(
    "resnet152v2.gupta",
    "ResNet152V2",
    description="ResNet152V2 + GAP > Dense 128 > Dropout 0.5 > sigmoid (report 002)",
    input_shape=(224, 224, 3),
    class_names=BINARY,
    head=Head(pooling="avg", hidden_units=(128,), dropout=0.5, activation="sigmoid"),
    weights="imagenet",
    freeze_base=True,
    recipe=GUPTA_RECIPE,
    source=Source(GUPTA_REPORT, "Methods: Transfer Learning; Results", GUPTA_TITLE),
    reported=_gupta_results(0.947, tp=177, fp=57, fn=17, tn=373),
    reconstructed=GUPTA_RECONSTRUCTED + "; the head is exactly as specified",
)

# --------------------------------------------------------------------------- report 003

BERREBY_REPORT = "Berreby, Serrano & Soukouna, Swarthmore College (report 003)"
BERREBY_TITLE = "Classifying Chest X-Ray Images Using Convolutional Neural Networks"
BERREBY_RECIPE = Recipe(optimizer="adam", learning_rate=1e-3, epochs=20, batch_size=32)
BERREBY_RECONSTRUCTED = (
    "the optimizer, learning rate and batch size (Keras defaults: Adam 1e-3, batch 32) and "
    "20 epochs for every model (the report states 20 for its own CNN)"
)


def _berreby_results(mean_all: float, mean_half: float, last: float, *train: float):
    return (
        *_results("Fig. 2", "validation", mean_accuracy_all_epochs=mean_all),
        *_results("Fig. 2", "validation", mean_accuracy_second_half=mean_half),
        *_results("Fig. 2", "validation", accuracy_last_epoch=last),
        *_results(
            "Section 4",
            "train",
            mean_accuracy_all_epochs=train[0],
            mean_accuracy_second_half=train[1],
            accuracy_last_epoch=train[2],
        ),
    )


_add(
    Preset(
        name="berreby_cnn.berreby",
        description="Berreby's 2-conv CNN + Dense 128, from scratch, 128x128 (report 003)",
        input_shape=(128, 128, 3),
        class_names=BINARY,
        preprocessing="rescale",
        head=Head(pooling="flatten", hidden_units=(128,), dropout=0.2, activation="sigmoid"),
        recipe=BERREBY_RECIPE,
        source=Source(BERREBY_REPORT, "3.2 CNN Construction and Tuning; Fig. 2", BERREBY_TITLE),
        reported=_berreby_results(0.728, 0.726, 0.720, 0.973, 0.996, 1.000),
        reconstructed="the layers are exactly the report's list; it leaves open the padding "
        "('valid', Keras' default), the input channels (3, as for the report's transfer "
        "models), the scaling (x / 255) and " + BERREBY_RECONSTRUCTED,
    ),
    LazyBuilder(SCRATCH, blocks=BERREBY_BLOCKS, padding="valid"),
)
for backbone, arch, results in (
    ("EfficientNetB7", "efficientnetb7", (0.821, 0.832, 0.843, 0.938, 0.950, 0.954)),
    ("ResNet101V2", "resnet101v2", (0.808, 0.826, 0.829, 0.916, 0.951, 0.956)),
    ("MobileNetV2", "mobilenetv2", (0.791, 0.809, 0.817, 0.908, 0.940, 0.945)),
    ("InceptionResNetV2", "inception_resnet_v2", (0.812, 0.829, 0.825, 0.895, 0.924, 0.936)),
):
    _transfer(
        f"{arch}.berreby",
        backbone,
        description=f"{backbone}, frozen, + one sigmoid unit, 128x128 (report 003)",
        input_shape=(128, 128, 3),
        class_names=BINARY,
        head=SIGMOID,
        weights="imagenet",
        freeze_base=True,
        recipe=BERREBY_RECIPE,
        source=Source(BERREBY_REPORT, "3.3 Transfer Learning Models; Fig. 2", BERREBY_TITLE),
        reported=_berreby_results(*results),
        reconstructed="global average pooling before the sigmoid unit (the report strips the "
        "last layer of the Keras model, which leaves its pooled features); "
        + BERREBY_RECONSTRUCTED,
    )

# --------------------------------------------------------------------------- report 004

BOLHASSANI_REPORT = "Bolhassani, J. Intell. Learn. Syst. Appl. 16:80-90, 2024 (report 004)"
BOLHASSANI_TITLE = (
    "Transfer learning approach to Classify the X-ray image that corresponds to corona "
    "disease Using ResNet50 pre-trained by ChexNet"
)
FOCAL = Loss("focal", gamma=2.0, alpha=0.25)
BOLHASSANI_RECIPE = Recipe(
    optimizer="adam",
    learning_rate=1e-3,
    epochs=20,
    batch_size=32,
    schedule=Schedule("step", step_epochs=10, factor=0.5),
    augmentations=(
        Augmentation("horizontal_flip", probability=0.5),
        Augmentation("vertical_flip", probability=0.5),
        Augmentation("rotation", 10.0, probability=0.3),
    ),
)
BOLHASSANI_RECONSTRUCTED = (
    "the input size (224x224x3), the head (GAP > softmax, replacing ResNet's / DenseNet's "
    "classifier), a trainable base, batch 32, the rotation angle (10 degrees) and the focal "
    "loss's gamma 2 and alpha 0.25 (Lin et al.'s defaults); the report trained in PyTorch"
)
#: Table 1 of report 004: train, validation, test accuracy.
BOLHASSANI_RESULTS = {
    "PRCE": (0.8106, 0.6539, 0.621),
    "PRCW": (0.8606, 0.7343, 0.802),
    "PRFL": (0.8584, 0.75, 0.755),
    "PDCXCE": (0.8528, 0.76062, 0.80),
    "PDCXFL": (0.8795, 0.7387, 0.7556),
    "RCE": (0.81608, 0.6993, 0.7111),
}

for arch, backbone, tag, column, weights, changes, what in (
    ("resnet50", "ResNet50", "bolhassani_ce", "PRCE", "imagenet", {}, "cross-entropy"),
    (
        "resnet50",
        "ResNet50",
        "bolhassani_wce",
        "PRCW",
        "imagenet",
        {"sampling": "inverse_frequency"},
        "class-weighted cross-entropy",
    ),
    ("resnet50", "ResNet50", "bolhassani_focal", "PRFL", "imagenet", {"loss": FOCAL}, "focal"),
    ("resnet50", "ResNet50", "bolhassani_scratch", "RCE", None, {"loss": FOCAL}, "focal"),
    ("densenet121", "DenseNet121", "chexnet_ce", "PDCXCE", "chexnet", {}, "cross-entropy"),
    ("densenet121", "DenseNet121", "chexnet_focal", "PDCXFL", "chexnet", {"loss": FOCAL}, "focal"),
):
    train, val, test = BOLHASSANI_RESULTS[column]
    start = {"imagenet": "ImageNet", "chexnet": "CheXNet", None: "random"}[weights]
    _transfer(
        f"{arch}.{tag}",
        backbone,
        description=f"{backbone}, {start} weights, {what}, 4 classes (report 004)",
        input_shape=(224, 224, 3),
        class_names=CORONAHACK,
        head=Head(pooling="avg", activation="softmax"),
        weights=weights,
        recipe=dataclasses.replace(BOLHASSANI_RECIPE, **changes),
        source=Source(
            BOLHASSANI_REPORT, f"Sections 3-4; Table 1, column {column}", BOLHASSANI_TITLE
        ),
        reported=(
            *_results(f"Table 1, {column}", "train", accuracy=train),
            *_results(f"Table 1, {column}", "validation", accuracy=val),
            *_results(f"Table 1, {column}", "test", accuracy=test),
        ),
        reconstructed=BOLHASSANI_RECONSTRUCTED
        + (
            "; the report's class weighting is PyTorch's WeightedRandomSampler with "
            "reciprocal class counts, kept here as sampling='inverse_frequency'"
            if "sampling" in changes
            else ""
        ),
    )

#: The report presets and their builders, in registration order.
MODELS: tuple[tuple[Preset, str | LazyBuilder], ...] = tuple(_MODELS)
