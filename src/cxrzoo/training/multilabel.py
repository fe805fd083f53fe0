"""Multi-label training in Keras terms: losses that ignore missing (NaN) labels and the
per-finding AUC tracked while training.

A multi-label model has one sigmoid unit per finding; its labels are a float matrix with
1 (positive), 0 (negative) and NaN (not labelled: CheXpert's uncertain findings under
U-Ignore, a finding another data set does not label). Every loss here is *masked*: a NaN
entry contributes nothing, and the sum over the observed entries is divided by their
number, so a batch with many missing labels is not pulled towards zero loss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import keras
from keras import ops

__all__ = [
    "MaskedAUC",
    "MaskedBinaryCrossentropy",
    "MaskedFocalCrossentropy",
    "finding_metrics",
    "metric_name",
]

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before their logarithm.
EPSILON = 1e-7


def metric_name(finding: str) -> str:
    """The history column of a finding's AUC: ``auc_`` + its name in lower snake case.

    Examples
    --------
    >>> metric_name("Pleural_Thickening"), metric_name("Pleural Effusion")
    ('auc_pleural_thickening', 'auc_pleural_effusion')
    """
    return "auc_" + re.sub(r"[^0-9a-z]+", "_", finding.lower()).strip("_")


def _masked(y_true, y_pred):
    """(mask of observed labels as 0/1, labels with NaN -> 0, clipped probabilities)."""
    y_pred = ops.cast(y_pred, "float32")
    y_true = ops.cast(y_true, "float32")
    observed = ops.logical_not(ops.isnan(y_true))
    mask = ops.cast(observed, "float32")
    y = ops.where(observed, y_true, ops.zeros_like(y_true))
    return mask, y, ops.clip(y_pred, EPSILON, 1.0 - EPSILON)


class _MaskedLoss(keras.losses.Loss):
    """Shared masking, weighting and normalization; subclasses give the per-entry loss."""

    def __init__(
        self,
        pos_weight: Sequence[float] | None = None,
        neg_weight: Sequence[float] | None = None,
        name: str = "masked_loss",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.pos_weight = None if pos_weight is None else [float(w) for w in pos_weight]
        self.neg_weight = None if neg_weight is None else [float(w) for w in neg_weight]

    def entries(self, y, p):
        raise NotImplementedError

    def call(self, y_true, y_pred):
        mask, y, p = _masked(y_true, y_pred)
        loss = self.entries(y, p)
        if self.pos_weight is not None:
            pos = ops.convert_to_tensor(self.pos_weight, "float32")
            neg = ops.convert_to_tensor(self.neg_weight, "float32")
            loss = loss * (y * pos + (1.0 - y) * neg)
        # per image: its share of (sum over the batch's observed entries) / (their number);
        # Keras' mean over the batch then gives exactly that ratio
        per_image = ops.sum(loss * mask, axis=-1)
        batch = ops.cast(ops.shape(mask)[0], "float32")
        return per_image * batch / ops.maximum(ops.sum(mask), 1.0)

    def get_config(self):
        return {
            **super().get_config(),
            "pos_weight": self.pos_weight,
            "neg_weight": self.neg_weight,
        }


@keras.saving.register_keras_serializable(package="cxrzoo")
class MaskedBinaryCrossentropy(_MaskedLoss):
    """Binary cross-entropy over the observed labels of a multi-label batch.

    ``loss = sum_ij m_ij w_ij l_ij / sum_ij m_ij`` over the images i and findings j of a
    batch, where ``m_ij`` is 0 for a NaN label and 1 otherwise,
    ``l_ij = -(y log p + (1 - y) log(1 - p))`` and ``w_ij`` is ``pos_weight[j]`` for a
    positive label, ``neg_weight[j]`` for a negative one (1 without weights; see
    :meth:`cxrzoo.ClassWeight.finding_weights` for CheXNet's weights).

    Parameters
    ----------
    pos_weight, neg_weight : sequence of float, optional
        One weight per finding, given together.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, np.nan], [0.0, 1.0]], "float32")
    >>> p = np.array([[0.8, 0.1], [0.4, 0.9]], "float32")
    >>> loss = float(MaskedBinaryCrossentropy()(y, p))
    >>> round(loss, 5) == round(float(-(np.log(0.8) + np.log(0.6) + np.log(0.9)) / 3), 5)
    True
    """

    def __init__(self, pos_weight=None, neg_weight=None, name="masked_binary_crossentropy", **kw):
        super().__init__(pos_weight, neg_weight, name=name, **kw)

    def entries(self, y, p):
        return -(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))


@keras.saving.register_keras_serializable(package="cxrzoo")
class MaskedFocalCrossentropy(_MaskedLoss):
    """Lin et al.'s (2017) focal loss per finding, over the observed labels.

    ``l_ij = -alpha_t (1 - p_t)^gamma log(p_t)`` with ``p_t = p`` for a positive label and
    ``1 - p`` for a negative one, ``alpha_t = alpha`` and ``1 - alpha`` respectively (no
    alpha term when ``alpha`` is None); masked, weighted and normalized as
    :class:`MaskedBinaryCrossentropy`. ``gamma = 0`` without alpha is the cross-entropy.

    Parameters
    ----------
    gamma : float
        Focusing parameter (>= 0).
    alpha : float, optional
        Balancing weight of the positives, in [0, 1].
    pos_weight, neg_weight : sequence of float, optional
        Per-finding weights, as for :class:`MaskedBinaryCrossentropy`.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, np.nan, 0.0]], "float32")
    >>> p = np.array([[0.9, 0.5, 0.2]], "float32")
    >>> focal = float(MaskedFocalCrossentropy(gamma=2.0)(y, p))
    >>> expected = -(0.1**2 * np.log(0.9) + 0.2**2 * np.log(0.8)) / 2
    >>> bool(np.isclose(focal, expected))
    True
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float | None = None,
        pos_weight=None,
        neg_weight=None,
        name="masked_focal_crossentropy",
        **kw,
    ):
        super().__init__(pos_weight, neg_weight, name=name, **kw)
        if gamma < 0:
            raise ValueError(f"gamma must be >= 0, got {gamma!r}")
        if alpha is not None and not 0 <= alpha <= 1:
            raise ValueError(f"alpha must be None or in [0, 1], got {alpha!r}")
        self.gamma = float(gamma)
        self.alpha = None if alpha is None else float(alpha)

    def entries(self, y, p):
        p_t = y * p + (1.0 - y) * (1.0 - p)
        loss = -ops.power(1.0 - p_t, self.gamma) * ops.log(p_t)
        if self.alpha is not None:
            loss = loss * (y * self.alpha + (1.0 - y) * (1.0 - self.alpha))
        return loss

    def get_config(self):
        return {**super().get_config(), "gamma": self.gamma, "alpha": self.alpha}


