"""One label space for NIH ChestX-ray14, CheXpert and MIMIC-CXR findings.

Each data set names its findings its own way: NIH writes ``"Effusion"`` and
``"Pleural_Thickening"``, CheXpert and MIMIC-CXR (labelled by the CheXpert labeller) write
``"Pleural Effusion"``. :data:`COMMON_FINDINGS` is the union of the three vocabularies,
under one spelling each; :func:`common_name` maps any data set's spelling to it and
:func:`align_labels` re-orders a label matrix to any target list of findings, leaving a
finding the data set does not label as NaN (unknown), never 0 (absent). A model trained
on one data set can so be scored on another, finding by finding, on what both label.

Findings that are *related* but not the same are deliberately not merged: NIH
``Infiltration`` is not CheXpert ``Lung Opacity``, NIH ``Mass`` and ``Nodule`` are parts of
CheXpert ``Lung Lesion``, and NIH ``Pleural_Thickening`` is one part of CheXpert
``Pleural Other``. Merging them would score a model on a finding it was not trained on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "CHEXPERT_FINDINGS",
    "COMMON_FINDINGS",
    "NIH_FINDINGS",
    "UNCERTAINTY_POLICIES",
    "align_labels",
    "common_name",
    "uncertain_to",
]

#: The 14 findings of NIH ChestX-ray14, in the NIH paper's order and spelling.
NIH_FINDINGS = (
    "Atelectasis",
    "Cardiomegaly",
    "Effusion",
    "Infiltration",
    "Mass",
    "Nodule",
    "Pneumonia",
    "Pneumothorax",
    "Consolidation",
    "Edema",
    "Emphysema",
    "Fibrosis",
    "Pleural_Thickening",
    "Hernia",
)

#: The 14 label columns of CheXpert (and of MIMIC-CXR's CheXpert / NegBio label files).
CHEXPERT_FINDINGS = (
    "No Finding",
    "Enlarged Cardiomediastinum",
    "Cardiomegaly",
    "Lung Opacity",
    "Lung Lesion",
    "Edema",
    "Consolidation",
    "Pneumonia",
    "Atelectasis",
    "Pneumothorax",
    "Pleural Effusion",
    "Pleural Other",
    "Fracture",
    "Support Devices",
)

#: Spellings that differ from the common one (everything else is spelled alike).
_SYNONYMS = {"Effusion": "Pleural Effusion", "Pleural_Thickening": "Pleural Thickening"}

#: The common label space: every finding of NIH, CheXpert and MIMIC-CXR, one spelling each.
#: The seven findings both vocabularies label come first.
COMMON_FINDINGS = (
    "Atelectasis",
    "Cardiomegaly",
    "Consolidation",
    "Edema",
    "Pleural Effusion",
    "Pneumonia",
    "Pneumothorax",
    "Infiltration",
    "Mass",
    "Nodule",
    "Emphysema",
    "Fibrosis",
    "Pleural Thickening",
    "Hernia",
    "No Finding",
    "Enlarged Cardiomediastinum",
    "Lung Opacity",
    "Lung Lesion",
    "Pleural Other",
    "Fracture",
    "Support Devices",
)

#: How CheXpert's "uncertain" label (-1) is read (Irvin et al. 2019): ``"ignore"``
#: (U-Ignore: unknown, NaN), ``"zeros"`` (U-Zeros: negative) or ``"ones"`` (U-Ones: positive).
UNCERTAINTY_POLICIES = {"ignore": np.nan, "zeros": 0.0, "ones": 1.0}


def common_name(name: str) -> str:
    """The common spelling of a finding named by any of the data sets.

    Raises ValueError, listing the known names, for a finding no data set labels.

    Examples
    --------
    >>> from cxrzoo.data.labels import common_name
    >>> common_name("Effusion"), common_name("Pleural Effusion"), common_name("Mass")
    ('Pleural Effusion', 'Pleural Effusion', 'Mass')
    """
    if not isinstance(name, str):
        raise TypeError(f"a finding name must be a str, got {type(name).__name__} {name!r}")
    common = _SYNONYMS.get(name, name)
    if common not in COMMON_FINDINGS:
        known = sorted(set(COMMON_FINDINGS) | set(_SYNONYMS))
        raise ValueError(f"unknown finding {name!r}; known findings: {', '.join(known)}")
    return common


def align_labels(labels: np.ndarray, names: Sequence[str], target: Sequence[str]) -> np.ndarray:
    """Columns of ``labels`` (named ``names``) re-ordered to ``target``; NaN where lacking.

    Both ``names`` and ``target`` may use any data set's spelling (NIH ``"Effusion"`` finds
    CheXpert ``"Pleural Effusion"``). A target finding that ``names`` lacks is a column of
    NaN: unknown, so it is neither trained on nor scored, never counted as absent.

    Parameters
    ----------
    labels : array-like of shape (n, len(names))
        0/1 labels, NaN where unknown.
    names : sequence of str
        The findings of ``labels``' columns.
    target : sequence of str
        The findings wanted, in order.

    Returns
    -------
    numpy.ndarray of shape (n, len(target)), float32

    Examples
    --------
    A CheXpert-style matrix aligned to three NIH findings (NIH's ``Mass`` is not labelled
    by CheXpert, so it is NaN):

    >>> import numpy as np
    >>> from cxrzoo.data.labels import align_labels
    >>> y = np.array([[1.0, 0.0], [0.0, np.nan]])
    >>> align_labels(y, ["Pleural Effusion", "Edema"], ["Edema", "Effusion", "Mass"])
    array([[ 0.,  1., nan],
           [nan,  0., nan]], dtype=float32)
    """
    labels = np.asarray(labels, dtype=np.float32)
    if labels.ndim != 2 or labels.shape[1] != len(names):
        raise ValueError(
            f"labels must have shape (n, {len(names)}) for {len(names)} names, got {labels.shape}"
        )
    for arg, given in (("names", names), ("target", target)):
        if isinstance(given, str):
            raise TypeError(f"{arg} must be a sequence of finding names, not one str {given!r}")
    source = [common_name(n) for n in names]
    wanted = [common_name(n) for n in target]
    for arg, common in (("names", source), ("target", wanted)):
        twice = sorted({c for c in common if common.count(c) > 1})
        if twice:
            raise ValueError(f"{arg} names the finding(s) {twice} more than once")
    out = np.full((labels.shape[0], len(wanted)), np.nan, dtype=np.float32)
    for j, name in enumerate(wanted):
        if name in source:
            out[:, j] = labels[:, source.index(name)]
    return out


def uncertain_to(values: np.ndarray, policy: str, *, unmentioned: str = "nan") -> np.ndarray:
    """CheXpert-labeller values (1, 0, -1, blank) as 0/1/NaN labels under ``policy``.

    Parameters
    ----------
    values : array-like of float
        1 positive, 0 negative, -1 uncertain, NaN blank (the finding is not mentioned).
    policy : {"ignore", "zeros", "ones"}
        U-Ignore (-1 -> NaN), U-Zeros (-1 -> 0) or U-Ones (-1 -> 1), see
        :data:`UNCERTAINTY_POLICIES`.
    unmentioned : {"nan", "negative"}
        A blank (the report does not mention the finding): unknown (NaN, the default) or
        negative (0, as many CheXpert training scripts read it).

    Returns
    -------
    numpy.ndarray, float32

    Examples
    --------
    >>> import numpy as np
    >>> from cxrzoo.data.labels import uncertain_to
    >>> uncertain_to(np.array([1.0, 0.0, -1.0, np.nan]), "ones")
    array([ 1.,  0.,  1., nan], dtype=float32)
    """
    if policy not in UNCERTAINTY_POLICIES:
        raise ValueError(
            f"uncertain must be one of {sorted(UNCERTAINTY_POLICIES)} (U-Ignore, U-Zeros, "
            f"U-Ones), got {policy!r}"
        )
    if unmentioned not in ("nan", "negative"):
        raise ValueError(f"unmentioned must be 'nan' or 'negative', got {unmentioned!r}")
    values = np.asarray(values, dtype=np.float32)
    odd = values[~np.isnan(values) & ~np.isin(values, (1.0, 0.0, -1.0))]
    if odd.size:
        raise ValueError(
            f"label values must be 1, 0, -1 or blank; got {odd.size} other value(s) such as "
            f"{float(odd[0])!r}"
        )
    out = np.where(values == -1.0, np.float32(UNCERTAINTY_POLICIES[policy]), values)
    if unmentioned == "negative":
        out = np.where(np.isnan(values), np.float32(0.0), out)
    return out.astype(np.float32)
