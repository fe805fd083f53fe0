"""
Grad-CAM: where a zoo model looks
=================================

Rahman's "Arch 2" CNN (``rahman_arch2``), with a global-average-pooling head instead of
its flattening one, trained at 32x32 on phantoms whose label is
decided by a bright square, a synthetic "lesion", in the top left quarter of the image;
:func:`cxrzoo.explain.gradcam` then shows, for test images it has not seen, which part of
each image raised the score of the class "lesion": the heatmap (Selvaraju et al., 2017),
in [0, 1] at the image's size, over the image. The white frame marks where the lesion
was drawn. For a real model, ``cxrzoo explain RUN_FOLDER --image xray.png --out DIR``
writes the same overlays. (With a flattening head each position has weights of its own,
which Grad-CAM's average over positions blurs: pooled heads, as every transfer model of
the zoo has, give the sharper maps.) Needs the ``zoo`` extra (TensorFlow, Keras 3); about 10 seconds
on a CPU.
"""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

import cxrzoo
from cxrzoo.data import ImageSet
from cxrzoo.explain import gradcam, plot_gradcam

SIZE, TOP, SIDE = 32, 4, 8


def phantoms(n, seed):
    """Noise images; every second one has the lesion (label 1)."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 90, (n, SIZE, SIZE)).astype(np.uint8)
    labels = np.arange(n) % 2
    for i in np.flatnonzero(labels):
        top, left = TOP + rng.integers(0, 5, 2)  # the lesion moves a little
        images[i, top : top + SIDE, left : left + SIDE] = 230
    return ImageSet(("clear", "lesion"), labels, images=images)


arch2 = cxrzoo.get_preset("rahman_arch2")
pooled = dataclasses.replace(arch2, head=cxrzoo.Head(pooling="avg", activation="sigmoid"))
result = cxrzoo.train(
    pooled,
    phantoms(400, seed=0),
    input_shape=(SIZE, SIZE, 1),
    epochs=6,
    batch_size=32,
    learning_rate=1e-3,
    verbose=0,
)
test = phantoms(8, seed=1)
positives = test.images[test.labels == 1][:4].astype(np.float32)
heatmaps = gradcam(result.model, positives[..., None], "lesion", class_names=test.class_names)

fig, axes = plt.subplots(1, 4, figsize=(10, 3), layout="constrained")
for image, heat, ax in zip(positives, heatmaps, axes, strict=True):
    row, col = np.unravel_index(heat.argmax(), heat.shape)
    plot_gradcam(image, heat, ax=ax, title=f"peak at row {row}, column {col}")
    ax.add_patch(Rectangle((TOP - 0.5, TOP - 0.5), SIDE + 4, SIDE + 4, fill=False, ec="white"))
fig.suptitle("Grad-CAM of the class 'lesion' (white: where lesions are drawn)")
plt.show()
