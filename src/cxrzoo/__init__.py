"""cxrzoo: the chest X-ray model zoo (Keras 3 / TensorFlow).

Every model of the source reports one call away, each with a preset carrying the
paper's training recipe and weights source.
"""

from cxreval._version import __version__

__all__ = ["__version__"]
