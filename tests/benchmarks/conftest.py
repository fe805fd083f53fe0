"""The benchmarks' tests (``benchmarks/`` imported as a package from the project root).

They need the ``zoo`` extra; without it they are skipped, never failed.
"""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
pytest.importorskip("tensorflow", reason="benchmark tests need the 'zoo' extra (tensorflow)")
pytest.importorskip("keras", reason="benchmark tests need the 'zoo' extra (keras 3)")
