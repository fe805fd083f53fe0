"""``python -m benchmarks.pneumoniamnist``: the benchmark's command line."""

import sys

from benchmarks.pneumoniamnist.cli import main

sys.exit(main())
