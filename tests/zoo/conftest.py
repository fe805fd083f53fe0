"""cxrzoo tests need the ``zoo`` extra; without it they are skipped, never failed."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
pytest.importorskip("tensorflow", reason="cxrzoo tests need the 'zoo' extra (tensorflow)")
pytest.importorskip("keras", reason="cxrzoo tests need the 'zoo' extra (keras 3)")
