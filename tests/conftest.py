"""Test-wide settings: a headless matplotlib backend and reproducible hypothesis runs."""

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


#: Real data shared beside the project (absent on a fresh clone: tests using it skip).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def pneumoniamnist_path() -> Path:
    """Path of PneumoniaMNIST: ``../shared/data/pneumoniamnist.npz`` where it is, else the
    copy shipped with cxrzoo (the same file; ``tests/zoo/test_datasets.py`` checks that)."""
    path = SHARED_DATA / "pneumoniamnist.npz"
    if path.is_file():
        return path
    from cxrzoo.data import pneumoniamnist_path as shipped

    return shipped()
