"""Tests of cxreval use small ``n_boot`` and ``n_perm`` for speed: their "n_boot=...
resamples give interval bounds that move" and "n_perm=... permutations give p-values"
UserWarnings are expected there and not shown (``pytest.warns`` still sees them, e.g. in
tests/eval/test_bad_inputs.py)."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    small_n_boot = pytest.mark.filterwarnings(
        "ignore:n_boot=.* resamples give interval bounds:UserWarning"
    )
    small_n_perm = pytest.mark.filterwarnings(
        "ignore:n_perm=.* permutations give p-values:UserWarning"
    )
    for item in items:
        item.add_marker(small_n_boot)
        item.add_marker(small_n_perm)


@pytest.fixture(params=["numpy", "numba"])
def each_engine(request, monkeypatch):
    """The test runs once per resampling engine (numba skipped when not installed)."""
    from cxreval import _resampling

    if request.param == "numba":
        pytest.importorskip("numba")
    monkeypatch.setattr(_resampling, "ENGINE", request.param)
    return request.param
