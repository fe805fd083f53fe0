"""
ROC curve with its confidence band and an operating point
=========================================================

The ROC curve of SZANet on the 624 PneumoniaMNIST test images, with a 95 % bootstrap
confidence band of sensitivity at each specificity, the AUC with its DeLong interval, and
the operating point that maximizes Youden's J with Wilson intervals for its sensitivity
and specificity.
"""

import matplotlib.pyplot as plt

import cxreval
from cxreval.datasets import load_example_predictions
from cxreval.plotting import plot_operating_point, plot_roc

data = load_example_predictions()
y, score = data.y_true, data.scores["szanet"]

curve = cxreval.roc_curve(y, score)
auc = cxreval.roc_auc_ci(y, score)  # DeLong 95 % CI
band = cxreval.roc_band(y, score, n_boot=500, random_state=0)  # stratified bootstrap
point = cxreval.operating_point(y, score, criterion="youden")

fig, ax = plt.subplots(figsize=(6, 5.5))
plot_roc(curve, ax=ax, auc_ci=auc, band=band, label="SZANet")
plot_operating_point(point, ax=ax)
plt.show()

print(auc)
print(point.threshold, point.statistics["sensitivity"], point.statistics["specificity"])
