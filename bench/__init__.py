"""Load and latency harness: python -m bench (see __main__.py and docs/benchmarks.md)."""
