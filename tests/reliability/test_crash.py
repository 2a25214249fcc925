"""Quick crash-safety runs (3 SIGKILLs each, small inputs): `python -m bench killharness`
does the full campaign. These start real `unspin` processes, so they take some seconds."""

from __future__ import annotations

from pathlib import Path

from bench.killharness import acknowledged, index_campaign, scan_campaign


def test_acknowledged_counts_committed_progress_lines() -> None:
    lines = [
        "committed: 50 added, 0 updated, 0 unchanged (50 in index)",
        "something else",
        "committed: 80 added, 2 updated, 18 unchanged (130 in index)",
    ]
    assert acknowledged(lines) == 100
    assert acknowledged([]) == 0


def test_index_survives_sigkill(tmp_path: Path) -> None:
    camp = index_campaign(tmp_path, kills=3, n_docs=300, batch=30, seed=1)
    assert camp.kills == 3, camp
    assert camp.problems == [] and camp.lost == 0


def test_scan_resumes_after_sigkill(tmp_path: Path) -> None:
    camp = scan_campaign(tmp_path, kills=3, n_docs=40, seed=1, reference=False)
    assert camp.kills >= 2, camp  # a tiny scan may finish before the third kill lands
    assert camp.problems == [] and camp.lost == 0 and camp.duplicates == 0
