"""Write cxreval's example predictions table (``src/cxreval/datasets/data/``).

Run from the repository root::

    python tools/make_example_data.py

What is real and what is simulated (the package data README says the same):

* real: ``image_id`` (the index of the image in PneumoniaMNIST's official test split),
  ``y_true`` (its label, 1 = pneumonia) and the two models' scores ``szanet`` and
  ``densenet121`` -- the per-image test probabilities that the repository's PneumoniaMNIST
  benchmark saved (``benchmarks/results/pneumoniamnist/szanet.json`` and
  ``densenet121.json``), rounded to 6 decimals;
* simulated, seeded (``SEED``) and independent of the labels and scores:
  ``patient_id``, ``sex``, ``age_band`` and ``view``. PneumoniaMNIST has no patient or
  demographic columns; these exist so that the docs can show grouping by patient and
  subgroup analyses, and no finding about real patients can be read from them.

The output is byte-for-byte the same on every run.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "pneumoniamnist"
OUT = ROOT / "src" / "cxreval" / "datasets" / "data" / "example_predictions.csv"
MODELS = ("szanet", "densenet121")
SEED = 20260421
COLUMNS = ("image_id", "y_true", *MODELS, "patient_id", "sex", "age_band", "view")


def simulated_columns(y_true: np.ndarray, rng: np.random.Generator) -> dict[str, list[str]]:
    """Patients (some with two images of the same label), sex, age band and view."""
    n = len(y_true)
    patient = np.empty(n, dtype=object)
    next_id = 1
    for label in (0, 1):  # a patient's two images share the label
        members = rng.permutation(np.flatnonzero(y_true == label))
        i = 0
        while i < len(members):
            size = 2 if rng.random() < 0.15 and i + 1 < len(members) else 1
            for j in members[i : i + size]:
                patient[j] = next_id
            next_id += 1
            i += size
    order = rng.permutation(next_id - 1) + 1  # shuffle the numbers so IDs tell nothing
    names = {old: f"P{new:04d}" for old, new in zip(range(1, next_id), order, strict=True)}
    sex = {p: rng.choice(["F", "M"]) for p in names}
    age = {p: rng.choice(["1-2", "3-4", "5"], p=[0.4, 0.4, 0.2]) for p in names}
    view = rng.choice(["AP", "PA"], size=n, p=[0.7, 0.3])
    return {
        "patient_id": [names[p] for p in patient],
        "sex": [str(sex[p]) for p in patient],
        "age_band": [str(age[p]) for p in patient],
        "view": [str(v) for v in view],
    }


def main() -> None:
    runs = {m: json.loads((RESULTS / f"{m}.json").read_text()) for m in MODELS}
    y_true = np.asarray(runs[MODELS[0]]["labels"]["test"], dtype=int)
    for m in MODELS:
        if runs[m]["labels"]["test"] != y_true.tolist():
            raise SystemExit(f"{m}.json holds test labels in another order")
    rng = np.random.default_rng(SEED)
    sim = simulated_columns(y_true, rng)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, label in enumerate(y_true):
        scores = [f"{runs[m]['scores']['test'][i]:.6f}" for m in MODELS]
        writer.writerow([i, int(label), *scores, *(sim[c][i] for c in COLUMNS[4:])])
    OUT.write_text(buffer.getvalue(), encoding="utf-8")
    thresholds = {m: round(runs[m]["threshold"], 6) for m in MODELS}
    print(f"wrote {OUT.relative_to(ROOT)}: {len(y_true)} rows; val thresholds {thresholds}")


if __name__ == "__main__":
    main()
