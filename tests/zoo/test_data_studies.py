"""The big multi-label data sets: NIH ChestX-ray14, CheXpert, MIMIC-CXR; label space; splits.

NIH tests write tiny PNGs under the REAL file names of the real metadata and official
split in ``../shared/data/nih_chestxray14`` (skipped when absent, e.g. on a fresh clone;
``CXRKIT_SHARED_DATA`` points elsewhere). CheXpert and MIMIC-CXR layouts are synthetic.
"""

import csv
import gzip
import os
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.conftest import SHARED_DATA

from cxrzoo.data import (
    MultiLabelSet,
    align_labels,
    check_patient_split,
    load_chexpert,
    load_mimic,
    load_nih,
    make_dataset,
    patient_split,
    readable,
)
from cxrzoo.data.labels import CHEXPERT_FINDINGS, COMMON_FINDINGS, NIH_FINDINGS

NIH_DIR = Path(os.environ.get("CXRKIT_SHARED_DATA", SHARED_DATA)) / "nih_chestxray14"


def png(path: Path, value: int = 100) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((8, 8), value, np.uint8)).save(path)


# --------------------------------------------------------------------------- NIH (real names)


@pytest.fixture(scope="module")
def nih_real():
    """(header, rows of 12 real patients: 8 train_val, 4 test, ~40 images, split of each)."""
    meta, split = (
        NIH_DIR / "nih_chestxray14_metadata.csv.gz",
        NIH_DIR / "nih_chestxray14_split.csv.gz",
    )
    if not (meta.is_file() and split.is_file()):
        pytest.skip(f"real NIH metadata not available in {NIH_DIR} (fresh clone)")
    with gzip.open(split, "rt", newline="") as f:
        split_of = {r["image"]: r["split"] for r in csv.DictReader(f)}
    with gzip.open(meta, "rt", newline="") as f:
        header = f.readline()
        lines = f.readlines()
    by_patient = defaultdict(list)
    for line in lines:
        by_patient[line.split(",", 4)[3]].append(line)
    chosen, wanted = [], {"train_val": 8, "test": 4}
    for pid in sorted(by_patient, key=int):
        rows = by_patient[pid]
        side = split_of[rows[0].split(",", 1)[0]]
        labelled = any("No Finding" not in r for r in rows)
        if wanted[side] and 2 <= len(rows) <= 5 and labelled:
            chosen += rows
            wanted[side] -= 1
        if not any(wanted.values()):
            break
    return header, chosen, {r.split(",", 1)[0]: split_of[r.split(",", 1)[0]] for r in chosen}


