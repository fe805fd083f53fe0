"""Tests of cxreval use small ``n_boot`` for speed: its "n_boot=... resamples give interval
bounds that move" UserWarning is expected there and not shown (``pytest.warns`` still
sees it, e.g. in tests/eval/test_bad_inputs.py)."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    small_n_boot = pytest.mark.filterwarnings(
        "ignore:n_boot=.* resamples give interval bounds:UserWarning"
    )
    for item in items:
        item.add_marker(small_n_boot)
