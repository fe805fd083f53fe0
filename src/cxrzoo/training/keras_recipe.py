"""A recipe in Keras terms: optimizer, loss and metrics, the recipe's callbacks and
schedule, batch-normalization momentum and the fine-tuning phase's unfreezing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from cxrzoo.models._common import walk_layers
from cxrzoo.models.transfer import get_backbone
from cxrzoo.recipe import Recipe
from cxrzoo.training.multilabel import (
    MaskedBinaryCrossentropy,
    MaskedFocalCrossentropy,
    finding_metrics,
)

__all__ = ["compile_model", "recipe_callbacks", "set_batchnorm_momentum", "unfreeze_backbone"]


def compile_model(
    model,
    recipe: Recipe,
    learning_rate: float,
    label_mode: str,
    jit_compile: bool | str,
    *,
    findings: Sequence[str] = (),
    finding_weights: tuple[Sequence[float], Sequence[float]] | None = None,
) -> None:
    """Compile ``model`` with the recipe's optimizer (at ``learning_rate``), loss and
    metrics (plus the AUC for a binary model).

    ``label_mode="multi_label"``: the recipe's loss masked (NaN labels ignored, see
    :mod:`cxrzoo.training.multilabel`) with the per-finding ``(positive, negative)``
    weights ``finding_weights``, and the AUC of every one of ``findings`` (plus their
    mean, ``auc``) as metrics instead of the recipe's.
    """
    optimizers = {
        "adam": keras.optimizers.Adam,
        "adamw": keras.optimizers.AdamW,
        "rmsprop": keras.optimizers.RMSprop,
        "sgd": keras.optimizers.SGD,
    }
    decay = {} if recipe.weight_decay is None else {"weight_decay": recipe.weight_decay}
    optimizer = optimizers[recipe.optimizer](learning_rate=learning_rate, **decay)
    loss = recipe.loss
    binary = label_mode == "binary"
    if label_mode == "multi_label":
        pos, neg = finding_weights if finding_weights is not None else (None, None)
        loss_fn = (
            MaskedFocalCrossentropy(loss.gamma, loss.alpha, pos, neg)
            if loss.kind == "focal"
            else MaskedBinaryCrossentropy(pos, neg)
        )
        model.compile(
            optimizer=optimizer,
            loss=loss_fn,
            metrics=finding_metrics(findings),
            jit_compile=jit_compile,
        )
        return
    if loss.kind == "focal":
        if binary:
            loss_fn = keras.losses.BinaryFocalCrossentropy(
                gamma=loss.gamma,
                alpha=loss.alpha if loss.alpha is not None else 0.25,
                apply_class_balancing=loss.alpha is not None,
            )
        else:
            loss_fn = keras.losses.CategoricalFocalCrossentropy(
                gamma=loss.gamma, alpha=loss.alpha if loss.alpha is not None else 1.0
            )
    else:
        loss_fn = (
            keras.losses.BinaryCrossentropy() if binary else keras.losses.CategoricalCrossentropy()
        )
    metrics: list[Any] = [
        keras.metrics.F1Score(average="macro", threshold=0.5 if binary else None, name=m)
        if m == "f1_score"  # 001's F1: one number per epoch, the macro average
        else m
        for m in recipe.metrics
    ]
    if binary:
        metrics.append(keras.metrics.AUC(name="auc"))
    model.compile(optimizer=optimizer, loss=loss_fn, metrics=metrics, jit_compile=jit_compile)


def recipe_callbacks(
    recipe: Recipe, learning_rate: float, phase: int, *, has_val: bool
) -> list[Any]:
    """The recipe's Keras callbacks for one phase: early stopping and learning-rate
    reduction (on the training loss when there is no validation data) and, in the first
    phase, the learning-rate schedule."""
    cbs: list[Any] = []
    for c in recipe.callbacks:
        monitor = c.monitor if has_val or not c.monitor.startswith("val_") else c.monitor[4:]
        if c.kind == "early_stopping":
            cbs.append(
                keras.callbacks.EarlyStopping(
                    monitor=monitor,
                    patience=c.patience,
                    restore_best_weights=c.restore_best_weights,
                )
            )
        else:
            cbs.append(
                keras.callbacks.ReduceLROnPlateau(
                    monitor=monitor, factor=c.factor, patience=c.patience, min_lr=c.min_lr
                )
            )
    if phase == 1 and recipe.schedule.kind != "constant":
        schedule = recipe.schedule
        cbs.append(
            keras.callbacks.LearningRateScheduler(
                lambda epoch, lr: schedule.learning_rate(learning_rate, epoch)
            )
        )
    return cbs


def set_batchnorm_momentum(model, momentum: float) -> None:
    """Set the momentum of every BatchNormalization layer, nested ones too."""
    for layer in walk_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = float(momentum)


def unfreeze_backbone(model, unfreeze: str | int) -> bool:
    """Unfreeze the frozen backbone of ``model`` (all layers, or its last ``unfreeze``);
    False when there is no frozen backbone."""
    base = get_backbone(model)
    if base is None or base.trainable:
        return False
    base.trainable = True
    if unfreeze != "all":
        for layer in base.layers[: max(len(base.layers) - int(unfreeze), 0)]:
            layer.trainable = False
    return True