def write_nih(root: Path, header: str, rows: list[str], split_of: dict, *, images=True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Data_Entry_2017_v2020.csv").write_text(header + "".join(rows))
    for side, file in (("train_val", "train_val_list.txt"), ("test", "test_list.txt")):
        (root / file).write_text("\n".join(n for n, s in sorted(split_of.items()) if s == side))
    if images:
        for i, name in enumerate(sorted(split_of)):
            png(root / f"images_{1 + i % 2:03d}" / "images" / name, value=10 * (i % 20))
    return root


def test_nih_official_split_with_real_names(tmp_path, nih_real):
    header, rows, split_of = nih_real
    splits = load_nih(write_nih(tmp_path, header, rows, split_of))
    assert sorted(splits) == ["test", "train"]
    assert 30 <= len(rows) <= 50
    for name, side in (("train", "train_val"), ("test", "test")):
        s = splits[name]
        assert sorted(Path(p).name for p in s.paths) == sorted(
            n for n, v in split_of.items() if v == side
        )
        assert s.class_names == NIH_FINDINGS and not np.isnan(s.labels).any()
        assert set(s.demographics["sex"]) <= {"M", "F"} and set(s.demographics["view"]) <= {
            "PA",
            "AP",
        }
        assert all(sid == Path(p).stem for sid, p in zip(s.study_ids, s.paths, strict=True))
        assert all(
            Path(p).name.startswith(pid) for pid, p in zip(s.patient_ids, s.paths, strict=True)
        )
    assert len(set(splits["train"].patient_ids)) == 8 and len(set(splits["test"].patient_ids)) == 4
    assert check_patient_split(splits).clean
    # the matrix says exactly what "Finding Labels" says
    cells = {r.split(",")[0]: r.split(",")[1] for r in rows}
    s = splits["train"]
    for p, y in zip(s.paths, s.labels, strict=True):
        named = {f for f in cells[Path(p).name].split("|") if f != "No Finding"}
        assert named == {f for f, v in zip(NIH_FINDINGS, y, strict=True) if v == 1}


def test_nih_validation_cut_by_patient(tmp_path, nih_real):
    splits = load_nih(write_nih(tmp_path, *nih_real), val_fraction=0.25, random_state=3)
    assert sorted(splits) == ["test", "train", "val"]
    assert check_patient_split(splits).clean
    n_train_val = sum(v == "train_val" for v in nih_real[2].values())
    assert len(splits["train"]) + len(splits["val"]) == n_train_val
    again = load_nih(tmp_path, val_fraction=0.25, random_state=3)
    assert again["val"].paths == splits["val"].paths


def test_nih_box_header_and_flat_images_folder(tmp_path, nih_real):
    header, rows, split_of = nih_real
    box = header.replace("Patient Gender", "Patient Sex").rstrip("\n") + ",\n"
    write_nih(tmp_path, box, [r.rstrip("\n") + ",\n" for r in rows], split_of, images=False)
    for name in split_of:
        png(tmp_path / "images" / name)
    splits = load_nih(tmp_path)
    assert sum(len(s) for s in splits.values()) == len(rows)


def test_nih_refuses_bad_input(tmp_path, nih_real):
    header, rows, split_of = nih_real
    root = write_nih(tmp_path, header, rows, split_of)
    meta = root / "Data_Entry_2017_v2020.csv"
    # a missing column, by name
    meta.write_text(header.replace("View Position", "View") + "".join(rows))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['View Position'\]"):
        load_nih(root)
    # an unknown finding, by name and image
    bad = rows[0].replace(rows[0].split(",")[1], "Efusion", 1)
    meta.write_text(header + bad + "".join(rows[1:]))
    with pytest.raises(ValueError, match=r"unknown finding.*'Efusion' \(e\.g\. " + rows[0][:16]):
        load_nih(root)
    meta.write_text(header + "".join(rows))
    # files that do not exist: how many, which; or dropped with a warning
    gone = sorted(split_of)[:2]
    for name in gone:
        next(root.glob(f"images_*/images/{name}")).unlink()
    with pytest.raises(FileNotFoundError, match=rf"2 of the {len(rows)} image files.*{gone[0]}"):
        load_nih(root)
    with pytest.warns(UserWarning, match="2 of the .* left out"):
        splits = load_nih(root, on_missing="drop")
    assert sum(len(s) for s in splits.values()) == len(rows) - 2
    # a patient in two splits: move one image of a train_val patient into the test list
    moved = next(n for n, s in sorted(split_of.items()) if s == "train_val")
    write_nih(root, header, rows, {**split_of, moved: "test"})
    with pytest.raises(ValueError, match=rf"patients in two splits.*{moved[:8]}"):
        load_nih(root)


# --------------------------------------------------------------------------- CheXpert


CHEX_HEADER = "Path,Sex,Age,Frontal/Lateral,AP/PA," + ",".join(CHEXPERT_FINDINGS)


def write_chexpert(root: Path, rows: dict[str, list[tuple]]) -> Path:
    """rows: {csv name: [(patient, study, view, sex, age, ap_pa, {finding: value})]}."""
    for file, entries in rows.items():
        lines = [CHEX_HEADER]
        folder = "train" if file == "train.csv" else "valid"
        for patient, study, view, sex, age, ap_pa, labels in entries:
            side = "frontal" if view != 2 else "lateral"
            rel = f"{root.name}/{folder}/patient{patient:05d}/study{study}/view{view}_{side}.jpg"
            png(root.parent / rel)
            values = [labels.get(f, "") for f in CHEXPERT_FINDINGS]
            lines.append(f"{rel},{sex},{age},{side.capitalize()},{ap_pa}," + ",".join(values))
        (root / file).write_text("\n".join(lines) + "\n")
    return root


CHEX_ROWS = {
    "train.csv": [
        (1, 1, 1, "Female", 68, "AP", {"Edema": "1.0", "Pleural Effusion": "-1.0"}),
        (1, 1, 2, "Female", 68, "", {"Edema": "1.0", "Pleural Effusion": "-1.0"}),
        (2, 1, 1, "Male", 87, "PA", {"No Finding": "1.0", "Edema": "0.0"}),
        (2, 2, 1, "Male", 88, "AP", {"Edema": "-1.0", "Support Devices": "1.0"}),
    ],
    "valid.csv": [(64541, 1, 1, "Male", 73, "AP", {"Cardiomegaly": "1.0", "Edema": "0.0"})],
}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("ignore", [1.0, 0.0, np.nan]), ("zeros", [1.0, 0.0, 0.0]), ("ones", [1.0, 0.0, 1.0])],
)
def test_chexpert_uncertainty_policies(tmp_path, policy, expected):
    root = write_chexpert(tmp_path / "CheXpert-v1.0-small", CHEX_ROWS)
    splits = load_chexpert(root, uncertain=policy)
    train = splits["train"]
    np.testing.assert_array_equal(train.labels[:, CHEXPERT_FINDINGS.index("Edema")], expected)
    effusion = train.labels[0, CHEXPERT_FINDINGS.index("Pleural Effusion")]
    assert np.isnan(effusion) if policy == "ignore" else effusion == expected[-1]
    # blank = not mentioned: NaN, or 0 when asked
    assert np.isnan(train.labels[0, CHEXPERT_FINDINGS.index("Fracture")])
    zero = load_chexpert(root, uncertain=policy, unmentioned="negative")["train"]
    assert zero.labels[0, CHEXPERT_FINDINGS.index("Fracture")] == 0.0


