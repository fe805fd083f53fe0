"""
Confusion matrix and its statistics
===================================

SZANet's predictions at the threshold it chose on the validation split, as a confusion
matrix (true classes in rows, predicted classes in columns), and every statistic with its
95 % interval.
"""

import matplotlib.pyplot as plt

import cxreval
from cxreval.datasets import load_example_predictions

data = load_example_predictions()
stats = cxreval.statmaker_from_predictions(
    data.y_true, y_score=data.scores["szanet"], threshold=data.thresholds["szanet"]
)
stats.plot()
plt.show()
print(stats)
