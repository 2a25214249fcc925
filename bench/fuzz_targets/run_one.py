"""``python -m bench.fuzz_targets.run_one TARGET SEED_DIR [libFuzzer flags]``: one atheris
campaign (coverage-guided on unspin's Python code). Exits non-zero on the first crash."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["unspin"]):
    import unspin.detect
    import unspin.io.read
    import unspin.text  # noqa: F401

from bench.fuzz_targets.targets import TARGETS


def main() -> None:
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
