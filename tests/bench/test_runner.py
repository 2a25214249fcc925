"""``python -m bench NAME --help`` prints usage and runs nothing; unknown options are refused."""

from __future__ import annotations

import pytest
from bench.__main__ import HERE, RESULTS, main

NAMES = sorted(
    p.stem
    for p in HERE.glob("*.py")
    if not p.stem.startswith("_") and p.stem not in {"common", "killharness", "fuzz_targets"}
)


@pytest.mark.parametrize("name", NAMES)
def test_help_runs_nothing(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = RESULTS / f"{name}.md"
    before = out.read_bytes() if out.exists() else None
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    assert "usage: python -m bench " + name in capsys.readouterr().out
    assert (out.read_bytes() if out.exists() else None) == before


@pytest.mark.parametrize("name", ["trace", "restore", "lexicon", "trace_scale"])
def test_unknown_option_refused(name: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main([name, "--no-such-option"])
    assert exc.value.code == 2


def test_skipped_benchmark_keeps_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ../shared a data-hungry benchmark says so (exit 3) and does not overwrite
    its committed results with a 'skipped' page."""
    from unspin import corpora

    monkeypatch.setattr(corpora, "shared_dir", lambda: None)
    out = RESULTS / "trace.md"
    before = out.read_bytes() if out.exists() else None
    assert main(["trace"]) == 3
    assert (out.read_bytes() if out.exists() else None) == before