def test_chexpert_views_ids_demographics(tmp_path):
    root = write_chexpert(tmp_path / "CheXpert-v1.0-small", CHEX_ROWS)
    frontal = load_chexpert(root)
    assert len(frontal["train"]) == 3 and len(frontal["val"]) == 1
    s = frontal["train"]
    assert s.patient_ids.tolist() == ["patient00001", "patient00002", "patient00002"]
    assert s.study_ids.tolist() == [
        "patient00001/study1",
        "patient00002/study1",
        "patient00002/study2",
    ]
    assert s.demographics["sex"].tolist() == ["F", "M", "M"]
    assert s.demographics["view"].tolist() == ["AP", "PA", "AP"]
    assert s.demographics["age"].tolist() == [68.0, 87.0, 88.0]
    assert all(Path(p).is_file() for p in s.paths)
    lateral = load_chexpert(root, views="lateral")
    assert list(lateral) == ["train"] and lateral["train"].demographics["view"].tolist() == [
        "LATERAL"
    ]
    assert len(load_chexpert(root, views="all")["train"]) == 4
    picked = load_chexpert(root, findings=["Edema", "Cardiomegaly"])["val"]
    assert picked.class_names == ("Edema", "Cardiomegaly") and picked.labels.tolist() == [[0, 1]]


