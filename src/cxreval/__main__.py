"""``python -m cxreval``: statmaker on a real example, report 000's best model.

Report 000 trained pneumonia classifiers on chest X-rays and published recall, precision,
F1, "AUC" and accuracy per model on a test split of 390 pneumonia and 234 normal images.
Its best model, "Arch 2", has recall 0.8974 and precision 0.8537; on that split only one
confusion matrix gives both numbers, [[TN, FP], [FN, TP]] = [[174, 60], [40, 350]].
This command prints statmaker's full table for that matrix and sets the published numbers
beside the recomputed ones.
"""

from __future__ import annotations

import argparse
import sys

from tabulate import tabulate

from cxreval._checks import check_level
from cxreval.confusion import statmaker
from cxreval.intervals import PROPORTION_CI_METHODS

#: 000's "Arch 2" test-set matrix, rebuilt from its published recall and precision.
ARCH2_MATRIX = [[174, 60], [40, 350]]
#: The row of 000's Fig. 1 for "Arch 2", as printed.
ARCH2_PUBLISHED = {
    "recall": 0.8974,
    "precision": 0.8537,
    "f1": 0.875,
    "auc_single_point": 0.8205,
    "accuracy": 0.8397,
}


def main(argv: list[str] | None = None) -> int:
    """Print the example; ``argv`` as on the command line (``--level``, ``--ci-method``)."""
    parser = argparse.ArgumentParser(
        prog="python -m cxreval",
        description="statmaker on report 000's best model (Arch 2), with confidence intervals.",
    )
    parser.add_argument("--level", type=float, default=0.95, help="confidence level")
    parser.add_argument(
        "--ci-method",
        choices=sorted(PROPORTION_CI_METHODS),
        default="wilson",
        help="interval method for proportions",
    )
    args, extra = parser.parse_known_args(argv)
    if extra:
        hint = ""
        if not extra[0].startswith("-"):  # e.g. "python -m cxreval report ..."
            hint = (
                "; python -m cxreval only prints this example, the cxreval command is "
                f"'cxreval {extra[0]} ...' or 'python -m cxreval.cli {extra[0]} ...'"
            )
        parser.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    try:
        level = check_level(args.level, "--level")
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    s = statmaker(
        ARCH2_MATRIX,
        labels=["NORMAL", "PNEUMONIA"],
        level=level,
        ci_method=args.ci_method,
    )
    print(
        "Report 000, model 'Arch 2' (its best): test split of 390 PNEUMONIA and 234 NORMAL\n"
        "chest X-rays. The published recall 0.8974 and precision 0.8537 fit exactly one\n"
        f"confusion matrix on that split, [[TN, FP], [FN, TP]] = {ARCH2_MATRIX}.\n"
    )
    print(s.table())
    rows = [
        [key, f"{published:.4f}", f"{s[key]:.4f}", "yes" if round(s[key], 4) == published else "NO"]
        for key, published in ARCH2_PUBLISHED.items()
    ]
    print("\nPublished (000, Fig. 1) against statmaker:")
    print(
        tabulate(
            rows, headers=["statistic", "published", "statmaker", "agree"], disable_numparse=True
        )
    )
    print(
        "\nThe report's 'AUC' is computed from one confusion matrix: it is the area under a\n"
        "one-point ROC, (TPR + TNR) / 2 = auc_single_point, not a ranking AUC over scores."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
