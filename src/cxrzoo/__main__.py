"""``python -m cxrzoo``: the ``cxrzoo`` command."""

import sys

from cxrzoo.cli import main

sys.exit(main())
