"""Benchmarks: ``python -m bench NAME [ARGS]`` runs ``bench/NAME.py`` and writes
``bench/results/NAME.md``. See bench/README.md."""
