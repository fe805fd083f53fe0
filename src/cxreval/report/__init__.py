"""Reports: one model (:func:`evaluate`) or several on the same cases (:func:`compare`),
as text, JSON and HTML, saved into a folder and read back (:func:`load_report`).

``evaluation`` and ``comparison`` compute (``findings`` and ``findings_comparison`` for
multi-label models), ``render`` writes text and HTML, ``store`` saves and loads.
"""

from cxreval.report.comparison import Comparison, compare
from cxreval.report.evaluation import Report, evaluate
from cxreval.report.findings import MultilabelReport
from cxreval.report.findings_comparison import MultilabelComparison
from cxreval.report.store import REPORT_FILES, load_report

__all__ = [
    "REPORT_FILES",
    "Comparison",
    "MultilabelComparison",
    "MultilabelReport",
    "Report",
    "compare",
    "evaluate",
    "load_report",
]
