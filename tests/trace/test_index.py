from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from tests.trace.conftest import ORIGINAL, SPUN, background
from unspin.trace import Index
from unspin.trace.store import build_segment, merge_segments


def test_round_trip(tmp_path: Path, toy_docs: list[tuple[str, str]]) -> None:
    with Index(tmp_path / "db", batch_size=7) as idx:
        report = idx.add(toy_docs)
        assert report.added == len(toy_docs) and len(idx) == len(toy_docs)
    with Index(tmp_path / "db", readonly=True) as idx:
        assert len(idx) == len(toy_docs)
        assert idx.text("orig") == ORIGINAL
        assert idx.trace(SPUN).matches[0].source_id == "orig"


def test_incremental_add_and_update(tmp_path: Path) -> None:
    docs = background(40)
    with Index(tmp_path, batch_size=5) as idx:
        idx.add(docs[:20])
    with Index(tmp_path, batch_size=5) as idx:
        report = idx.add(docs)  # the first 20 again: no-ops
        assert (report.added, report.unchanged, report.updated) == (20, 20, 0)
        report = idx.add([("bg/3", ORIGINAL)])  # same id, new text: an update
        assert (report.added, report.updated) == (0, 1)
        assert len(idx) == 40
        assert idx.text("bg/3") == ORIGINAL
        top = idx.trace(SPUN).matches[0]
        assert top.source_id == "bg/3" and top.relation == "derived"


def test_bad_documents_are_skipped_and_reported(tmp_path: Path) -> None:
    from unspin.io.document import Document

    docs = [Document("ok", ORIGINAL), Document("bad", "", error="unreadable"), ("empty", "  ")]
    with Index(tmp_path) as idx:
        report = idx.add(docs)
    assert report.added == 1
    assert [d for d, _ in report.skipped] == ["bad", "empty"]


def test_segments_merge_keeps_postings(tmp_path: Path) -> None:
    a = build_segment(np.array([5, 1, 5], np.uint32), np.array([2, 1, 1], np.uint32))
    b = build_segment(np.array([1, 9], np.uint32), np.array([3, 3], np.uint32))
    m = merge_segments([a, b], live=np.array([1, 3], np.uint32))
    assert m.keys.tolist() == [1, 5, 9]
    assert [m.docs[m.offsets[i] : m.offsets[i + 1]].tolist() for i in range(3)] == [
        [1, 3],
        [1],
        [3],
    ]
    with Index(tmp_path, batch_size=3) as idx:
        idx.add(background(60))
        assert len(idx._segments) < 20  # merged as it grew
        assert sum(s.n_postings for s in idx._segments) > 0


_WRITER = """
import sys
from tests.trace.conftest import background
from unspin.trace import Index
idx = Index(sys.argv[1], batch_size=10)
for report in idx.add_batches(background(2000, seed=1)):
    print(report.added, flush=True)
"""


def test_kill_9_leaves_a_consistent_index(tmp_path: Path) -> None:
    db = tmp_path / "db"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_WRITER), str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
    )
    assert proc.stdout is not None
    acknowledged = 0
    for line in proc.stdout:
        acknowledged = int(line)
        if acknowledged >= 50:
            break
    proc.kill()  # SIGKILL, mid-batch
    proc.wait()
    with Index(db) as idx:
        assert len(idx) >= acknowledged
        docs = background(2000, seed=1)
        stored = idx.store.numbers([d for d, _ in docs[:acknowledged]])
        assert len(stored) == acknowledged
        # resume: re-adding skips what is stored
        report = idx.add(docs[: len(idx) + 10])
        assert report.added == 10 and report.unchanged == len(idx) - 10
        assert idx.trace(docs[5][1]).matches[0].source_id == docs[5][0]


def test_parallel_fingerprinting_matches_serial(tmp_path: Path) -> None:
    docs = background(40)
    postings = []
    for workers in (1, 2):
        with Index(tmp_path / str(workers), workers=workers, batch_size=1000) as idx:
            idx.add(docs)
            (seg,) = idx._segments
            postings.append((seg.keys.tolist(), seg.docs.tolist()))
    assert postings[0] == postings[1]


def test_prefingerprinted_documents_index_the_same(tmp_path: Path) -> None:
    from unspin.trace.fingerprint import document_keys

    docs = [("orig", ORIGINAL), *background(20)]
    with Index(tmp_path / "a", batch_size=6) as a, Index(tmp_path / "b", batch_size=6) as b:
        a.add(docs)
        b.add([(i, t, document_keys(t)) for i, t in docs])
        assert [s.keys.tobytes() for s in a._segments] == [s.keys.tobytes() for s in b._segments]
        assert [s.docs.tobytes() for s in a._segments] == [s.docs.tobytes() for s in b._segments]
        assert a.trace(SPUN) == b.trace(SPUN)


def test_segments_stop_merging_at_the_cap(tmp_path: Path) -> None:
    docs = [("orig", ORIGINAL), *background(60)]
    with Index(tmp_path / "uncapped", batch_size=5) as idx:
        idx.add(docs)
        uncapped = [s.n_postings for s in idx._segments]
    cap = 900  # a few batches of filler documents
    with Index(tmp_path / "capped", batch_size=5) as idx:
        idx.max_segment_postings = cap
        idx.add(docs)
        sizes = [s.n_postings for s in idx._segments]
        assert max(sizes) <= cap < max(uncapped) and len(sizes) > len(uncapped)
        assert sum(sizes) == sum(uncapped)
        assert idx.trace(SPUN).matches[0].source_id == "orig"
    with Index(tmp_path / "capped", readonly=True) as idx:
        assert len(idx) == 61 and idx.trace(SPUN).matches[0].source_id == "orig"
