"""Multi-label training end to end (issue 19): NIH-style data on disk, the official
split, masked losses, per-finding AUCs in the history, per-finding thresholds on
validation data, and an evaluation with patient-clustered intervals and per-sex results.

The images are synthetic (32x32 PNGs under NIH's file names): Cardiomegaly is a bright
square in the middle, Effusion a bright band at the bottom, Mass a bright corner.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import cxrzoo  # noqa: E402
from cxrzoo.recipe import ClassWeight  # noqa: E402
from cxrzoo.training.multilabel import (  # noqa: E402
    MaskedAUC,
    MaskedBinaryCrossentropy,
    MaskedFocalCrossentropy,
    finding_metrics,
)

DRAWN = ("Cardiomegaly", "Effusion", "Mass")


def _image(findings: set[str], rng) -> np.ndarray:
    image = rng.integers(0, 60, (32, 32)).astype(np.uint8)
    if "Cardiomegaly" in findings:
        image[10:22, 10:22] = 230
    if "Effusion" in findings:
        image[26:, :] = 220
    if "Mass" in findings:
        image[:8, :8] = 240
    return image


@pytest.fixture(scope="module")
def nih_root(tmp_path_factory):
    """60 images of 30 patients (two visits each), NIH's metadata CSV and official lists."""
    from PIL import Image

    root = tmp_path_factory.mktemp("nih")
    (root / "images").mkdir()
    rng = np.random.default_rng(0)
    rows, train_val, test = [], [], []
    for patient in range(1, 31):
        sex = "M" if patient % 2 else "F"
        for visit in range(2):
            name = f"{patient:08d}_{visit:03d}.png"
            found = {f for f in DRAWN if rng.random() < 0.4}
            labels = "|".join(sorted(found)) or "No Finding"
            age = 30 + patient
            rows.append(f"{name},{labels},{visit},{patient},{age},{sex},PA,2048,2500,0.14,0.14")
            Image.fromarray(_image(found, rng)).save(root / "images" / name)
            (test if patient > 20 else train_val).append(name)
    header = (
        "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
        "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]"
    )
    # as in the real file, the bracketed names span two columns each
    (root / "Data_Entry_2017_v2020.csv").write_text("\n".join([header, *rows]) + "\n")
    (root / "train_val_list.txt").write_text("\n".join(train_val) + "\n")
    (root / "test_list.txt").write_text("\n".join(test) + "\n")
    return root


def test_masked_losses_ignore_nan_labels():
    y = np.array([[1.0, np.nan, 0.0], [np.nan, 1.0, 0.0]], "float32")
    p = np.array([[0.7, 0.01, 0.2], [0.99, 0.6, 0.1]], "float32")
    observed = [(0.7, 1), (0.2, 0), (0.6, 1), (0.1, 0)]
    terms = [-math.log(q if t else 1 - q) for q, t in observed]
    assert float(MaskedBinaryCrossentropy()(y, p)) == pytest.approx(np.mean(terms), rel=1e-5)
    # weights per finding: w+ for positive, w- for negative labels, normalized the same way
    pos, neg = (2.0, 3.0, 5.0), (0.5, 0.25, 0.1)
    weighted = MaskedBinaryCrossentropy(pos, neg)(y, p)
    expected = np.mean([terms[0] * 2.0, terms[1] * 0.1, terms[2] * 3.0, terms[3] * 0.1])
    assert float(weighted) == pytest.approx(expected, rel=1e-5)
    # focal with gamma 0 and no alpha is the cross-entropy; an all-NaN batch costs 0
    assert float(MaskedFocalCrossentropy(0.0)(y, p)) == pytest.approx(np.mean(terms), rel=1e-5)
    assert float(MaskedBinaryCrossentropy()(np.full((2, 3), np.nan, "float32"), p)) == 0.0
    focal = MaskedFocalCrossentropy(2.0, alpha=0.25)(y, p)
    alpha = [0.25, 0.75, 0.25, 0.75]
    expect = np.mean([a * (1 - (q if t else 1 - q)) ** 2 * x for a, (q, t), x in
                      zip(alpha, observed, terms, strict=True)])  # fmt: skip
    assert float(focal) == pytest.approx(expect, rel=1e-4)


