"""Loaders: folder layouts (Kermany, jtiptj), the CoronaHack CSV and MedMNIST .npz files."""

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from cxrzoo.data import ImageSet, load, load_coronahack, load_folders, load_npz


def write_image(path: Path, *, size=(20, 30), mode="L", value=102) -> Path:
    """A small image file; the format follows the suffix (PNG or JPEG)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((size[0], size[1], 3), value, np.uint8)).convert(mode).save(path)
    return path


def make_tree(root: Path, layout: dict) -> Path:
    """layout: {split: {class: n}} (or {class: n}); images in mixed sizes, modes and formats."""
    modes = ["L", "RGB", "RGBA", "P", "LA"]
    for split, per_class in layout.items():
        items = per_class.items() if isinstance(per_class, dict) else [(None, per_class)]
        for cls, n in items:
            folder = root / split if cls is None else root / split / cls
            for i in range(n):
                mode = modes[i % len(modes)]
                suffix = ".jpg" if mode in ("L", "RGB") and i % 2 else ".png"
                write_image(folder / f"img{i}{suffix}", size=(16 + 5 * i, 24 + 3 * i), mode=mode)
    return root


def test_kermany_layout(tmp_path):
    make_tree(
        tmp_path,
        {
            "train": {"NORMAL": 3, "PNEUMONIA": 5},
            "val": {"NORMAL": 1, "PNEUMONIA": 2},
            "test": {"NORMAL": 2, "PNEUMONIA": 4},
        },
    )
    (tmp_path / "train" / "NORMAL" / "notes.txt").write_text("not an image")
    (tmp_path / "train" / "NORMAL" / ".hidden.png").write_bytes(b"")
    splits = load_folders(tmp_path)
    assert sorted(splits) == ["test", "train", "val"]
    train = splits["train"]
    assert train.class_names == ("NORMAL", "PNEUMONIA")
    assert train.counts == {"NORMAL": 3, "PNEUMONIA": 5}
    assert splits["val"].counts == {"NORMAL": 1, "PNEUMONIA": 2}
    assert splits["test"].counts == {"NORMAL": 2, "PNEUMONIA": 4}
    for path, label in zip(train.paths, train.labels, strict=True):
        assert Path(path).parent.name == train.class_names[label]
    assert train.source == str(tmp_path / "train")
    assert not train.checked


def test_validation_alias_and_class_folder_layout(tmp_path):
    make_tree(tmp_path / "a", {"train": {"N": 2, "P": 2}, "validation": {"N": 1, "P": 1}})
    assert sorted(load_folders(tmp_path / "a")) == ["train", "val"]
    make_tree(tmp_path / "b", {"N": 2, "P": 3})  # root/CLASS/*
    splits = load_folders(tmp_path / "b")
    assert list(splits) == ["train"]
    assert splits["train"].counts == {"N": 2, "P": 3}


def test_jtiptj_four_classes_and_drop(tmp_path):
    layout = {"COVID19": 2, "NORMAL": 3, "PNEUMONIA": 4, "TUBERCULOSIS": 1}
    make_tree(tmp_path, {"train": layout, "test": layout})
    four = load_folders(tmp_path)
    assert four["train"].class_names == ("COVID19", "NORMAL", "PNEUMONIA", "TUBERCULOSIS")
    three = load_folders(tmp_path, drop=["TUBERCULOSIS"])  # 001's three classes
    assert three["train"].class_names == ("COVID19", "NORMAL", "PNEUMONIA")
    assert three["train"].counts == {"COVID19": 2, "NORMAL": 3, "PNEUMONIA": 4}
    assert sorted(set(three["train"].labels.tolist())) == [0, 1, 2]
    ordered = load_folders(tmp_path, classes=["NORMAL", "COVID19"])
    assert ordered["test"].class_names == ("NORMAL", "COVID19")
    assert ordered["test"].counts == {"NORMAL": 3, "COVID19": 2}
    with pytest.raises(ValueError, match=r"drop: \['TB'\] not among the classes"):
        load_folders(tmp_path, drop=["TB"])
    with pytest.raises(ValueError, match="no class left"):
        load_folders(tmp_path, classes=["NORMAL"], drop=["NORMAL"])


def test_class_missing_from_a_split_counts_zero(tmp_path):
    make_tree(tmp_path, {"train": {"A": 2, "B": 2}, "test": {"A": 1}})
    assert load_folders(tmp_path)["test"].counts == {"A": 1, "B": 0}


def test_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_folders(tmp_path / "nowhere")
    (tmp_path / "train" / "NORMAL").mkdir(parents=True)
    (tmp_path / "train" / "NORMAL" / "readme.txt").write_text("x")
    with pytest.raises(ValueError, match="no images"):
        load_folders(tmp_path)


CSV_HEADER = "X_ray_image_name,Label,Dataset_type,Label_2_Virus_category,Label_1_Virus_category\n"
CSV_ROWS = [
    ("n1.jpeg", "Normal", "TRAIN", "", ""),
    ("n2.jpeg", "Normal", "TRAIN", "", ""),
    ("b1.jpeg", "Pnemonia", "TRAIN", "", "bacteria"),
    ("b2.jpeg", "Pnemonia", "TRAIN", "Streptococcus", "bacteria"),
    ("v1.jpeg", "Pnemonia", "TRAIN", "", "Virus"),
    ("c1.jpeg", "Pnemonia", "TRAIN", "COVID-19", "Virus"),
    ("s1.jpeg", "Pnemonia", "TRAIN", "", "Stress-Smoking"),
    ("n3.jpeg", "Normal", "TEST", "", ""),
    ("v2.jpeg", "Pnemonia", "TEST", "", "Virus"),
]


def write_coronahack(root: Path) -> Path:
    csv = root / "Chest_xray_Corona_Metadata.csv"
    csv.write_text(CSV_HEADER + "".join(",".join(r) + "\n" for r in CSV_ROWS))
    for name, _, split, _, _ in CSV_ROWS:
        write_image(root / split.lower() / name, size=(12, 14), mode="L")
    return csv


def test_coronahack_tasks(tmp_path):
    csv = write_coronahack(tmp_path)
    four = load_coronahack(csv)
    assert four["train"].class_names == ("bacteria", "covid19", "normal", "virus")
    assert four["train"].counts == {"bacteria": 2, "covid19": 1, "normal": 2, "virus": 1}
    assert four["test"].counts == {"bacteria": 0, "covid19": 0, "normal": 1, "virus": 1}
    assert str(tmp_path / "train" / "c1.jpeg") in four["train"].paths
    binary = load_coronahack(csv, task="normal_pneumonia")
    assert binary["train"].counts == {"normal": 2, "pneumonia": 5}  # Stress-Smoking counts
    bv = load_coronahack(csv, task="bacteria_virus")
    assert bv["train"].counts == {"bacteria": 2, "virus": 2}  # COVID-19 is viral


def test_coronahack_kaggle_folder_and_errors(tmp_path):
    csv = tmp_path / "meta.csv"
    csv.write_text(CSV_HEADER + "a.jpeg,Normal,TRAIN,,\nb.jpeg,Pnemonia,TRAIN,,bacteria\n")
    (tmp_path / "Coronahack-Chest-XRay-Dataset").mkdir()
    splits = load_coronahack(csv, task="normal_pneumonia")
    assert splits["train"].paths[0] == str(
        tmp_path / "Coronahack-Chest-XRay-Dataset" / "train" / "a.jpeg"
    )
    with pytest.raises(ValueError, match="task must be one of"):
        load_coronahack(csv, task="three")
    bad = tmp_path / "bad.csv"
    bad.write_text("X_ray_image_name,Label\na.jpeg,Normal\n")
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['Dataset_type'"):
        load_coronahack(bad)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_coronahack(tmp_path / "missing.csv")


def test_npz(tmp_path):
    f = tmp_path / "tiny.npz"
    rng = np.random.default_rng(0)
    np.savez(
        f,
        train_images=rng.integers(0, 255, (6, 8, 8), dtype=np.uint8),
        train_labels=np.array([[0], [1], [1], [0], [1], [1]]),
        test_images=rng.integers(0, 255, (3, 8, 8, 3), dtype=np.uint8),
        test_labels=np.array([1, 0, 1]),
    )
    splits = load_npz(f, class_names=["normal", "pneumonia"])
    assert sorted(splits) == ["test", "train"]
    assert splits["train"].counts == {"normal": 2, "pneumonia": 4}
    assert splits["test"].images.shape == (3, 8, 8, 3)
    assert splits["train"].checked
    assert load(f)["train"].class_names == ("0", "1")


def test_npz_errors(tmp_path):
    multi = tmp_path / "multi.npz"
    np.savez(multi, train_images=np.zeros((2, 4, 4), np.uint8), train_labels=np.zeros((2, 14)))
    with pytest.raises(ValueError, match="only single-label"):
        load_npz(multi)
    nolab = tmp_path / "nolab.npz"
    np.savez(nolab, train_images=np.zeros((2, 4, 4), np.uint8))
    with pytest.raises(ValueError, match="no train_labels"):
        load_npz(nolab)
    few = tmp_path / "few.npz"
    np.savez(few, train_images=np.zeros((2, 4, 4), np.uint8), train_labels=np.array([0, 2]))
    with pytest.raises(ValueError, match="class_names has 2 names but labels go up to 2"):
        load_npz(few, class_names=["a", "b"])


def test_real_pneumoniamnist(pneumoniamnist_path):
    splits = load(pneumoniamnist_path, class_names=["normal", "pneumonia"])
    assert splits["train"].counts == {"normal": 4708 - 3494, "pneumonia": 3494}
    assert splits["val"].counts == {"normal": 524 - 389, "pneumonia": 389}
    assert splits["test"].counts == {"normal": 624 - 390, "pneumonia": 390}
    assert splits["test"].images.shape == (624, 28, 28)


def test_load_dispatch_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load(tmp_path / "nothing.npz")
    other = tmp_path / "x.txt"
    other.write_text("x")
    with pytest.raises(ValueError, match=r"must be a folder, a \.npz file or a \.csv file"):
        load(other)


def test_imageset_split_subset_and_checks():
    labels = np.array([0] * 30 + [1] * 70)
    s = ImageSet(("a", "b"), labels, images=np.zeros((100, 4, 4), np.uint8))
    rest, held = s.split(0.2, seed=0)
    assert (len(rest), len(held)) == (80, 20)
    assert held.counts == {"a": 6, "b": 14}  # stratified
    again = s.split(0.2, seed=0)[1]
    assert np.array_equal(held.labels, again.labels)
    sub = s.subset([99, 0])
    assert sub.labels.tolist() == [1, 0]
    with pytest.raises(ValueError, match="fraction must be in"):
        s.split(1.0)
    with pytest.raises(ValueError, match="labels must index class_names"):
        ImageSet(("a",), np.array([0, 1]), images=np.zeros((2, 4, 4), np.uint8))
    with pytest.raises(ValueError, match="exactly one of paths= or images="):
        ImageSet(("a",), np.array([0]))
    with pytest.raises(ValueError, match="3 images but 2 labels"):
        ImageSet(("a",), np.array([0, 0]), images=np.zeros((3, 4, 4), np.uint8))


@settings(max_examples=40)
@given(
    st.lists(st.integers(2, 60), min_size=2, max_size=4),
    st.floats(0.1, 0.5),
    st.integers(0, 10_000),
)
def test_split_is_a_stratified_partition(counts, fraction, seed):
    labels = np.repeat(np.arange(len(counts)), counts)
    s = ImageSet(
        tuple("abcd"[: len(counts)]), labels, images=np.zeros((len(labels), 1, 1), np.uint8)
    )
    rest, held = s.split(fraction, seed=seed)
    assert len(rest) + len(held) == len(s)
    for (name, n_c), h in zip(s.counts.items(), held.counts.values(), strict=True):
        assert abs(h - fraction * n_c) <= 0.5 + 1e-9, name  # every class keeps its share
    assert s.split(fraction, seed=seed)[1].labels.tolist() == held.labels.tolist()


def _npz(tmp_path, images, labels=(0, 1, 1, 0), **more):
    f = tmp_path / "data.npz"
    np.savez(f, train_images=images, train_labels=np.asarray(labels), **more)
    return f


def test_npz_images_are_accepted_converted_with_a_warning_or_refused(tmp_path):
    import warnings

    ramp = np.linspace(0, 1, 4 * 4 * 4).reshape(4, 4, 4)
    with pytest.warns(UserWarning, match=r"float images in \[0, 1\] multiplied by 255"):
        got = load_npz(_npz(tmp_path, ramp))["train"].images
    assert got.dtype == np.uint8 and got.max() == 255
    np.testing.assert_array_equal(got, np.round(ramp * 255).astype(np.uint8))
    wide = (ramp * 65535).astype(np.uint16)
    with pytest.warns(
        UserWarning, match=r"uint16 images \(values 0 to 65535\) scaled by 255/65535"
    ):
        got = load_npz(_npz(tmp_path, wide))["train"].images
    np.testing.assert_array_equal(got, np.round(wide / 65535 * 255).astype(np.uint8))
    with warnings.catch_warnings():  # unambiguous: taken as they are, without a warning
        warnings.simplefilter("error")
        for same in ((ramp * 255).round(), (ramp * 255).round().astype(np.int64)):
            got = load_npz(_npz(tmp_path, same))["train"].images
            np.testing.assert_array_equal(got, same.astype(np.uint8))
    for bad, message in [
        (ramp * 100, r"values from 0 to 100: expected uint8"),  # fractions above 1
        (ramp - 0.5, r"values from -0\.5 to 0\.5"),
        (np.full((4, 4, 4), np.nan), "NaN or infinite"),
        ((ramp * 1000).astype(np.int32), r"dtype int32 and values from 0 to 1000"),
    ]:
        with pytest.raises(ValueError, match=message):
            load_npz(_npz(tmp_path, bad))
    with pytest.raises(TypeError, match="must be numbers, got dtype bool"):
        load_npz(_npz(tmp_path, ramp > 0.5))


def test_npz_labels_must_be_whole_class_numbers(tmp_path):
    images = np.zeros((4, 4, 4), np.uint8)
    whole = load_npz(_npz(tmp_path, images, [0.0, 1.0, 1.0, 0.0]))["train"]
    assert whole.labels.tolist() == [0, 1, 1, 0]
    for labels, error, message in [
        (
            [0.3, 0.9, 0.0, 1.0],
            ValueError,
            r"whole class numbers, got 2 fraction\(s\) such as 0\.3",
        ),
        ([np.nan, 1, 0, 1], ValueError, r"train_labels in \.npz file .* 1 NaN or infinite"),
        ([-1, 1, 0, 1], ValueError, "class numbers >= 0, got -1"),
        (["a", "b", "a", "b"], TypeError, "must hold class numbers, got dtype <U1"),
    ]:
        with pytest.raises(error, match=message):
            load_npz(_npz(tmp_path, images, labels))


def test_npz_files_that_are_not_archives_are_named_never_with_advice_to_unpickle(tmp_path):
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    text = tmp_path / "text.npz"
    text.write_text("these are not arrays\n" * 10)
    single = tmp_path / "single.npz"
    with open(single, "wb") as f:
        np.save(f, np.zeros(3))
    objects = tmp_path / "objects.npz"
    np.savez(objects, train_images=np.array([None, 1], dtype=object), train_labels=[0, 1])
    for file, reason in [
        (empty, r"it is empty \(0 bytes\)"),
        (text, "it is not a zip of .npy arrays"),
        (single, r"it holds one array \(a \.npy file\)"),
        (objects, "an array in it holds Python objects"),
    ]:
        with pytest.raises(
            ValueError, match=f"{re.escape(repr(str(file)))} cannot be read: {reason}"
        ) as info:
            load_npz(file)
        assert "allow_pickle" not in str(info.value)


def test_npz_empty_split_and_scalar_class_names_are_named(tmp_path):
    f = tmp_path / "d.npz"
    np.savez(f, train_images=np.zeros((0, 4, 4), np.uint8), train_labels=np.zeros(0, int))
    with pytest.raises(ValueError, match="is empty"):
        load_npz(f)
    np.savez(f, test_images=np.zeros((2, 4, 4), np.uint8), test_labels=np.zeros((2, 1)),
             train_images=np.zeros((0, 4, 4), np.uint8), train_labels=np.zeros((0, 1)))  # fmt: skip
    with pytest.raises(ValueError, match=r"train_labels in \.npz file .* is empty"):
        load_npz(f)
    f2 = _npz(tmp_path, np.zeros((4, 4, 4), np.uint8), class_names=np.array("normal"))
    with pytest.raises(ValueError, match=r"class_names in \.npz file .* 1-D array of names"):
        load_npz(f2)
    with pytest.raises(TypeError, match="class_names must be a sequence of names"):
        load_npz(_npz(tmp_path, np.zeros((4, 4, 4), np.uint8)), class_names="ab")
    with pytest.raises(TypeError, match="class_names must be a sequence of names"):
        ImageSet("ab", np.array([0, 1]), images=np.zeros((2, 4, 4), np.uint8))
