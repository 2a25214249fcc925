"""Fuzz targets shared by ``bench/fuzz.py`` (atheris campaigns) and tests/reliability."""
