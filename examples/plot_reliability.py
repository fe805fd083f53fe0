"""
Reliability diagram
===================

Are the predicted probabilities honest? Ten equal-width bins of predicted probability,
the fraction of pneumonia in each with its Wilson interval, and the expected calibration
error (ECE) and Brier score.
"""

import matplotlib.pyplot as plt

import cxreval
from cxreval.datasets import load_example_predictions

data = load_example_predictions()
fig, ax = plt.subplots(figsize=(6, 5.5))
for name, prob in data.scores.items():
    curve = cxreval.reliability_curve(data.y_true, prob, n_bins=10)
    curve.plot(ax=ax, label=name)
    print(name, f"ECE {curve.ece:.3f}, Brier {curve.brier:.3f}")
plt.show()
