"""cxrkit benchmarks: run from the project root (``python -m benchmarks.NAME``); not installed."""
