"""
Training curves of a zoo model
==============================

A small SZANet (report 002) trained for a few epochs on 160 synthetic phantoms at 32x32,
with its preset's recipe, and the loss and validation AUC per epoch. Needs the ``zoo``
extra (TensorFlow, Keras 3); takes a few seconds on a CPU.
"""

import matplotlib.pyplot as plt

import cxrzoo
from cxrzoo.data import synthetic

result = cxrzoo.train(
    "szanet",
    synthetic(160, size=32, seed=0),
    input_shape=(32, 32, 1),
    epochs=5,
    batch_size=16,
    learning_rate=1e-3,
    verbose=0,
)
history = result.history
epochs = [row["epoch"] + 1 for row in history]

fig, (ax_loss, ax_auc) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_loss.plot(epochs, [row["loss"] for row in history], "o-", label="training")
ax_loss.plot(epochs, [row["val_loss"] for row in history], "o-", label="validation")
ax_loss.set(xlabel="epoch", ylabel="loss", title="Loss")
ax_loss.legend()
auc_key = next(k for k in history[0] if k.startswith("val_") and "auc" in k)
ax_auc.plot(epochs, [row[auc_key] for row in history], "o-", color="C2")
ax_auc.set(xlabel="epoch", ylabel="AUC", title="Validation AUC", ylim=(0.4, 1.02))
plt.show()
print(sorted(history[0]))