def test_chexpert_refuses_bad_input(tmp_path):
    root = write_chexpert(tmp_path / "CheXpert-v1.0-small", CHEX_ROWS)
    train = root / "train.csv"
    text = train.read_text()
    train.write_text(text.replace("Frontal/Lateral,", "View,", 1))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['Frontal/Lateral'\]"):
        load_chexpert(root)
    train.write_text(text)
    with pytest.raises(ValueError, match=r"unknown finding.*'Pleural Efusion'"):
        load_chexpert(root, findings=["Pleural Efusion"])
    with pytest.raises(ValueError, match="uncertain must be one of"):
        load_chexpert(root, uncertain="U-Ones")
    train.write_text(text.replace("1.0,", "2.0,", 1))
    with pytest.raises(ValueError, match="1, 0, -1 or blank"):
        load_chexpert(root)
    train.write_text(text)
    for p in (root / "train" / "patient00002").rglob("*.jpg"):
        p.unlink()
    with pytest.raises(FileNotFoundError, match=r"2 of the 3 image files .*patient00002"):
        load_chexpert(root)
    with pytest.warns(UserWarning, match="left out"):
        assert len(load_chexpert(root, on_missing="drop")["train"]) == 1
    # the validation patient also in train.csv
    leak = {**CHEX_ROWS, "valid.csv": [(1, 3, 1, "Female", 70, "PA", {"Edema": "1.0"})]}
    write_chexpert(root, leak)
    with pytest.raises(ValueError, match=r"patients in two splits.*patient00001"):
        load_chexpert(root)


# --------------------------------------------------------------------------- MIMIC-CXR


def write_mimic(root: Path, images: list[tuple], labels: dict[str, dict[str, str]]) -> Path:
    """images: [(dicom, subject, study, view, split)]; labels: {study: {finding: value}}."""
    root.mkdir(parents=True, exist_ok=True)
    meta = ["dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition"]
    split = ["dicom_id,study_id,subject_id,split"]
    for dicom, subject, study, view, side in images:
        meta.append(f"{dicom},{subject},{study},CHEST (PA AND LAT),{view}")
        split.append(f"{dicom},{study},{subject},{side}")
        png(root / "files" / f"p{subject[:2]}" / f"p{subject}" / f"s{study}" / f"{dicom}.jpg")
    (root / "mimic-cxr-2.0.0-metadata.csv").write_text("\n".join(meta) + "\n")
    with gzip.open(root / "mimic-cxr-2.0.0-split.csv.gz", "wt") as f:
        f.write("\n".join(split) + "\n")
    subject_of = {study: subject for _, subject, study, _, _ in images}
    rows = ["subject_id,study_id," + ",".join(CHEXPERT_FINDINGS)]
    for study, values in labels.items():
        cells = ",".join(values.get(f, "") for f in CHEXPERT_FINDINGS)
        rows.append(f"{subject_of[study]},{study},{cells}")
    (root / "mimic-cxr-2.0.0-chexpert.csv").write_text("\n".join(rows) + "\n")
    return root


MIMIC_IMAGES = [
    ("d1", "10000032", "50414267", "PA", "train"),
    ("d2", "10000032", "50414267", "LATERAL", "train"),
    ("d3", "10000032", "53189527", "AP", "train"),
    ("d4", "10000764", "57375967", "AP", "validate"),
    ("d5", "10000898", "50771383", "PA", "test"),
    ("d6", "10000898", "54205396", "", "test"),
]
MIMIC_LABELS = {
    "50414267": {"Edema": "1.0", "Pneumonia": "-1.0"},
    "53189527": {"No Finding": "1.0"},
    "57375967": {"Edema": "0.0", "Pleural Effusion": "1.0"},
    "50771383": {"Edema": "-1.0"},
}


