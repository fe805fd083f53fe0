"""``python -m cxreval``: the ``cxreval`` command (see :mod:`cxreval.cli`)."""

import sys

from cxreval.cli import main

if __name__ == "__main__":
    sys.exit(main())
