"""A preset's training recipe, run: compile, fit, fine-tune, cross-validate, resume.

:func:`train` turns a zoo name (or a Keras model) and data into a trained model the way the
report did it: the preset's optimizer, learning rate and schedule, loss (cross-entropy,
class-weighted, focal; masked per finding for multi-label data), metrics, class weights
or weighted sampling, augmentation, callbacks, and 001's second phase with the base
unfrozen. :func:`cross_validate` is 002's k-fold cross-validation. With ``out=`` every
epoch is written down (CSV history, a plot of the curves, the best weights) and backed
up, so a killed run started again with the same arguments continues where it stopped.

Hardware: one code path for CPU and GPUs. Several GPUs of one machine are used through
``tf.distribute.MirroredStrategy`` (chosen automatically when more than one GPU is
visible); ``mixed_precision=True`` trains in float16 with float32 weights and
``jit_compile=True`` compiles with XLA. For several machines pass
``strategy=tf.distribute.MultiWorkerMirroredStrategy()`` with ``TF_CONFIG`` set on every
worker (see the training guide).

The package's rooms: :mod:`~cxrzoo.training.options` (:class:`TrainOptions`, the one
keyword list), :mod:`~cxrzoo.training.loop` (:func:`train` and its phase loop),
:mod:`~cxrzoo.training.cross_validation`, :mod:`~cxrzoo.training.keras_recipe` (a recipe
in Keras terms), :mod:`~cxrzoo.training.multilabel` (masked losses and per-finding AUCs
of multi-label training), :mod:`~cxrzoo.training.callbacks`,
:mod:`~cxrzoo.training.record` (``run.json``, resuming, :func:`load_trained`) and
:mod:`~cxrzoo.training.results`.
"""

from cxrzoo.training.cross_validation import cross_validate
from cxrzoo.training.loop import train
from cxrzoo.training.options import TrainOptions
from cxrzoo.training.record import load_trained
from cxrzoo.training.results import CrossValidationResult, TrainResult

__all__ = [
    "CrossValidationResult",
    "TrainOptions",
    "TrainResult",
    "cross_validate",
    "load_trained",
    "train",
]
