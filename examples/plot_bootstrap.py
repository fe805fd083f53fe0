"""
Bootstrap distribution of a statistic
=====================================

Any statistic of the data gets a bootstrap interval with :func:`cxreval.bootstrap`: here
the difference in sensitivity between the two models at their validation thresholds,
resampling the images within each class (stratified), with the BCa interval.
"""

import matplotlib.pyplot as plt
import numpy as np

import cxreval
from cxreval.datasets import load_example_predictions

data = load_example_predictions()
pred_a = data.scores["densenet121"] >= data.thresholds["densenet121"]
pred_b = data.scores["szanet"] >= data.thresholds["szanet"]


def sensitivity_difference(y, a, b):
    positive = y == 1
    return np.mean(a[positive]) - np.mean(b[positive])


result = cxreval.bootstrap(
    sensitivity_difference,
    data.y_true,
    pred_a,
    pred_b,
    n_boot=1000,
    bootstrap_method="bca",
    strata=data.y_true,
    random_state=0,
)
print(result)
result.plot()
plt.show()
