"""cxrzoo: the chest X-ray model zoo (Keras 3 / TensorFlow).

Every model of the source reports one call away, each with a preset carrying the
paper's training recipe and weights source.
"""

from cxreval._version import __version__
from cxrzoo.registry import (
    Augmentation,
    Callback,
    ClassWeight,
    FineTune,
    Head,
    Loss,
    Preset,
    Recipe,
    ReportedResult,
    Schedule,
    Source,
    build,
    get_preset,
    list_models,
    register_model,
)

__all__ = [
    "Augmentation",
    "Callback",
    "ClassWeight",
    "FineTune",
    "Head",
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
