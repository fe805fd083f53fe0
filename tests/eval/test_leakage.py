"""Patient leakage between splits: a small example by hand always, the real NIH split when present.

The NIH ChestX-ray14 metadata (``../shared/data/nih_chestxray14/``, its README gives the
figures checked here: 28,008 train_val and 2,797 test patients, none in both) is absent
on a fresh clone; those tests skip then.
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from benchmarks.nih_leakage import NIH_FOLDER, random_image_split, read_nih_metadata
from matplotlib.axes import Axes

from cxreval._plain import to_plain
from cxreval.leakage import patient_overlap

PATIENTS = [10, 10, 11, 12, 12, 12, 13, 14, 14, 15]
SPLIT = ["train", "test", "train", "train", "val", "test", "val", "test", "test", "train"]


def test_synthetic_example_by_hand():
    res = patient_overlap(PATIENTS, SPLIT)
    # patient 10: train+test; 12: train+val+test; 11, 13, 14, 15 in one split each
    assert not res.clean
    assert res.shared_ids.tolist() == [10, 12]
    assert res.images_involved == 5
    assert res.splits == ("test", "train", "val")
    assert res.images == {"test": 4, "train": 4, "val": 2}
    assert res.patients == {"test": 3, "train": 4, "val": 2}
    assert res.overlap.tolist() == [[3, 2, 1], [2, 4, 1], [1, 1, 2]]
    by_pair = {p["splits"]: p for p in res.pairs}
    assert by_pair["test", "train"]["shared_patients"] == 2
    assert by_pair["test", "train"]["images"] == {"test": 2, "train": 2}
    assert by_pair["train", "val"]["images"] == {"train": 1, "val": 1}
    assert str(res) == "LEAKAGE: 2 of 6 patients are in more than one split, with 5 of 10 images"


def test_a_patient_wise_split_is_clean():
    patients = np.repeat(np.arange(20), 3)
    split = np.where(patients < 15, "train", "test")
    res = patient_overlap(patients.astype(str), split)
    assert res.clean and res.n_shared == 0 and res.images_involved == 0
    assert res.overlap.tolist() == [[5, 0], [0, 15]]
    assert str(res).startswith("clean: none of the 20 patients")


def test_result_protocol():
    res = patient_overlap(PATIENTS, SPLIT)
    plain = json.loads(json.dumps(to_plain(res.to_dict(), json_safe=True), allow_nan=False))
    assert plain["shared_ids"] == [10, 12] and plain["clean"] is False
    assert "shared patients" in res.table()
    ax = res.plot()
    try:
        assert isinstance(ax, Axes) and ax.get_title().startswith("LEAKAGE")
    finally:
        plt.close("all")


@pytest.mark.parametrize(
    ("groups", "split", "error", "message"),
    [
        (PATIENTS[:-1], SPLIT, ValueError, "groups must hold one cluster ID per image (10)"),
        ([np.nan, *PATIENTS[1:]], SPLIT, ValueError, "groups contains NaN"),
        ([None, *PATIENTS[1:]], SPLIT, ValueError, "groups contains None"),
        (PATIENTS, ["train"] * 10, ValueError, "split holds one split only"),
        (PATIENTS, [None, *SPLIT[1:]], ValueError, "split contains None"),
        (PATIENTS, [], ValueError, "split is empty"),
    ],
)
def test_bad_input_is_refused_by_name(groups, split, error, message):
    with pytest.raises(error) as info:
        patient_overlap(groups, split)
    assert message in str(info.value)


@pytest.fixture(scope="module")
def nih():
    data = read_nih_metadata(NIH_FOLDER)
    if data is None:
        pytest.skip(f"real data not available: {NIH_FOLDER} is absent (fresh clone)")
    return data


def test_nih_official_split_is_clean(nih):
    res = patient_overlap(nih["patient"], nih["split"])
    assert res.clean and res.n_shared == 0
    assert res.images == {"test": 25_596, "train_val": 86_524}
    assert res.patients == {"test": 2_797, "train_val": 28_008}
    assert res.n_patients == 30_805


def test_nih_random_image_split_leaks(nih):
    res = patient_overlap(nih["patient"], random_image_split(nih["split"], seed=17))
    assert not res.clean
    assert res.images == {"test": 25_596, "train_val": 86_524}  # same sizes
    # seed 17 (benchmarks/nih_leakage.py): 8,453 patients, 79,546 images on both sides
    assert (res.n_shared, res.images_involved) == (8_453, 79_546)
