"""
Training curves of a zoo model
==============================

SZANet as fitted to PneumoniaMNIST (``szanet.pneumoniamnist``) trained for six epochs on
240 synthetic phantoms at 32x32, with the preset's recipe: the loss and the AUC per
epoch, on the training and the validation images, and the best epoch by validation AUC
(the weights that training keeps). Six epochs on phantoms only show what the curves look
like; the :doc:`/user_guide/training` page trains on real X-rays. Needs the ``zoo`` extra
(TensorFlow, Keras 3); about half a minute on a CPU.
"""

import matplotlib.pyplot as plt

import cxrzoo
from cxrzoo.data import synthetic

result = cxrzoo.train(
    "szanet.pneumoniamnist",
    synthetic(240, size=32, seed=0),
    input_shape=(32, 32, 1),
    epochs=6,
    batch_size=16,
    verbose=0,
)
history = result.history
epochs = [row["epoch"] + 1 for row in history]
best = max(history, key=lambda row: row["val_auc"])["epoch"] + 1

fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for ax, metric in zip(axes, ("loss", "auc"), strict=True):
    ax.plot(epochs, [row[metric] for row in history], "o-", label="training")
    ax.plot(epochs, [row[f"val_{metric}"] for row in history], "o-", label="validation")
    ax.axvline(best, color="grey", linestyle="--", label=f"best epoch ({best})")
    ax.set(xlabel="epoch", ylabel=metric, title=metric.upper() if metric == "auc" else "Loss")
    ax.legend()
plt.show()
