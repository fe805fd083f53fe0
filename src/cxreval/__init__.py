"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval import sparsity_score
from cxreval._version import __version__
from cxreval.band import ROCBand, roc_band
from cxreval.bootstrap import BootstrapResult, bootstrap
from cxreval.bootstrap_statistics import bootstrap_statmaker
from cxreval.calibration import (
    ReliabilityCurve,
    brier_score,
    brier_score_multiclass,
    log_loss,
    reliability_curve,
)
from cxreval.clustered import (
    ClusteredProportion,
    clustered_proportion_ci,
)
from cxreval.confusion import confusion_matrix
from cxreval.coords import (
    SpecificityBand,
    sensitivity_at_specificity,
    specificity_at_sensitivity,
    specificity_band,
)
from cxreval.curve_tests import (
    CurveComparison,
    RateComparison,
    sensitivity_test,
    sensitivity_test_unpaired,
    specificity_test,
    specificity_test_unpaired,
    venkatraman_test,
    venkatraman_test_unpaired,
)
from cxreval.curves import PRCurve, ROCCurve, average_precision, pr_curve, roc_auc, roc_curve
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.decision_inference import (
    DecisionCurveInterval,
    InterventionsAvoided,
    decision_curve_ci,
    net_benefit_difference,
    net_interventions_avoided,
)
from cxreval.delong import clustered_auc_covariance, delong_covariance
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.inference import (
    AUCComparison,
    AUCInterval,
    bootstrap_auc_test,
    delong_test,
    delong_test_unpaired,
    roc_auc_ci,
)
from cxreval.intervals import holm_adjust, proportion_ci, ratio_ci
from cxreval.leakage import PatientOverlap, patient_overlap
from cxreval.multiclass import MulticlassAUC, hand_till_auc, roc_auc_multiclass, roc_auc_ovo
from cxreval.multilabel import (
    CHEXPERT_COMPETITION,
    MultilabelAUC,
    MultilabelOperatingPoints,
    multilabel_auc,
    multilabel_operating_points,
)
from cxreval.operating_point import OperatingPoint, operating_point
from cxreval.partial_roc import (
    PartialAUCInterval,
    partial_auc,
    partial_auc_ci,
    partial_auc_test,
    partial_auc_test_unpaired,
)
from cxreval.power import (
    AUCPower,
    AUCSampleSize,
    AUCTest,
    auc_ci_sample_size,
    auc_difference_power,
    auc_difference_power_from_scores,
    auc_power,
    hanley_mcneil_se,
    roc_auc_test,
)
from cxreval.report import (
    Comparison,
    MultilabelComparison,
    MultilabelReport,
    Report,
    compare,
    evaluate,
    load_report,
)
from cxreval.smoothing import SmoothROC, smooth_roc
from cxreval.sparsity_score import SweepResult, score_sweep
from cxreval.statmaker import (
    BinaryStatistics,
    MulticlassStatistics,
    binary_intervals,
    binary_statistics,
    statmaker,
    statmaker_from_predictions,
)
from cxreval.subgroups import SubgroupAudit, age_bands, subgroup_audit

__all__ = [
    "CHEXPERT_COMPETITION",
    "AUCComparison",
    "AUCInterval",
    "AUCPower",
    "AUCSampleSize",
    "AUCTest",
    "BinaryStatistics",
    "BootstrapResult",
    "ClusteredProportion",
    "Comparison",
    "CurveComparison",
    "DecisionCurve",
    "DecisionCurveInterval",
    "InterventionsAvoided",
    "MulticlassAUC",
    "MulticlassStatistics",
    "MultilabelAUC",
    "MultilabelComparison",
    "MultilabelOperatingPoints",
    "MultilabelReport",
    "OperatingPoint",
    "PRCurve",
    "PartialAUCInterval",
    "PatientOverlap",
    "ROCBand",
    "ROCCurve",
    "RateComparison",
    "ReliabilityCurve",
    "Report",
    "SmoothROC",
    "SpecificityBand",
    "SubgroupAudit",
    "SweepResult",
    "UndefinedStatisticWarning",
    "__version__",
    "age_bands",
    "auc_ci_sample_size",
    "auc_difference_power",
    "auc_difference_power_from_scores",
    "auc_power",
    "average_precision",
    "binary_intervals",
    "binary_statistics",
    "bootstrap",
    "bootstrap_auc_test",
    "bootstrap_statmaker",
    "brier_score",
    "brier_score_multiclass",
    "clustered_auc_covariance",
    "clustered_proportion_ci",
    "compare",
    "confusion_matrix",
    "decision_curve",
    "decision_curve_ci",
    "delong_covariance",
    "delong_test",
    "delong_test_unpaired",
    "evaluate",
    "hand_till_auc",
    "hanley_mcneil_se",
    "holm_adjust",
    "load_report",
    "log_loss",
    "multilabel_auc",
    "multilabel_operating_points",
    "net_benefit_difference",
    "net_interventions_avoided",
    "operating_point",
    "partial_auc",
    "partial_auc_ci",
    "partial_auc_test",
    "partial_auc_test_unpaired",
    "patient_overlap",
    "pr_curve",
    "proportion_ci",
    "ratio_ci",
    "reliability_curve",
    "roc_auc",
    "roc_auc_ci",
    "roc_auc_multiclass",
    "roc_auc_ovo",
    "roc_auc_test",
    "roc_band",
    "roc_curve",
    "score_sweep",
    "sensitivity_at_specificity",
    "sensitivity_test",
    "sensitivity_test_unpaired",
    "smooth_roc",
    "sparsity_score",
    "specificity_at_sensitivity",
    "specificity_band",
    "specificity_test",
    "specificity_test_unpaired",
    "statmaker",
    "statmaker_from_predictions",
    "subgroup_audit",
    "venkatraman_test",
    "venkatraman_test_unpaired",
]
