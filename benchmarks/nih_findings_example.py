"""Many findings and subgroups on NIH ChestX-ray14's official test split, with SIMULATED scores.

Reads the real metadata in ``../shared/data/nih_chestxray14/`` (14 finding labels, patient
ID, age, sex and view of every image, the official patient-wise split; no images) and
draws a SIMULATED score per image and finding (no model is run: a finding present shifts
its score by a per-finding amount -- by 30 % less for women, a disparity built in for the
audit to find -- plus a shared per-patient offset). On the 25,596 test
images of 2,797 patients it runs

1. :func:`cxreval.multilabel.multilabel_auc` with ``groups=`` the patient IDs: per-finding
   AUCs with Obuchowski's clustered intervals and the mean AUCs;
2. :func:`cxreval.subgroups.subgroup_audit` for "any finding" (1 - "No Finding") by sex,
   age band and view at the threshold chosen by Youden's J on the train_val images.

    python benchmarks/nih_findings_example.py [--data DIR] [--seed 17] [--figures docs/_static]

Prints the two tables; with ``--figures`` saves ``nih_findings_forest.png`` and
``nih_subgroups_forest.png`` there. Says so and exits 0 when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

import numpy as np

from benchmarks.nih_leakage import NIH_FOLDER, read_nih_metadata
from cxreval._io import save_figure
from cxreval.multilabel import MultilabelAUC, multilabel_auc
from cxreval.operating_point import operating_point
from cxreval.plotting import plot_findings, plot_subgroup_forest
from cxreval.subgroups import SubgroupAudit, age_bands, subgroup_audit

#: The 14 findings, in the README's order.
FINDINGS = (
    "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
    "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
    "Hernia",
)  # fmt: skip
SEED = 17


def read_nih_findings(folder: str | Path = NIH_FOLDER) -> dict[str, np.ndarray] | None:
    """:func:`read_nih_metadata`'s arrays plus ``labels``, the (n, 14) 0/1 finding matrix."""
    data = read_nih_metadata(folder)
    if data is None:
        return None
    with gzip.open(Path(folder) / "nih_chestxray14_metadata.csv.gz", "rt", newline="") as fh:
        reader = csv.reader(fh)
        column = next(reader).index("Finding Labels")
        found = [set(row[column].split("|")) for row in reader]
    data["labels"] = np.array([[f in s for f in FINDINGS] for s in found], dtype=float)
    return data


def simulated_scores(data: dict[str, np.ndarray], seed: int = SEED) -> np.ndarray:
    """SIMULATED scores (n, 14): finding shift 0.6-1.6 (x 0.7 for women), per-patient offset
    SD 0.5, noise SD 1."""
    rng = np.random.default_rng(seed)
    shift = np.linspace(0.6, 1.6, len(FINDINGS)) * np.where(data["sex"] == "F", 0.7, 1.0)[:, None]
    _, codes = np.unique(data["patient"], return_inverse=True)
    patient = rng.normal(0.0, 0.5, codes.max() + 1)[codes]
    noise = rng.normal(size=data["labels"].shape)
    return data["labels"] * shift + patient[:, None] + noise


def run(
    folder: str | Path = NIH_FOLDER, seed: int = SEED
) -> tuple[MultilabelAUC, SubgroupAudit] | None:
    """The per-finding AUCs and the subgroup audit on the test split (None without data)."""
    data = read_nih_findings(folder)
    if data is None:
        return None
    score = simulated_scores(data, seed)
    test, train = data["split"] == "test", data["split"] == "train_val"
    findings = multilabel_auc(
        data["labels"][test], score[test], labels=FINDINGS, groups=data["patient"][test]
    )
    any_finding = data["labels"].max(axis=1)
    any_score = score.max(axis=1)
    threshold = operating_point(any_finding[train], any_score[train]).threshold
    audit = subgroup_audit(
        any_finding[test],
        any_score[test],
        {
            "sex": data["sex"][test],
            "age": age_bands(data["age"][test]),
            "view": data["view"][test],
        },
        threshold=threshold,
        groups=data["patient"][test],
    )
    return findings, audit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(NIH_FOLDER), help="the nih_chestxray14 folder")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--figures", help="folder for the two PNG figures")
    args = parser.parse_args(argv)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # patients in two age bands / views
        results = run(args.data, args.seed)
    if results is None:
        print(f"NIH metadata not found in {args.data}: nothing to do (skipped)")
        return 0
    findings, audit = results
    print("SIMULATED scores on the real NIH ChestX-ray14 test split\n")
    print(f"== 14 findings\n{findings.table()}\n\n== any finding, by subgroup\n{audit.table()}")
    if args.figures:
        import matplotlib.pyplot as plt

        for name, (result, plot) in {
            "nih_findings_forest.png": (findings, plot_findings),
            "nih_subgroups_forest.png": (audit, plot_subgroup_forest),
        }.items():
            ax = plot(result)
            ax.set_title("SIMULATED scores, NIH ChestX-ray14 test split (real labels)")
            save_figure(ax.figure, Path(args.figures) / name)
            plt.close(ax.figure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
