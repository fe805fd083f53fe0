"""Data sets shipped with cxrzoo, loaded the way ``sklearn.datasets.load_*`` loads its own.

:func:`load_pneumoniamnist` reads PneumoniaMNIST (MedMNIST v2, CC BY 4.0; 28x28 grayscale
pediatric chest X-rays, 5,856 images), which ships inside the package (4.2 MB) so that the
demo and the tutorials run on real chest X-rays without a download. Its provenance,
licence and published benchmark are in ``cxrzoo/data/files/README.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from cxrzoo.data.loaders import ImageSet, load_npz

__all__ = ["PNEUMONIAMNIST_CLASSES", "load_pneumoniamnist", "pneumoniamnist_path"]

#: PneumoniaMNIST's class names, for label values 0 and 1.
PNEUMONIAMNIST_CLASSES = ("normal", "pneumonia")


def pneumoniamnist_path() -> Path:
    """The path of the shipped ``pneumoniamnist.npz`` (for ``cxrzoo train --data PATH``).

    Returns
    -------
    pathlib.Path
        The file inside the installed package.

    Examples
    --------
    >>> from cxrzoo.data import pneumoniamnist_path
    >>> pneumoniamnist_path().name
    'pneumoniamnist.npz'
    """
    path = Path(str(resources.files("cxrzoo.data") / "files" / "pneumoniamnist.npz"))
    if not path.is_file():
        raise FileNotFoundError(
            f"the shipped PneumoniaMNIST file is missing: expected {path} (reinstall cxrkit)"
        )
    return path


def load_pneumoniamnist() -> dict[str, ImageSet]:
    """Load PneumoniaMNIST (MedMNIST v2): the official train / val / test split, in memory.

    Real pediatric chest X-rays (Kermany et al. 2018) at 28x28, labelled ``normal`` (0) or
    ``pneumonia`` (1): 4,708 training, 524 validation and 624 test images, 74.2 %, 74.2 %
    and 62.5 % pneumonia. Shipped with the package (CC BY 4.0); nothing is downloaded.

    Returns
    -------
    dict of str to ImageSet
        ``{"train": ..., "val": ..., "test": ...}``, uint8 images ``(n, 28, 28)``.

    References
    ----------
    J. Yang et al., "MedMNIST v2 -- A large-scale lightweight benchmark for 2D and 3D
    biomedical image classification", Scientific Data 10, 41 (2023).

    Examples
    --------
    >>> from cxrzoo.data import load_pneumoniamnist
    >>> data = load_pneumoniamnist()
    >>> {split: len(images) for split, images in data.items()}
    {'test': 624, 'train': 4708, 'val': 524}
    >>> data["test"].counts
    {'normal': 234, 'pneumonia': 390}
    """
    return load_npz(pneumoniamnist_path(), class_names=PNEUMONIAMNIST_CLASSES)
