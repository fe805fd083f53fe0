"""Model cards: a preset's fields as readable text (``cxrzoo info``, ``Preset.card()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not cxrzoo.preset: Preset.card() calls this module (arrows one way)
    from cxrzoo.recipe import Augmentation, Callback, Loss, Recipe, Schedule

__all__ = ["model_card"]


def model_card(preset: Any) -> str:
    """A model card: every field of ``preset`` as readable text.

    Parameters
    ----------
    preset : Preset
        The model's data (typed ``Any`` here: :mod:`cxrzoo.preset` imports this module).

    Returns
    -------
    str
        The name underlined, the input, classes, backbone and head, the recipe, what the
        preset reconstructed and the report's results as a table.

    Examples
    --------
    >>> import cxrzoo
    >>> print(model_card(cxrzoo.get_preset("szanet")).splitlines()[1])
    ============
    """
    from tabulate import tabulate

    r = preset.recipe
    lines = [
        preset.name,
        "=" * len(preset.name),
        preset.description,
        "",
        f"Source: {preset.source.report}, {preset.source.section}"
        + (f" ({preset.source.title})" if preset.source.title else ""),
        f"Input: {preset.input_shape} with pixel values in [0, 255]; "
        f"preprocessing {preset.preprocessing!r} inside the model",
        f"Classes: {', '.join(preset.class_names)} ({preset.num_outputs} output unit(s))",
        f"Backbone: {preset.backbone or 'none (built from scratch)'}; "
        f"weights: {preset.weights or 'random'}; "
        f"base {'frozen' if preset.freeze_base else 'trainable'}",
        f"Head: {preset.head.describe()}",
        "",
        "Recipe",
        "------",
        f"Optimizer: {r.optimizer}, learning rate {r.learning_rate:g}, "
        + ("" if r.weight_decay is None else f"weight decay {r.weight_decay:g}, ")
        + f"schedule {_describe_schedule(r.schedule)}",
        f"Epochs: {r.epochs}, batch size {r.batch_size}",
        f"Loss: {_describe_loss(r.loss)}; class weights: {_describe_class_weight(r)}; "
        f"sampling: {r.sampling}",
        "Augmentation: "
        + (", ".join(_describe_augmentation(a) for a in r.augmentations) or "none"),
        "Callbacks: " + (", ".join(_describe_callback(c) for c in r.callbacks) or "none"),
        "Batch normalization: "
        + (
            "the model's own momentum"
            if r.batchnorm_momentum is None
            else f"momentum {r.batchnorm_momentum:g} while training"
        ),
        "Fine-tuning: "
        + (
            f"unfreeze {r.fine_tune.unfreeze}, learning rate {r.fine_tune.learning_rate:g},"
            f" up to {r.fine_tune.epochs} epochs"
            if r.fine_tune
            else "none"
        ),
        "Validation: "
        + (
            ", ".join(
                part
                for part in (
                    f"{r.validation_split:g} held out" if r.validation_split else "",
                    f"{r.cv_folds}-fold cross-validation" if r.cv_folds else "",
                )
                if part
            )
            or "as the dataset's own split"
        ),
        "",
        "Reconstructed: " + (preset.reconstructed or "nothing; exactly as specified"),
    ]
    if preset.reported:
        rows = [(x.metric, _number(x.value), x.split, x.note) for x in preset.reported]
        lines += [
            "",
            "Reported results",
            "----------------",
            tabulate(
                rows,
                headers=["metric", "value", "split", "note"],
                colalign=("left", "right", "left", "left"),
                disable_numparse=True,  # keep the numbers as written here
            ),
        ]
    return "\n".join(lines)


def _number(value: float) -> str:
    """A whole number with thousands separators (21,802,784), else as reported (0.76062)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _describe_schedule(schedule: Schedule) -> str:
    if schedule.kind == "constant":
        return "constant"
    if schedule.kind == "cosine":
        return f"cosine to x{schedule.factor or 0:g} over {schedule.decay_epochs} epochs"
    return f"x{schedule.factor:g} every {schedule.step_epochs} epochs"


def _describe_loss(loss: Loss) -> str:
    if loss.kind == "focal":
        alpha = f", alpha {loss.alpha:g}" if loss.alpha is not None else ""
        return f"focal (gamma {loss.gamma:g}{alpha})"
    return "cross-entropy"


def _describe_class_weight(recipe: Recipe) -> str:
    weight = recipe.class_weight
    if weight.reported:
        return f"{weight.policy} (reported {', '.join(f'{w:g}' for w in weight.reported)})"
    return weight.policy


def _describe_augmentation(augmentation: Augmentation) -> str:
    text = augmentation.kind
    if isinstance(augmentation.factor, tuple):
        text += " {:g}-{:g}".format(*augmentation.factor)
    elif augmentation.factor is not None:
        text += f" {augmentation.factor:.4g}"
    if augmentation.probability < 1:
        text += f" (p={augmentation.probability:g})"
    return text


def _describe_callback(callback: Callback) -> str:
    text = f"{callback.kind} ({callback.monitor}, patience {callback.patience}"
    if callback.factor is not None:
        text += f", factor {callback.factor:g}"
    if callback.restore_best_weights:
        text += ", best weights"
    return text + ")"
