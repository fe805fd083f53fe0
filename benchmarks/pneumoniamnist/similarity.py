"""How close the validation and test images lie to the training images (labels unused)."""

from __future__ import annotations

from typing import Any

import numpy as np


def split_similarity(images: dict[str, np.ndarray], near: float = 0.99) -> dict[str, Any]:
    """How close the validation and test images lie to the training images.

    Each image is compared with every training image by the Pearson correlation of their
    pixels; its nearest training image gives its similarity. Labels play no part.

    Parameters
    ----------
    images : dict
        ``"train"``, ``"val"`` and ``"test"`` image arrays, shape ``(n, height, width)``.
    near : float
        Correlation above which an image counts as a near-copy of a training image.

    Returns
    -------
    dict
        Per split (``"val"``, ``"test"``): the quartiles of the nearest-neighbour
        correlation, the number of near-copies and of images.
    """

    def standardized(x: np.ndarray) -> np.ndarray:
        flat = x.reshape(len(x), -1).astype(np.float64)
        flat -= flat.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(flat, axis=1, keepdims=True)
        return flat / np.where(norms > 0, norms, 1.0)

    train = standardized(images["train"])
    out: dict[str, Any] = {"method": "Pearson correlation of the pixels", "near": near}
    for split in ("val", "test"):
        nearest = (standardized(images[split]) @ train.T).max(axis=1)
        out[split] = {
            "quartiles": np.percentile(nearest, [25, 50, 75]).tolist(),
            "near_copies": int((nearest > near).sum()),
            "images": len(nearest),
        }
    return out