@keras.saving.register_keras_serializable(package="cxrzoo")
class MaskedAUC(keras.metrics.AUC):
    """ROC AUC that skips NaN labels: of one finding (``index``) or, by default, the mean
    over all findings (Keras' ``multi_label=True`` AUC, each finding's AUC computed on
    its observed labels only).

    Parameters
    ----------
    num_labels : int
        Findings (columns of the labels).
    index : int, optional
        The finding whose AUC this is; None: the mean over the findings.
    name : str
    num_thresholds : int
        Thresholds of Keras' AUC approximation.

    Examples
    --------
    >>> import numpy as np
    >>> m = MaskedAUC(2, index=0)
    >>> m.update_state(np.array([[1, np.nan], [0, 1], [np.nan, 0]], "float32"),
    ...                np.array([[0.9, 0.2], [0.1, 0.8], [0.95, 0.3]], "float32"))
    >>> float(m.result())
    1.0
    """

    def __init__(
        self,
        num_labels: int,
        index: int | None = None,
        name: str = "auc",
        num_thresholds: int = 200,
        **kwargs,
    ):
        kwargs.pop("multi_label", None)
        kwargs.pop("num_labels", None)
        super().__init__(
            num_thresholds=num_thresholds,
            name=name,
            multi_label=index is None,
            num_labels=None if index is not None else num_labels,
            **kwargs,
        )
        self.total_labels, self.index = int(num_labels), index

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "float32")
        y_pred = ops.cast(y_pred, "float32")
        if self.index is not None:
            y_true, y_pred = y_true[:, self.index], y_pred[:, self.index]
        observed = ops.logical_not(ops.isnan(y_true))
        weight = ops.cast(observed, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            if self.index is None and len(sample_weight.shape) == 1:
                sample_weight = sample_weight[:, None]
            weight = weight * sample_weight
        y = ops.where(observed, y_true, ops.zeros_like(y_true))
        return super().update_state(y, y_pred, sample_weight=weight)

    def get_config(self):
        config = super().get_config()
        for key in ("multi_label", "num_labels", "label_weights", "from_logits"):
            config.pop(key, None)
        return {**config, "num_labels": self.total_labels, "index": self.index}


def finding_metrics(findings: Sequence[str]) -> list[MaskedAUC]:
    """The AUC metrics of a multi-label model: the mean over the findings (``"auc"``) and
    one per finding (:func:`metric_name`), each skipping missing labels.

    Examples
    --------
    >>> [m.name for m in finding_metrics(["Effusion", "Mass"])]
    ['auc', 'auc_effusion', 'auc_mass']
    """
    findings = list(findings)
    names = [metric_name(f) for f in findings]
    if len(set(names)) != len(names):
        raise ValueError(f"findings {findings} do not give distinct metric names {names}")
    return [
        MaskedAUC(len(findings), name="auc"),
        *(MaskedAUC(len(findings), index=j, name=n) for j, n in enumerate(names)),
    ]
