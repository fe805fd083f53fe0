"""
Synthetic chest X-ray phantoms
==============================

:func:`cxrzoo.data.synthetic` draws labelled phantom chest X-rays (lungs, heart, ribs;
pneumonia as a bright patch) in memory: the zoo's tests and its quick demo train on them
without downloading anything. They are a test pattern, not medical images.
"""

import matplotlib.pyplot as plt

from cxrzoo.data import synthetic

phantoms = synthetic(8, size=96, seed=0)
fig, axes = plt.subplots(2, 4, figsize=(10, 5.4), layout="constrained")
for ax, image, label in zip(axes.flat, phantoms.images, phantoms.labels, strict=True):
    ax.imshow(image[..., 0], cmap="gray", vmin=0, vmax=255)
    ax.set_title(phantoms.class_names[label])
    ax.axis("off")
plt.show()
print(phantoms.counts)
