"""
Decision curve
==============

Net benefit of treating by each model's probability, across threshold probabilities,
against "treat all" and "treat none" (Vickers & Elkin, 2006).
"""

import matplotlib.pyplot as plt
import numpy as np

import cxreval
from cxreval.datasets import load_example_predictions

data = load_example_predictions()
curve = cxreval.decision_curve(
    data.y_true, data.scores["szanet"], thresholds=np.linspace(0.01, 0.99, 99)
)
fig, ax = plt.subplots(figsize=(7, 4.5))
curve.plot(ax=ax)
plt.show()
