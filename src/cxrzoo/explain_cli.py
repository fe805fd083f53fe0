"""``cxrzoo explain``: Grad-CAM overlays of a model's classes or findings on image files.

``cxrzoo explain MODEL --image PATH [--image PATH ...] [--class NAME ...] --out DIR``
writes ``DIR/<image stem>_<class>.png`` for each image and class (default: the class the
model predicts). ``MODEL`` is a folder written by ``cxrzoo train``, a ``.keras`` file or a
registry name (built with its preset's weights). The images are read and resized as
training reads them (:func:`cxrzoo.data.make_dataset`); the overlays are at the model's
input size. :func:`add_explain_parser` adds the subcommand to the ``cxrzoo`` parser.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["add_explain_parser", "run_explain"]


def add_explain_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``explain`` to the ``cxrzoo`` subcommands; return its parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="cxrzoo")
    >>> _ = add_explain_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["explain", "szanet", "--image", "a.png", "--out", "o"])
    >>> args.model, args.image, args.classes
    ('szanet', ['a.png'], None)
    """
    explaining = subparsers.add_parser(
        "explain", help="Grad-CAM heatmaps of a model's classes over images"
    )
    explaining.add_argument(
        "model", help="folder written by 'cxrzoo train', a .keras file or a registry name"
    )
    explaining.add_argument(
        "--image", required=True, action="append", help="an image file (repeat for several)"
    )
    explaining.add_argument(
        "--class",
        dest="classes",
        action="append",
        help="class or finding to explain (repeat for several; default: the predicted one)",
    )
    explaining.add_argument("--out", required=True, help="folder for the overlay PNGs")
    explaining.add_argument("--layer", help="layer to explain (default: the last 4-D one)")
    explaining.add_argument(
        "--alpha", type=float, default=0.4, help="weight of the heatmap's colours (0.4)"
    )
    explaining.set_defaults(func=run_explain)
    return explaining


def load_model(name_or_path: str) -> tuple[Any, tuple[str, ...]]:
    """The model and its class names: from a training folder, a .keras file (classes
    numbered) or the registry (its preset's weights and classes)."""
    import cxrzoo
    from cxrzoo.training import load_trained

    if Path(name_or_path).exists():
        model, names = load_trained(name_or_path)
        units = int(model.output_shape[-1])
        return model, names or tuple(str(i) for i in range(max(units, 2)))
    preset = cxrzoo.get_preset(name_or_path)
    return cxrzoo.build(preset.name, weights="preset"), preset.class_names


def read_image(path: str, model: Any) -> np.ndarray:
    """``path`` decoded and resized to the model's input, as training reads images."""
    from cxrzoo.data import ImageSet, make_dataset

    if not Path(path).is_file():
        raise FileNotFoundError(f"image {path!r} does not exist")
    images = ImageSet(("image", "other"), np.zeros(1, int), paths=(str(path),))
    pipe = make_dataset(
        images,
        size=tuple(model.input_shape[1:3]),
        channels=model.input_shape[3],
        batch_size=1,
        label_mode="int",
        on_error="raise",
    )
    return next(iter(pipe.dataset))[0].numpy()[0]


def run_explain(args: argparse.Namespace) -> int:
    """``cxrzoo explain``: write one overlay PNG per image and class; exit status 0, or 1
    (one line on stderr) for a bad model, image or class."""
    from cxreval._io import write_atomic
    from cxrzoo.explain import gradcam, overlay

    try:
        model, names = load_model(args.model)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for path in args.image:
            image = read_image(path, model)
            classes = args.classes
            if not classes:
                scores = np.asarray(model(image[None], training=False))[0]
                index = int(scores[0] >= 0.5) if scores.size == 1 else int(np.argmax(scores))
                classes = [names[index]]
            for name in classes:
                heat = gradcam(model, image, name, class_names=names, layer=args.layer)
                file = out / f"{Path(path).stem}_{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
                write_atomic(file, png_bytes(overlay(image, heat, alpha=args.alpha)))
                print(file)
    except (ValueError, TypeError, OSError) as error:
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"cxrzoo explain: error: {message}", file=sys.stderr)
        return 1
    return 0


def png_bytes(rgb: np.ndarray) -> bytes:
    """An RGB uint8 array as PNG file contents."""
    from matplotlib import image as mpimage

    buffer = io.BytesIO()
    mpimage.imsave(buffer, rgb, format="png")
    return buffer.getvalue()
