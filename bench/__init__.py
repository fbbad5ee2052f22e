"""Benchmark: generated corpora of realistic clippings, built and measured (see README)."""
