"""Synthetic chest-X-ray-like phantoms: the embedded data that needs no download.

Each image is a frontal chest radiograph in caricature: a soft-tissue thorax, two dark
lung fields crossed by curved ribs, the spine and mediastinum, the heart shadow, the
domes of the diaphragm, film grain. Positive ("pneumonia") images add one to three
blurred, patchy opacities inside the lung fields, of varying size and density, so the
task is learnable yet not trivial. Every anatomical proportion is jittered per image.
"""

from __future__ import annotations

import numpy as np

from cxrzoo.data.loaders import ImageSet

__all__ = ["synthetic"]


def synthetic(
    n: int,
    *,
    size: int = 64,
    channels: int = 1,
    seed: int = 0,
    prevalence: float = 0.5,
) -> ImageSet:
    """Make ``n`` phantom chest X-rays, labelled ``normal`` (0) or ``pneumonia`` (1).

    Parameters
    ----------
    n : int
        Number of images (at least 2).
    size : int
        Height and width in pixels (at least 16).
    channels : {1, 3}
        1 for grayscale; 3 repeats the gray image in three channels.
    seed : int
        The same seed gives the same images and labels.
    prevalence : float
        Fraction of pneumonia images, in (0, 1); both classes always appear.

    Returns
    -------
    ImageSet
        In-memory uint8 images of shape ``(n, size, size, channels)``, in a random order.

    Examples
    --------
    >>> from cxrzoo.data import synthetic
    >>> s = synthetic(10, size=32, seed=1)
    >>> s.images.shape, s.counts
    ((10, 32, 32, 1), {'normal': 5, 'pneumonia': 5})
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 16:
        raise ValueError(f"size must be an integer >= 16, got {size!r}")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")
    if not 0.0 < prevalence < 1.0:
        raise ValueError(f"prevalence must be in (0, 1), got {prevalence!r}")
    rng = np.random.default_rng(seed)
    n_pos = min(max(round(n * prevalence), 1), n - 1)
    labels = rng.permutation(np.r_[np.zeros(n - n_pos, np.int64), np.ones(n_pos, np.int64)])
    grid = np.mgrid[-1 : 1 : size * 1j, -1 : 1 : size * 1j]  # (y, x), y grows downwards
    images = np.empty((n, size, size), np.uint8)
    for i, positive in enumerate(labels):
        images[i] = _phantom(rng, grid, bool(positive))
    images = np.repeat(images[..., None], channels, axis=-1)
    return ImageSet(
        ("normal", "pneumonia"),
        labels,
        images=images,
        source=f"synthetic(n={n}, size={size}, channels={channels}, seed={seed})",
    )


def _blob(y, x, cy, cx, ry, rx, edge):
    """A filled ellipse with soft edges: 1 inside, 0 outside, ``edge`` wide transition."""
    r = np.sqrt(((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2)
    return 1.0 / (1.0 + np.exp(np.clip((r - 1.0) / edge, -50, 50)))


def _phantom(rng: np.random.Generator, grid: np.ndarray, positive: bool) -> np.ndarray:
    y, x = grid
    size = y.shape[0]
    u = rng.uniform
    cx = u(-0.05, 0.05)  # patient not quite centred
    scale = u(0.9, 1.05)  # body habitus
    body = _blob(y, x, 0.1, cx, 1.05 * scale, 0.82 * scale, 0.05)  # thorax
    img = 0.12 + 0.4 * body
    lungs = np.zeros_like(img)
    lung_boxes = []
    for side in (-1.0, 1.0):
        ly, lx = u(-0.12, -0.02), cx + side * u(0.33, 0.4) * scale
        ry, rx = u(0.5, 0.6) * scale, u(0.22, 0.27) * scale
        lungs = np.maximum(lungs, _blob(y, x, ly, lx, ry, rx, 0.08))
        lung_boxes.append((ly, lx, ry, rx))
    img -= 0.28 * lungs  # air is dark
    img += 0.22 * body * np.exp(-(((x - cx) / 0.07) ** 2))  # spine and mediastinum
    img += 0.25 * _blob(y, x, u(0.25, 0.35), cx + u(0.08, 0.16), u(0.2, 0.26), u(0.24, 0.3), 0.1)
    for side in (-1.0, 1.0):  # domes of the diaphragm under each lung
        top = u(0.4, 0.5) * scale + 1.2 * (x - cx - side * 0.35) ** 2
        img += 0.3 * body * (1 / (1 + np.exp(-(y - top) / 0.03))) * (np.sign(x - cx) == side)
    phase, spacing = u(0, 0.12), u(0.13, 0.17) * scale
    for k in range(9):  # ribs: bright bands curving down towards the sides
        curve = -0.75 + phase + k * spacing + 0.22 * (x - cx) ** 2
        img += 0.07 * lungs * np.exp(-(((y - curve) / 0.025) ** 2))
    if positive:
        for _ in range(rng.integers(1, 4)):
            ly, lx, ry, rx = lung_boxes[rng.integers(2)]
            oy = ly + ry * u(-0.3, 0.7)  # lower zones more often
            ox = lx + rx * u(-0.6, 0.6)
            sy, sx = u(0.1, 0.25), u(0.1, 0.22)
            patch = np.exp(-(((y - oy) / sy) ** 2) - ((x - ox) / sx) ** 2)
            mottle = 0.85 + 0.15 * rng.standard_normal((size, size))
            img += u(0.15, 0.35) * patch * lungs * mottle
    img = img * u(0.85, 1.15) + u(-0.05, 0.05)  # exposure
    img += rng.normal(0.0, 0.03, img.shape)  # film grain
    return np.clip(img * 255.0, 0, 255).astype(np.uint8)
