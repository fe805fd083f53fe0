"""matplotlib figures of cxreval results.

matplotlib is imported inside each drawing function, so ``import cxreval`` never imports
it. Every function draws on ``ax`` (a new figure when None) and returns the Axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["plot_confusion_matrix"]


def plot_confusion_matrix(
    cm: Any, *, labels: Any = None, ax: Any = None, cmap: str = "Blues"
) -> Any:
    """Heatmap of a confusion matrix: each cell shows its count and its row percentage.

    Colour is the row percentage (the share of each true class predicted as each class),
    so classes of different sizes compare fairly; the count is printed beside it.

    Parameters
    ----------
    cm : array-like of shape (K, K)
        Counts, true classes in rows and predicted classes in columns.
    labels : sequence of K labels, optional
        Class names in matrix order; default ``0 .. K-1``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    cmap : str, default "Blues"
        Colour map of the row percentages.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.plotting import plot_confusion_matrix
    >>> ax = plot_confusion_matrix([[174, 60], [40, 350]], labels=["NORMAL", "PNEUMONIA"])
    >>> ax.get_xlabel()
    'predicted class'
    """
    import matplotlib.pyplot as plt

    from cxreval.confusion import _check_confusion_matrix, _check_labels

    matrix = _check_confusion_matrix(cm)
    names = _check_labels(labels, matrix.shape[0])
    totals = matrix.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, matrix / np.where(totals > 0, totals, 1), 0.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 + 1.3 * len(names), 1.2 + 1.2 * len(names)))
    image = ax.imshow(share * 100.0, cmap=cmap, vmin=0.0, vmax=100.0)
    ax.figure.colorbar(image, ax=ax, label="% of true class")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            color = "white" if share[i, j] > 0.5 else "black"
            text = f"{matrix[i, j]}\n{share[i, j]:.1%}" if totals[i, 0] else "0\n-"
            ax.text(j, i, text, ha="center", va="center", color=color)
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, [str(x) for x in names])
    ax.set_yticks(ticks, [str(x) for x in names])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix (n = {int(matrix.sum())}), row percentages")
    return ax
