"""Chest X-ray data sets on disk, read into :class:`ImageSet` splits.

Every loader returns ``{split: ImageSet}`` (``"train"``, ``"val"``, ``"test"``, ...). An
:class:`ImageSet` holds either image file paths or an in-memory array, integer labels and
the class names; :func:`cxrzoo.data.make_dataset` turns it into a ``tf.data`` pipeline.
Loaders only read: nothing is written next to the data. The multi-label data sets (NIH
ChestX-ray14, CheXpert, MIMIC-CXR) load into :class:`~cxrzoo.data.MultiLabelSet`
(:mod:`cxrzoo.data.multilabel`).
"""

from __future__ import annotations

import csv
import os
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "IMAGE_EXTENSIONS",
    "ImageSet",
    "load",
    "load_coronahack",
    "load_folders",
    "load_npz",
]

#: File name endings read as images (decoded by TensorFlow).
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp")

#: Folder names read as the validation split.
_VAL_ALIASES = {"val", "valid", "validation"}


@dataclass(frozen=True, eq=False)
class ImageSet:
    """One split of a data set: images (file paths or an array), labels and class names.

    Parameters
    ----------
    class_names : tuple of str
        Names of the classes; ``labels`` index into it.
    labels : numpy.ndarray
        Integer class index of every image, shape ``(n,)``.
    paths : tuple of str, optional
        Image files (JPEG, PNG or BMP, any size, grayscale or colour).
    images : numpy.ndarray, optional
        In-memory images ``(n, height, width)`` or ``(n, height, width, channels)``, uint8.
    source : str
        Where the images came from, for messages and reports.
    checked : bool
        True once every file has been decoded successfully (see
        :func:`cxrzoo.data.readable`); in-memory images are always checked.

    Examples
    --------
    >>> import numpy as np
    >>> from cxrzoo.data import ImageSet
    >>> s = ImageSet(("normal", "pneumonia"), np.array([0, 1, 1]),
    ...              images=np.zeros((3, 8, 8), np.uint8))
    >>> s.counts
    {'normal': 1, 'pneumonia': 2}
    """

    class_names: tuple[str, ...]
    labels: np.ndarray
    paths: tuple[str, ...] | None = None
    images: np.ndarray | None = None
    source: str = ""
    checked: bool = field(default=False)

    def __post_init__(self) -> None:
        if isinstance(self.class_names, (str, bytes)) or np.ndim(self.class_names) != 1:
            raise TypeError(
                f"class_names must be a sequence of names, got {self.class_names!r:.80}"
            )
        labels = np.asarray(self.labels)
        if labels.ndim != 1 or (labels.size and labels.dtype.kind not in "iu"):
            raise ValueError(
                f"labels must be a 1-D integer array, got {labels.dtype} {labels.shape}"
            )
        if labels.size and (labels.min() < 0 or labels.max() >= len(self.class_names)):
            raise ValueError(
                f"labels must index class_names (0..{len(self.class_names) - 1}), "
                f"got values in [{labels.min()}, {labels.max()}]"
            )
        if (self.paths is None) == (self.images is None):
            raise ValueError("give exactly one of paths= or images=")
        n = len(self.paths) if self.paths is not None else len(self.images)
        if n != len(labels):
            raise ValueError(f"{n} images but {len(labels)} labels")
        object.__setattr__(self, "labels", labels.astype(np.int64))
        object.__setattr__(self, "class_names", tuple(str(c) for c in self.class_names))
        if self.images is not None:
            object.__setattr__(self, "checked", True)

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"ImageSet({len(self)} images: {counts}; {self.source or 'in memory'})"

    @property
    def counts(self) -> dict[str, int]:
        """Number of images of every class (classes without images count 0)."""
        n = np.bincount(self.labels, minlength=len(self.class_names))
        return {name: int(c) for name, c in zip(self.class_names, n, strict=True)}

    def check_classes(self, name: str = "data") -> None:
        """Raise ValueError unless at least two classes have images."""
        present = [c for c, n in self.counts.items() if n]
        if len(present) < 2:
            raise ValueError(
                f"{name} has one class only ({present}) in {self.source or 'memory'}; "
                "at least two are needed"
            )

    def subset(self, indices: Sequence[int] | np.ndarray) -> ImageSet:
        """The images at ``indices`` (same class names), in that order."""
        idx = np.asarray(indices, dtype=np.int64)
        return ImageSet(
            self.class_names,
            self.labels[idx],
            paths=None if self.paths is None else tuple(self.paths[i] for i in idx),
            images=None if self.images is None else self.images[idx],
            source=self.source,
            checked=self.checked,
        )

    def split(self, fraction: float, *, seed: int = 0) -> tuple[ImageSet, ImageSet]:
        """Stratified split into ``(rest, held_out)``: ``fraction`` of every class held out.

        Class ``c`` with ``n_c`` images gives ``floor(fraction * n_c + 0.5)`` of them, drawn
        at random (seeded), to ``held_out``. This is 002's 80/20 train/validation split
        with ``fraction=0.2``. Both parts keep the original order.
        """
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"fraction must be in (0, 1), got {fraction!r}")
        rng = np.random.default_rng(seed)
        held = np.zeros(len(self), bool)
        for c in range(len(self.class_names)):
            members = np.flatnonzero(self.labels == c)
            k = int(np.floor(fraction * len(members) + 0.5))
            held[rng.permutation(members)[:k]] = True
        return self.subset(np.flatnonzero(~held)), self.subset(np.flatnonzero(held))