def test_mimic_splits_ids_labels(tmp_path):
    root = write_mimic(tmp_path / "2.0.0", MIMIC_IMAGES, MIMIC_LABELS)
    (tmp_path / "patients.csv").write_text(
        "subject_id,gender,anchor_age,anchor_year\n10000032,F,52,2180\n10000898,M,70,2170\n"
    )
    splits = load_mimic(root, uncertain="zeros", patients_csv=tmp_path / "patients.csv")
    assert sorted(splits) == ["test", "train", "val"]
    train, test = splits["train"], splits["test"]
    assert [Path(p).name for p in train.paths] == ["d1.jpg", "d3.jpg"]  # frontal only
    assert train.patient_ids.tolist() == ["10000032", "10000032"]
    assert train.study_ids.tolist() == ["50414267", "53189527"]
    edema = CHEXPERT_FINDINGS.index("Edema")
    assert (
        train.labels[0, edema] == 1 and train.labels[0, CHEXPERT_FINDINGS.index("Pneumonia")] == 0
    )
    assert test.labels[:, edema].tolist() == [0.0]  # U-Zeros; d6 has no view: not frontal
    assert test.demographics["sex"].tolist() == ["M"] and test.demographics["age"].tolist() == [70]
    assert splits["val"].demographics["sex"].tolist() == ["unknown"]
    everything = load_mimic(root, views="all")
    assert len(everything["test"]) == 2 and np.isnan(everything["test"].labels[1]).all()
    assert everything["test"].demographics["view"].tolist() == ["PA", "unknown"]
    assert load_mimic(root, views="lateral")["train"].demographics["view"].tolist() == ["LATERAL"]


def test_mimic_refuses_bad_input(tmp_path):
    root = write_mimic(tmp_path / "2.0.0", MIMIC_IMAGES, MIMIC_LABELS)
    meta = root / "mimic-cxr-2.0.0-metadata.csv"
    text = meta.read_text()
    meta.write_text(text.replace("ViewPosition", "View"))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['ViewPosition'\]"):
        load_mimic(root)
    meta.write_text(text)
    with pytest.raises(ValueError, match="unknown finding"):
        load_mimic(root, findings=["Effusion"])  # NIH's word; MIMIC says "Pleural Effusion"
    with pytest.raises(FileNotFoundError, match="negbio"):
        load_mimic(root, labels="negbio")
    (root / "files/p10/p10000764/s57375967/d4.jpg").unlink()
    with pytest.raises(FileNotFoundError, match=r"1 of the 4 image files.*d4\.jpg"):
        load_mimic(root)
    leak = [*MIMIC_IMAGES, ("d7", "10000764", "50000001", "PA", "test")]
    write_mimic(root, leak, MIMIC_LABELS)
    with pytest.raises(ValueError, match=r"patients in two splits.*10000764"):
        load_mimic(root)


# --------------------------------------------------------------------------- label space, splits


def test_label_space_aligns_without_inventing_negatives():
    assert len(COMMON_FINDINGS) == len(set(COMMON_FINDINGS)) == 21
    nih = np.eye(14, dtype=np.float32)[[2, 12]]  # Effusion; Pleural_Thickening
    as_chexpert = align_labels(nih, NIH_FINDINGS, CHEXPERT_FINDINGS)
    j = CHEXPERT_FINDINGS.index("Pleural Effusion")
    assert as_chexpert[:, j].tolist() == [1.0, 0.0]
    lacking = [
        f
        for f in CHEXPERT_FINDINGS
        if f
        not in {
            "Pleural Effusion",
            "Cardiomegaly",
            "Edema",
            "Consolidation",
            "Pneumonia",
            "Atelectasis",
            "Pneumothorax",
        }
    ]
    assert np.isnan(as_chexpert[:, [CHEXPERT_FINDINGS.index(f) for f in lacking]]).all()
    back = align_labels(as_chexpert, CHEXPERT_FINDINGS, NIH_FINDINGS)
    assert back[0, 2] == 1 and np.isnan(back[1, 12])  # Pleural_Thickening is not CheXpert's
    with pytest.raises(ValueError, match="unknown finding 'Efusion'"):
        align_labels(nih, NIH_FINDINGS, ["Efusion"])
    with pytest.raises(ValueError, match="more than once"):
        align_labels(nih[:, :3], ["Atelectasis", "Effusion", "Pleural Effusion"], ["Edema"])


