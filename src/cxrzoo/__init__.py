"""cxrzoo: the chest X-ray model zoo (Keras 3 / TensorFlow).

Every model of the source reports one call away, each with a preset carrying the
paper's training recipe and weights source.
"""

from cxrzoo import presets as _presets
from cxrzoo.factory import build
from cxrzoo.preset import Head, Preset, ReportedResult, Source
from cxrzoo.recipe import Augmentation, Callback, ClassWeight, FineTune, Loss, Recipe, Schedule
from cxrzoo.registry import LazyBuilder, get_preset, list_models, register_model

# The built-in models, registered once the registry is loaded (presets are data).
for _preset, _builder in _presets.MODELS:
    register_model(_preset, _builder)
del _preset, _builder

__all__ = [
    "Augmentation",
    "Callback",
    "ClassWeight",
    "FineTune",
    "Head",
    "LazyBuilder",
    "Loss",
    "Preset",
    "Recipe",
    "ReportedResult",
    "Schedule",
    "Source",
    "__version__",
    "build",
    "get_preset",
    "list_models",
    "register_model",
]

#: Training and evaluation import TensorFlow: they load on first use, so that
#: ``import cxrzoo`` and ``cxrzoo list`` stay light.
_LAZY = {
    "CrossValidationResult": "cxrzoo.training",
    "TrainOptions": "cxrzoo.training",
    "TrainResult": "cxrzoo.training",
    "cross_validate": "cxrzoo.training",
    "load_trained": "cxrzoo.training",
    "train": "cxrzoo.training",
    "train_seeds": "cxrzoo.seeds",
    "Evaluation": "cxrzoo.evaluation",
    "Predictions": "cxrzoo.evaluation",
    "evaluate": "cxrzoo.evaluation",
    "predict": "cxrzoo.evaluation",
}
__all__ += sorted(_LAZY)


def __getattr__(name: str):
    if name == "__version__":  # the project's one version, read when asked for: importing
        from cxreval._version import __version__  # cxreval (scipy) would slow down listing

        return __version__
    if name in _LAZY:
        from cxrzoo._optional import import_zoo_module

        return getattr(import_zoo_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxrzoo' has no attribute {name!r}")