def load_folders(
    root: str | os.PathLike,
    *,
    classes: Sequence[str] | None = None,
    drop: Sequence[str] = (),
) -> dict[str, ImageSet]:
    """Read ``root/SPLIT/CLASS/*.{jpg,jpeg,png,bmp}`` (or ``root/CLASS/*``) into splits.

    This is the layout of the Kermany / Mooney set (``train|val|test`` /
    ``NORMAL|PNEUMONIA``) and of the jtiptj four-class set (``COVID19``, ``NORMAL``,
    ``PNEUMONIA``, ``TUBERCULOSIS``). A folder whose subfolders hold the images directly
    (``root/CLASS/*``) is read as one split, ``"train"``. Split folders named ``valid`` or
    ``validation`` are read as ``"val"``.

    Parameters
    ----------
    root : path
        The data set folder.
    classes : sequence of str, optional
        Keep only these classes, in this order. Default: every class folder, sorted.
    drop : sequence of str
        Classes to leave out, e.g. ``["TUBERCULOSIS"]`` for 001's three classes.

    Returns
    -------
    dict of str to ImageSet
        One entry per split, all with the same class names.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> from PIL import Image
    >>> from cxrzoo.data import load_folders
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for split, cls in [("train", "NORMAL"), ("train", "PNEUMONIA"), ("test", "NORMAL")]:
    ...     (root / split / cls).mkdir(parents=True)
    ...     Image.fromarray(np.zeros((9, 7), np.uint8)).save(root / split / cls / "a.png")
    >>> splits = load_folders(root)
    >>> sorted(splits), splits["train"].counts
    (['test', 'train'], {'NORMAL': 1, 'PNEUMONIA': 1})
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"data folder {str(root)!r} does not exist or is not a folder")
    subdirs = _subfolders(root)
    single = any(_image_files(d) for d in subdirs)
    if single:  # root/CLASS/*: one split
        layout = {"train": {d.name: _image_files(d) for d in subdirs}}
    else:
        layout = {}
        for d in subdirs:
            split = "val" if d.name.lower() in _VAL_ALIASES else d.name
            layout[split] = {c.name: _image_files(c) for c in _subfolders(d)}
    found = sorted({c for per_class in layout.values() for c, f in per_class.items() if f})
    if not found:
        raise ValueError(
            f"no images ({', '.join(IMAGE_EXTENSIONS)}) found in {str(root)!r}; expected "
            "root/SPLIT/CLASS/image or root/CLASS/image"
        )
    names = _choose_classes(found, classes, drop, source=str(root))
    splits = {}
    for split, per_class in sorted(layout.items()):
        paths = [str(p) for c in names for p in per_class.get(c, [])]
        labels = [i for i, c in enumerate(names) for _ in per_class.get(c, [])]
        if paths:
            splits[split] = ImageSet(
                tuple(names),
                np.array(labels, dtype=np.int64),
                paths=tuple(paths),
                source=str(root if single else root / split),
            )
    return splits


def load_coronahack(
    csv_path: str | os.PathLike,
    *,
    task: str = "four_class",
    image_root: str | os.PathLike | None = None,
) -> dict[str, ImageSet]:
    """Read the CoronaHack metadata CSV for 004's tasks.

    The CSV has the columns ``X_ray_image_name``, ``Label`` (``Normal`` / ``Pnemonia``),
    ``Dataset_type`` (``TRAIN`` / ``TEST``), ``Label_1_Virus_category`` (``bacteria``,
    ``Virus``, ``Stress-Smoking``) and ``Label_2_Virus_category`` (``COVID-19``, ...).
    Images are read from ``image_root/<dataset_type>/<X_ray_image_name>``, with
    ``<dataset_type>`` in lower case as in the Kaggle download.

    Parameters
    ----------
    csv_path : path
        ``Chest_xray_Corona_Metadata.csv``.
    task : {"four_class", "normal_pneumonia", "bacteria_virus"}
        ``"four_class"``: 004's normal / bacteria / virus / COVID-19 (COVID-19 from
        ``Label_2_Virus_category``; other viruses are ``virus``); ``"normal_pneumonia"``:
        the ``Label`` column; ``"bacteria_virus"``: 004's binary task, bacterial against
        viral pneumonia (COVID-19 counted as viral). Rows of any other category
        (``Stress-Smoking``) are left out.
    image_root : path, optional
        Folder holding ``train/`` and ``test/``. Default: the CSV's folder, or its
        ``Coronahack-Chest-XRay-Dataset`` subfolder when that exists (the Kaggle layout).

    Returns
    -------
    dict of str to ImageSet
        ``"train"`` and ``"test"``; classes are in sorted order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxrzoo.data import load_coronahack
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "meta.csv").write_text(
    ...     "X_ray_image_name,Label,Dataset_type,Label_2_Virus_category,Label_1_Virus_category\\n"
    ...     "a.jpeg,Normal,TRAIN,,\\n"
    ...     "b.jpeg,Pnemonia,TRAIN,COVID-19,Virus\\n"
    ...     "c.jpeg,Pnemonia,TEST,,bacteria\\n")
    >>> splits = load_coronahack(d / "meta.csv")
    >>> splits["train"].counts
    {'bacteria': 0, 'covid19': 1, 'normal': 1, 'virus': 0}
    """
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise FileNotFoundError(f"CSV file {str(csv_path)!r} does not exist")
    tasks = ("four_class", "normal_pneumonia", "bacteria_virus")
    if task not in tasks:
        raise ValueError(f"task must be one of {tasks}, got {task!r}")
    if image_root is None:
        kaggle = csv_path.parent / "Coronahack-Chest-XRay-Dataset"
        image_root = kaggle if kaggle.is_dir() else csv_path.parent
    image_root = Path(image_root)
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        needed = ["X_ray_image_name", "Label", "Dataset_type", "Label_1_Virus_category"]
        if task == "four_class":
            needed.append("Label_2_Virus_category")
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"CSV file {str(csv_path)!r} lacks the column(s) {missing}")
        rows = [(r, _coronahack_class(r, task)) for r in reader]
    rows = [(r, c) for r, c in rows if c is not None]
    names = sorted({c for _, c in rows} | set(_CORONAHACK_CLASSES[task]))
    splits: dict[str, tuple[list, list]] = {}
    for r, c in rows:
        split = r["Dataset_type"].strip().lower()
        paths, labels = splits.setdefault(split, ([], []))
        paths.append(str(image_root / split / r["X_ray_image_name"].strip()))
        labels.append(names.index(c))
    if not splits:
        raise ValueError(f"CSV file {str(csv_path)!r} has no rows for task {task!r}")
    return {
        split: ImageSet(
            tuple(names),
            np.array(labels, dtype=np.int64),
            paths=tuple(paths),
            source=f"{csv_path} ({task}, {split})",
        )
        for split, (paths, labels) in sorted(splits.items())
    }


_CORONAHACK_CLASSES = {
    "four_class": ("bacteria", "covid19", "normal", "virus"),
    "normal_pneumonia": ("normal", "pneumonia"),
    "bacteria_virus": ("bacteria", "virus"),
}


def _coronahack_class(row: Mapping[str, str], task: str) -> str | None:
    """The class of one CSV row for ``task``, or None when the row is not part of it."""
    normal = row["Label"].strip().lower() == "normal"
    category = (row.get("Label_1_Virus_category") or "").strip().lower()
    if task == "normal_pneumonia":
        return "normal" if normal else "pneumonia"
    if task == "four_class":
        if normal:
            return "normal"
        if (row.get("Label_2_Virus_category") or "").strip().upper() == "COVID-19":
            return "covid19"
    if normal or category not in ("bacteria", "virus"):
        return None
    return category


def load_npz(
    path: str | os.PathLike, *, class_names: Sequence[str] | None = None
) -> dict[str, ImageSet]:
    """Read a MedMNIST-style ``.npz``: ``{split}_images`` and ``{split}_labels`` arrays.

    Parameters
    ----------
    path : path
        The ``.npz`` file, e.g. ``pneumoniamnist.npz``.
    class_names : sequence of str, optional
        Names of the label values 0, 1, ... Default: the file's ``class_names`` array if it
        has one, else ``"0"``, ``"1"``, ...

    Returns
    -------
    dict of str to ImageSet
        One in-memory split per ``{split}_images`` key.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> from cxrzoo.data import load_npz
    >>> f = os.path.join(tempfile.mkdtemp(), "tiny.npz")
    >>> np.savez(f, train_images=np.zeros((4, 8, 8), np.uint8),
    ...          train_labels=np.array([[0], [1], [1], [0]]))
    >>> load_npz(f, class_names=["normal", "pneumonia"])["train"].counts
    {'normal': 2, 'pneumonia': 2}
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f".npz file {str(path)!r} does not exist")
    arrays = _read_npz(path)
    names = sorted(k[: -len("_images")] for k in arrays if k.endswith("_images"))
    if not names:
        raise ValueError(f".npz file {str(path)!r} has no '<split>_images' array")
    labels = {}
    for split in names:
        if f"{split}_labels" not in arrays:
            raise ValueError(f".npz file {str(path)!r} has {split}_images but no {split}_labels")
        y = arrays[f"{split}_labels"]
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(
                f"{split}_labels has shape {arrays[f'{split}_labels'].shape}; only single-label "
                "data (one class per image) is supported"
            )
        labels[split] = _npz_labels(y, f"{split}_labels", path)
        images = arrays[f"{split}_images"]
        if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] not in (1, 3)):
            raise ValueError(
                f"{split}_images must be (n, h, w) or (n, h, w, 1|3), got {images.shape}"
            )
        if len(images) == 0:
            raise ValueError(f"{split}_images in .npz file {str(path)!r} holds no image")
    k = int(max(y.max() for y in labels.values())) + 1
    if class_names is None:
        stored = arrays.get("class_names")
        if stored is not None and stored.ndim != 1:
            raise ValueError(
                f"class_names in .npz file {str(path)!r} must be a 1-D array of names, got "
                f"shape {stored.shape}"
            )
        if stored is not None and stored.dtype.kind == "S":
            stored = np.char.decode(stored, "utf-8")
        class_names = [str(c) for c in stored] if stored is not None else [str(i) for i in range(k)]
    elif isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence):
        raise TypeError(
            f"class_names must be a sequence of names, got {type(class_names).__name__} "
            f"{class_names!r:.80}"
        )
    if len(class_names) < k:
        raise ValueError(f"class_names has {len(class_names)} names but labels go up to {k - 1}")
    images = _npz_images({split: arrays[f"{split}_images"] for split in names}, path)
    return {
        split: ImageSet(
            tuple(class_names),
            labels[split],
            images=images[split],
            source=f"{path} ({split})",
        )
        for split in names
    }


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of a ``.npz`` file; ValueError naming the file when it is not one."""
    problem = None
    try:
        with np.load(path, allow_pickle=False) as npz:
            if not isinstance(npz, np.lib.npyio.NpzFile):
                raise TypeError
            return {k: npz[k] for k in npz.files}
    except TypeError:  # a .npy file (one array), or "with" on it
        problem = "it holds one array (a .npy file), not named arrays"
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        if path.stat().st_size == 0:
            problem = "it is empty (0 bytes)"
        elif "pickle" in str(error) and zipfile.is_zipfile(path):
            problem = "an array in it holds Python objects; only numeric arrays are read"
        else:  # numpy's own message may suggest allow_pickle=True: never repeat that
            problem = "it is not a zip of .npy arrays (damaged, or another format)"
    raise ValueError(f".npz file {str(path)!r} cannot be read: {problem}")


def _npz_labels(y: np.ndarray, key: str, path: Path) -> np.ndarray:
    """Class numbers as int64: integers, booleans, or floats that are whole numbers."""
    where = f"{key} in .npz file {str(path)!r}"
    if y.dtype.kind in "iub":
        values = y.astype(np.int64)
    elif y.dtype.kind == "f":
        bad = y[~np.isfinite(y)]
        if bad.size:
            raise ValueError(f"{where} holds {bad.size} NaN or infinite value(s)")
        if np.any(y != np.round(y)):
            odd = y[y != np.round(y)]
            raise ValueError(
                f"{where} must hold whole class numbers, got {odd.size} fraction(s) such as "
                f"{float(odd[0])!r}"
            )
        values = y.astype(np.int64)
    else:
        raise TypeError(f"{where} must hold class numbers, got dtype {y.dtype}")
    if values.size == 0:
        raise ValueError(f"{where} is empty")
    if values.min() < 0:
        raise ValueError(f"{where} must hold class numbers >= 0, got {values.min()}")
    return values


def _npz_images(images: dict[str, np.ndarray], path: Path) -> dict[str, np.ndarray]:
    """Every split's images as uint8 0-255, by one rule for the whole file.

    uint8 is taken as it is, and so are other integers or whole-number floats within
    0-255. Floats in [0, 1] are multiplied by 255 and rounded; uint16 images with values
    above 255 are scaled by 255 / 65535 (the type's maximum, so every split and file is
    scaled alike), rounded. Either conversion is announced with a UserWarning. Anything
    else (negative values, NaN, fractions above 1, other types) raises, naming the file.
    """
    kinds = {a.dtype for a in images.values()}
    if kinds == {np.dtype(np.uint8)}:
        return images
    where = f"images in .npz file {str(path)!r}"
    if any(d.kind not in "iuf" for d in kinds):
        raise TypeError(f"{where} must be numbers, got dtype {', '.join(sorted(map(str, kinds)))}")
    if any(d.kind == "f" for d in kinds) and not all(np.isfinite(a).all() for a in images.values()):
        raise ValueError(f"{where} hold NaN or infinite values")
    low = min(float(a.min()) for a in images.values())
    high = max(float(a.max()) for a in images.values())
    whole = all(a.dtype.kind in "iu" or np.all(a == np.round(a)) for a in images.values())
    if low >= 0 and high <= 255 and whole and not (high <= 1 and "f" in {d.kind for d in kinds}):
        return {k: a.astype(np.uint8) for k, a in images.items()}
    scale, conversion = None, ""
    if low >= 0 and high <= 1 and all(d.kind == "f" for d in kinds):
        scale, conversion = 255.0, "float images in [0, 1] multiplied by 255"
    elif low >= 0 and kinds == {np.dtype(np.uint16)}:
        scale = 255.0 / 65535.0
        conversion = (
            f"uint16 images (values {low:g} to {high:g}) scaled by 255/65535 to "
            f"{round(low * scale)} to {round(high * scale)}"
        )
    if scale is None:
        raise ValueError(
            f"{where} have dtype {', '.join(sorted(map(str, kinds)))} and values from {low:g} to "
            f"{high:g}: expected uint8, whole numbers 0-255, floats in [0, 1] or uint16; "
            "convert them to uint8 0-255 first"
        )
    warnings.warn(f"{where}: {conversion}, rounded to uint8 0-255", UserWarning, stacklevel=3)
    return {k: np.round(a.astype(np.float64) * scale).astype(np.uint8) for k, a in images.items()}


def load(path: str | os.PathLike, **options) -> dict[str, ImageSet]:
    """Read a data set, choosing the loader from ``path``.

    A folder goes to :func:`load_folders`, a ``.npz`` file to :func:`load_npz` and a
    ``.csv`` file to :func:`load_coronahack`; ``options`` are passed on.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> from cxrzoo.data import load
    >>> f = os.path.join(tempfile.mkdtemp(), "tiny.npz")
    >>> np.savez(f, test_images=np.zeros((2, 8, 8), np.uint8), test_labels=np.array([0, 1]))
    >>> list(load(f))
    ['test']
    """
    p = Path(path)
    if p.is_dir():
        return load_folders(p, **options)
    if p.suffix.lower() == ".npz":
        return load_npz(p, **options)
    if p.suffix.lower() == ".csv":
        return load_coronahack(p, **options)
    if not p.exists():
        raise FileNotFoundError(f"data path {str(p)!r} does not exist")
    raise ValueError(f"data path {str(p)!r} must be a folder, a .npz file or a .csv file")


def _subfolders(folder: Path) -> list[Path]:
    return sorted(d for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        f
        for f in folder.iterdir()
        if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in IMAGE_EXTENSIONS
    )


def _choose_classes(
    found: list[str], classes: Sequence[str] | None, drop: Sequence[str], *, source: str
) -> list[str]:
    """The class names to keep, in order; unknown names in ``classes``/``drop`` raise."""
    if isinstance(drop, str):
        drop = [drop]
    for arg, given in (("classes", classes or []), ("drop", drop)):
        unknown = [c for c in given if c not in found]
        if unknown:
            raise ValueError(f"{arg}: {unknown} not among the classes {found} of {source!r}")
    names = [c for c in (classes or found) if c not in set(drop)]
    if not names:
        raise ValueError(f"no class left in {source!r} after classes={classes!r}, drop={drop!r}")
    return names