def test_masked_auc_and_finding_weights():
    metrics = finding_metrics(["Effusion", "Pleural_Thickening"])
    assert [m.name for m in metrics] == ["auc", "auc_effusion", "auc_pleural_thickening"]
    y = np.array([[1, np.nan], [0, 0], [1, 1], [np.nan, 0]], "float32")
    p = np.array([[0.9, 0.99], [0.2, 0.1], [0.8, 0.7], [0.99, 0.3]], "float32")
    for m in metrics:
        m.update_state(y, p)
    assert [float(m.result()) for m in metrics] == pytest.approx([1.0, 1.0, 1.0])
    assert MaskedAUC.from_config(metrics[1].get_config()).index == 0
    assert ClassWeight("prevalence").finding_weights([1, 0], [4, 3]) == ((0.75, 1.0), (0.25, 1.0))
    with pytest.raises(ValueError, match="multi-label"):
        ClassWeight("prevalence").weights([3, 4])


def test_chexnet_preset():
    preset = cxrzoo.get_preset("densenet121.chexnet")
    assert preset.num_outputs == 14 and preset.head.multi_label
    assert preset.class_names[2] == "Effusion" and preset.recipe.batch_size == 16
    assert preset.preprocessing == "torch" and preset.weights == "chexnet"
    assert cxrzoo.get_preset("densenet121").name == "densenet121.chexnet_ce"  # unchanged
    assert "multi_label" not in cxrzoo.get_preset("densenet121.chexnet_ce").to_dict()["head"]
    small = cxrzoo.build("szanet", input_shape=(32, 32, 1), num_classes=3, multi_label=True,
                         activation="sigmoid")  # fmt: skip
    assert small.output_shape == (None, 3)
    fewer = cxrzoo.factory._with_overrides(
        preset, input_shape=None, num_classes=3, weights=None, overrides={}
    )
    assert fewer.num_outputs == 3  # still one sigmoid unit per finding
    with pytest.raises(FileNotFoundError, match=r"chexnet_densenet121_weights\.h5"):
        cxrzoo.build("densenet121.chexnet", input_shape=(32, 32, 3), weights="preset")


def test_train_and_evaluate_nih_style(nih_root, tmp_path):
    from cxrzoo.data import load_nih

    splits = load_nih(nih_root, val_fraction=0.25, random_state=0)
    assert set(splits) == {"train", "val", "test"}
    result = cxrzoo.train(
        "szanet",
        {"train": splits["train"], "val": splits["val"]},
        preset="densenet121.chexnet",  # CheXNet's recipe: weighted, masked cross-entropy
        input_shape=(32, 32, 1),
        epochs=2,
        batch_size=8,
        out=tmp_path / "run",
        verbose=0,
    )
    findings = splits["train"].class_names
    assert len(findings) == 14 and result.model.output_shape == (None, 14)
    row = result.history[-1]
    assert {"loss", "val_loss", "auc", "val_auc_effusion", "auc_cardiomegaly"} <= set(row)
    assert result.settings["label_mode"] == "multi_label"
    assert len(result.settings["positive_weights"]) == 14
    model, names = cxrzoo.load_trained(tmp_path / "run")
    assert names == tuple(findings) and model.output_shape == (None, 14)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # findings never drawn have one class: no AUC
        ev = cxrzoo.evaluate(result, splits, out=tmp_path / "eval")
    for finding in DRAWN:
        r = ev.findings[finding]
        assert r.auc_method == "Obuchowski (clustered DeLong)"
        assert 0 <= r.auc_low <= r.auc <= r.auc_high <= 1
        assert r.n_patients == 10 and r.n == 20
        assert "validation data" in r.threshold_method
    assert math.isnan(ev.findings["Hernia"].auc)  # no positive drawn
    assert set(ev.subgroups["sex"]) == {"F", "M"}
    assert ev.subgroups["sex"]["F"]["Effusion"].n == 10
    assert (tmp_path / "eval" / "evaluation.json").is_file()
    assert "sex = F" in str(ev)
