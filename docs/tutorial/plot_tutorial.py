"""
A first evaluation in ten minutes
=================================

From a CSV of predictions to a results table with confidence intervals and a methods
paragraph you can paste into a paper. Everything on this page runs as written (the docs
build runs it); it needs only ``pip install cxrkit`` -- no deep-learning framework.

The data: 624 chest X-rays and two models
-----------------------------------------

cxreval ships a small predictions table, loaded the way ``sklearn.datasets`` loads its
examples (:func:`cxreval.datasets.load_example_predictions`). Its labels are the real test
split of PneumoniaMNIST (1 = pneumonia) and its two score columns are the real outputs of
two models from cxrkit's PneumoniaMNIST benchmark, SZANet and DenseNet121. The
``patient_id``, ``sex``, ``age_band`` and ``view`` columns are **simulated** (PneumoniaMNIST
has none); they are there to show grouping and subgroups, not to be read.
"""

import contextlib
import io
import tempfile
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt

import cxreval
from cxreval.cli import main
from cxreval.datasets import example_predictions_path, load_example_predictions

data = load_example_predictions()
print(data)
print(example_predictions_path().read_text().splitlines()[:4])

# %%
# Your own file needs only a header row, one column of true labels and one column of
# scores (a probability or any score where higher means "more likely positive") per
# model.
#
# One command: the report
# -----------------------
#
# From a terminal, point ``cxreval report`` at the CSV and name the columns:
#
# .. code-block:: bash
#
#    CSV=$(python -c "import cxreval.datasets as d; print(d.example_predictions_path())")
#    cxreval report "$CSV" --label-col y_true --score-col szanet --score-col densenet121 \
#        --threshold 0.5 --out report/
#
# It writes ``report/`` with ``report.txt``, ``report.json`` and ``report.html`` (a
# self-contained page with every figure). Here the same command runs from Python:

out = Path(tempfile.mkdtemp()) / "report"
args = ["report", str(example_predictions_path()), "--label-col", "y_true"]
args += ["--score-col", "szanet", "--score-col", "densenet121", "--out", str(out)]
terminal = io.StringIO()
with contextlib.redirect_stdout(terminal):
    main(args)
print(sorted(p.name for p in out.iterdir()))

# %%
# The report as it looks
# ----------------------
#
# The same comparison in Python is one call, :func:`cxreval.compare`. Each model gets a
# full :func:`cxreval.evaluate` report and every pair of models a paired DeLong test. Its
# figures are the ones in ``report.html``:

comparison = cxreval.compare(data.y_true, data.scores, threshold=0.5)
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), layout="constrained")
comparison.plot(ax=axes[0], kind="roc")
comparison.plot(ax=axes[1], kind="calibration")
comparison.decision.plot(ax=axes[2])
plt.show()

# %%
# A results table with confidence intervals
# -----------------------------------------
#
# A threshold belongs to the model, chosen before the test set is looked at: here each
# model's threshold was chosen on PneumoniaMNIST's *validation* split by Youden's J
# (``data.thresholds``). At that threshold, every proportion gets a Wilson interval and the
# AUC a DeLong interval.

columns = {}
for name, score in data.scores.items():
    auc = cxreval.roc_auc_ci(data.y_true, score)
    stats = cxreval.statmaker_from_predictions(
        data.y_true, y_score=score, threshold=data.thresholds[name]
    )
    cells = {"threshold": f"{data.thresholds[name]:.3f}"}
    cells["AUC (DeLong)"] = f"{auc.auc:.3f} ({auc.low:.3f}-{auc.high:.3f})"
    for key in ("sensitivity", "specificity", "ppv", "npv"):
        low, high = stats.ci[key]
        cells[f"{key} (Wilson)"] = f"{stats[key]:.3f} ({low:.3f}-{high:.3f})"
    columns[name] = cells

print(f"{'':20}" + "".join(f"{name:>22}" for name in columns))
for row in columns["szanet"]:
    print(f"{row:20}" + "".join(f"{cells[row]:>22}" for cells in columns.values()))

# %%
# Is one model better? The paired DeLong test compares the two AUCs on the same images:

test = cxreval.delong_test(data.y_true, data.scores["densenet121"], data.scores["szanet"])
print(test)

# %%
# A methods paragraph
# -------------------
#
# Say what was computed and how, with references (the :doc:`/references` page has them
# all, as BibTeX in ``docs/references.bib``). Generated from the numbers above:

auc = {name: cxreval.roc_auc_ci(data.y_true, s) for name, s in data.scores.items()}
methods = (
    f"Discrimination was summarized by the area under the ROC curve (AUC) with 95% "
    f"confidence intervals by DeLong's method (DeLong et al., 1988; fast algorithm of Sun & "
    f"Xu, 2014); the AUCs of the two models were compared by DeLong's paired test. "
    f"Thresholds were chosen on the validation split by Youden's J (Youden, 1950). "
    f"Sensitivity, specificity, PPV and NPV are given with Wilson score intervals "
    f"(Wilson, 1927). Analyses used cxreval {cxreval.__version__}. On the {len(data.y_true)} "
    f"test images, SZANet reached AUC {auc['szanet'].auc:.3f} "
    f"(95% CI {auc['szanet'].low:.3f}-{auc['szanet'].high:.3f}) and DenseNet121 "
    f"{auc['densenet121'].auc:.3f} ({auc['densenet121'].low:.3f}-"
    f"{auc['densenet121'].high:.3f}); difference {test.difference:+.3f}, p = {test.p_value:.2f}."
)
print(textwrap.fill(methods, width=88))

# %%
# Next
# ----
#
# * :doc:`/user_guide/statmaker`: every statistic of a confusion matrix with its interval.
# * :doc:`/user_guide/roc`: ROC curves, AUC intervals, bands and tests.
# * :doc:`/auto_examples/index`: one figure per example.
# * :doc:`/zoo/index`: train the papers' models and evaluate them the same way.
