"""The ``zoo`` extra's import guard: a clear message when TensorFlow or Keras is missing.

Without the extra, ``import cxrzoo``, the listing and the model cards work; building,
training and evaluating import their modules through :func:`import_zoo_module`, whose
error says to install it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

__all__ = ["ZOO_EXTRA_HINT", "ZOO_EXTRA_MODULES", "import_zoo_module", "missing_zoo_package"]


#: What the ``zoo`` extra installs; without it ``import cxrzoo`` and the listing work, but
#: building, training and evaluating models do not.
ZOO_EXTRA_MODULES = ("tensorflow", "keras", "keras_cv")
ZOO_EXTRA_HINT = "install the zoo extra: pip install 'cxrkit[zoo]'"


def import_zoo_module(name: str) -> Any:
    """Import ``name`` like :func:`importlib.import_module`; when TensorFlow or Keras is
    missing, the error says to install the ``zoo`` extra.

    Raises
    ------
    ModuleNotFoundError
        Naming the missing package and the extra, when one of
        :data:`ZOO_EXTRA_MODULES` cannot be imported (``err.name`` is that package).

    Examples
    --------
    >>> import_zoo_module("cxrzoo.models.szanet").__name__
    'cxrzoo.models.szanet'
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        missing = missing_zoo_package(err)
        if missing is None:
            raise
        raise ModuleNotFoundError(
            f"{name} needs {missing}, which is not installed: {ZOO_EXTRA_HINT}", name=missing
        ) from err


def missing_zoo_package(err: ModuleNotFoundError) -> str | None:
    """The package of the ``zoo`` extra whose absence raised ``err``, else None.

    None also when the package is installed and only a module inside it is missing (a
    wrong import path is a bug to see, not an extra to install).

    Examples
    --------
    >>> missing_zoo_package(ModuleNotFoundError(name="keras.src.no_such_module")) is None
    True
    """
    top = (err.name or "").split(".")[0]
    if top not in ZOO_EXTRA_MODULES:
        return None
    installed = (
        sys.modules[top] is not None  # None: imports of it are blocked
        if top in sys.modules
        else importlib.util.find_spec(top) is not None
    )
    return None if installed else top
