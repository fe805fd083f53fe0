"""TEMPORARY, delete at merge: benchmarks/pneumoniamnist.py and
tests/zoo/test_pneumoniamnist_benchmark.py (owned by another helper) still import this
old path; the module moved to :mod:`cxrzoo.presets.pneumoniamnist`. Remove this file once
they import ``cxrzoo.presets.pneumoniamnist``."""

from cxrzoo.presets.pneumoniamnist import (  # noqa: F401
    PNEUMONIAMNIST_RECIPE,
    PNEUMONIAMNIST_TRANSFER_RECIPE,
)
