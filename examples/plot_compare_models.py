"""
Comparing two models on the same images (paired DeLong)
=======================================================

Two models scored the same 624 test images, so their AUCs are correlated: DeLong's paired
test uses that correlation, and gives a confidence interval for the difference.
"""

import matplotlib.pyplot as plt

import cxreval
from cxreval.datasets import load_example_predictions

data = load_example_predictions()
test = cxreval.delong_test(data.y_true, data.scores["densenet121"], data.scores["szanet"])
print(test)

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
for name, score in data.scores.items():
    cxreval.roc_curve(data.y_true, score).plot(ax=axes[0], label=name)
axes[0].set_title("ROC curves on the same images")
test.plot(ax=axes[1])
plt.show()