def test_patient_split_stratifies_and_never_leaks():
    rng = np.random.default_rng(0)
    patients = np.repeat(np.arange(300), rng.integers(1, 6, 300))
    per_patient = rng.random((300, 4)) < [0.3, 0.1, 0.05, 0.02]
    y = per_patient[patients].astype(np.float32)
    y[rng.random(y.shape) < 0.1] = np.nan
    side = patient_split(patients, y, random_state=1)
    for a in ("train", "val", "test"):
        for b in ("train", "val", "test"):
            if a < b:
                assert not set(patients[side == a]) & set(patients[side == b])
    share = {s: (side == s).mean() for s in ("train", "val", "test")}
    assert share == pytest.approx({"train": 0.7, "val": 0.1, "test": 0.2}, abs=0.03)
    positives = np.nan_to_num(y) > 0
    for j in range(4):
        got = positives[side == "test", j].sum() / positives[:, j].sum()
        assert got == pytest.approx(0.2, abs=0.1)
    assert (patient_split(patients, y, random_state=1) == side).all()
    with pytest.raises(ValueError, match="cannot fill 3 splits"):
        patient_split(["a", "a", "b"])
    with pytest.raises(ValueError, match="summing to 1"):
        patient_split(patients, fractions={"train": 0.9, "test": 0.2})


def test_multilabelset_split_by_patient_and_leak_check():
    y = np.tile([[1.0, 0.0], [0.0, np.nan]], (10, 1))
    s = MultiLabelSet(
        ("Edema", "Mass"),
        y,
        images=np.zeros((20, 4, 4), np.uint8),
        patient_ids=np.repeat(np.arange(10), 2),
        demographics={"sex": np.array(["F", "M"] * 10)},
    )
    rest, held = s.split(0.3, seed=0)
    assert len(rest) + len(held) == 20 and check_patient_split({"a": rest, "b": held}).clean
    assert set(held.demographics["sex"]) == {"F", "M"}
    leaky = {"train": s.subset([0, 2]), "test": s.subset([1, 3])}
    with pytest.raises(ValueError, match="patients in two splits"):
        check_patient_split(leaky)
    table = s.table("Mass")
    assert len(table["y_true"]) == 10 and set(table) >= {"patient_ids", "sex", "index"}
    with pytest.raises(ValueError, match=r"in \[0, 1\] or NaN"):
        MultiLabelSet(("Edema",), [[-1.0]], images=np.zeros((1, 4, 4), np.uint8))


# --------------------------------------------------------------------------- pipeline


def test_pipeline_multi_label_keeps_nan(tmp_path):
    paths = []
    for i in range(3):
        png(tmp_path / f"{i}.png", value=40 * i)
        paths.append(str(tmp_path / f"{i}.png"))
    _ = (tmp_path / "bad.png").write_bytes(b"not an image")
    y = np.array([[1, np.nan], [0, 1], [np.nan, 0], [1, 1]], np.float32)
    s = MultiLabelSet(
        ("Edema", "Mass"),
        y,
        paths=(*paths, str(tmp_path / "bad.png")),
        patient_ids=["a", "b", "c", "d"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        kept = readable(s)
        p = make_dataset(s, size=8, channels=1, batch_size=4, label_mode="multi_label")
    assert (
        isinstance(kept, MultiLabelSet)
        and len(kept) == 3
        and kept.patient_ids.tolist() == ["a", "b", "c"]
    )
    x, labels = next(iter(p.dataset))
    assert x.shape == (3, 8, 8, 1)
    np.testing.assert_array_equal(labels.numpy(), y[:3])
    assert p.counts == {"Edema": 1, "Mass": 1} and p.skipped == (str(tmp_path / "bad.png"),)
    with pytest.raises(ValueError, match="label_mode='multi_label' goes with a MultiLabelSet"):
        make_dataset(kept, size=8, channels=1)
    with pytest.raises(ValueError, match="single-label"):
        make_dataset(
            kept, size=8, channels=1, label_mode="multi_label", sampling="inverse_frequency"
        )
