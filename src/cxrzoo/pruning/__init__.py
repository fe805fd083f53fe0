"""Pruning Keras 3 models: weight masks, gradual pruning, honest reports and sparsity sweeps.

``import cxrzoo.pruning`` (this subpackage imports Keras; ``import cxrzoo`` does not).

* :func:`prune` -- a pruned copy and its :class:`PruningMasks` (magnitude or random,
  global or per layer); the copy holds its masks through fine-tuning.
* :class:`PolynomialDecay` + :class:`UpdatePruning` -- gradual pruning during training.
* :func:`strip` -- a plain Keras model to save.
* :func:`sparsity_report` and :func:`measure_gain` -- the real sparsity, compressed size and
  inference time, dense versus pruned.
* :func:`sweep` -- every sparsity level evaluated and scored by
  :func:`cxreval.sparsity_score.score_sweep`.
"""

from cxrzoo.pruning.masks import (
    METHODS,
    PRUNABLE_LAYERS,
    SCOPES,
    PruningMasks,
    UpdatePruning,
    get_masks,
    prunable_weights,
    prune,
    strip,
)
from cxrzoo.pruning.report import PruningGain, SparsityReport, measure_gain, sparsity_report
from cxrzoo.pruning.schedule import PolynomialDecay
from cxrzoo.pruning.sweep import DEFAULT_LEVELS, PruningSweep, sweep

__all__ = [
    "DEFAULT_LEVELS",
    "METHODS",
    "PRUNABLE_LAYERS",
    "SCOPES",
    "PolynomialDecay",
    "PruningGain",
    "PruningMasks",
    "PruningSweep",
    "SparsityReport",
    "UpdatePruning",
    "get_masks",
    "measure_gain",
    "prunable_weights",
    "prune",
    "sparsity_report",
    "strip",
    "sweep",
]
