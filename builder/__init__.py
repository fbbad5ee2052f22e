"""Akhbar digest: raw Arabic news clippings in, a curated right-to-left news site with feeds out."""

__version__ = "0.1.0"
