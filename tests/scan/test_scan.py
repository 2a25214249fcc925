"""Local engine: one ordered record per input document, resume, outputs, report."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from unspin.scan import RECORD_FIELDS, InputsChanged, ScanSettings, run_scan
from unspin.scan.local import ChunkSizer
from unspin.scan.resume import ManifestMismatch, recover


def _records(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def settings(index_dir: Path) -> ScanSettings:
    return ScanSettings(db=str(index_dir), restore=False, scorer="baseline")


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, crawl: Path, settings: ScanSettings) -> Path:
    out = tmp_path_factory.mktemp("full")
    run_scan([str(crawl)], out, settings=settings, workers=1, chunk_size=3)
    return out


def test_one_record_per_document_in_order(full: Path, crawl: Path) -> None:
    recs = _records(full)
    assert len(recs) == len(crawl.read_text(encoding="utf-8").splitlines())
    assert [r["id"] for r in recs][:3] == ["spun0", "copy0", "spun1"]
    assert all(tuple(r) == RECORD_FIELDS for r in recs)
    bad = recs[9]
    assert bad["label"] == "not_scored" and bad["reason"]


def test_copies_are_traced_to_their_source(full: Path) -> None:
    by_id = {r["id"]: r for r in _records(full)}
    for i in range(3):
        assert by_id[f"copy{i}"]["matches"][0]["source_id"] == "orig1"
        assert by_id[f"copy{i}"]["matches"][0]["relation"] == "derived"
        assert by_id[f"spun{i}"]["matches"][0]["source_id"] == "orig0"
    assert by_id["spun1"]["url"] == "https://www.farm1.example/a1"
    assert not [m for m in by_id["fresh"]["matches"] if m["relation"] == "derived"]


def test_two_workers_write_the_same_file(
    tmp_path: Path, full: Path, crawl: Path, settings: ScanSettings
) -> None:
    run_scan([str(crawl)], tmp_path, settings=settings, workers=2, chunk_size=2)
    assert (tmp_path / "results.jsonl").read_bytes() == (full / "results.jsonl").read_bytes()


def test_resume_after_a_torn_write(
    tmp_path: Path, full: Path, crawl: Path, settings: ScanSettings
) -> None:
    whole = (full / "results.jsonl").read_bytes()
    cut = whole.index(b"\n", whole.index(b"\n") + 1) + 40  # two records and a partial third
    run_scan([str(crawl)], tmp_path, settings=settings, workers=1, finalize=False)
    (tmp_path / "results.jsonl").write_bytes(whole[:cut])
    outcome = run_scan([str(crawl)], tmp_path, settings=settings, workers=1)
    assert outcome.resumed == 2
    assert (tmp_path / "results.jsonl").read_bytes() == whole


def test_recover_counts_complete_lines(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"id":"a"}\n{"id":"b"}\n{"id":')
    cp = recover(p)
    assert (cp.done, cp.last_id) == (2, "b")
    assert p.read_bytes() == b'{"id":"a"}\n{"id":"b"}\n'


def test_other_inputs_are_refused(tmp_path: Path, crawl: Path, settings: ScanSettings) -> None:
    run_scan([str(crawl)], tmp_path, settings=settings, workers=1, finalize=False)
    with pytest.raises(ManifestMismatch):
        run_scan([str(crawl), str(crawl)], tmp_path, settings=settings, workers=1)


def test_changed_inputs_are_detected(tmp_path: Path, crawl: Path, settings: ScanSettings) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(crawl.read_bytes())
    out = tmp_path / "out"
    run_scan([str(src)], out, settings=settings, workers=1, finalize=False)
    src.write_text('{"id": "other", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputsChanged):
        run_scan([str(src)], out, settings=settings, workers=1)


def test_parquet_holds_the_jsonl_records(full: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rows = pq.read_table(full / "results.parquet").to_pylist()
    recs = _records(full)
    assert [r["id"] for r in rows] == [r["id"] for r in recs]
    assert [r["label"] for r in rows] == [r["label"] for r in recs]
    assert rows[1]["matches"][0]["source_id"] == recs[1]["matches"][0]["source_id"]


def test_parquet_input_scans_like_jsonl(
    tmp_path: Path, full: Path, crawl: Path, settings: ScanSettings
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [json.loads(x) for x in crawl.read_text(encoding="utf-8").splitlines() if x[1] == '"']
    src = tmp_path / "crawl.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=4)
    run_scan([str(src)], tmp_path / "out", settings=settings, workers=1)
    got = {r["id"]: (r["label"], r["spin_probability"]) for r in _records(tmp_path / "out")}
    want = {r["id"]: (r["label"], r["spin_probability"]) for r in _records(full)}
    assert got == {k: v for k, v in want.items() if k in got}
    assert len(got) == len(rows)


def test_report_is_self_contained(full: Path) -> None:
    html = (full / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "orig1" in html and "copy.example" in html
    assert "Scored by rare-words-v0." in html  # the module's scan uses the baseline scorer
    assert "<script" not in html and "http-equiv" not in html and "<link" not in html


def test_spun_documents_are_restored(tmp_path: Path, crawl: Path, index_dir: Path) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text(crawl.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    run_scan([str(src)], tmp_path / "out", settings=ScanSettings(db=str(index_dir)), workers=1)
    (rec,) = _records(tmp_path / "out")
    assert rec["label"] == "spun"
    if importlib.util.find_spec("unspin.despin") is None:
        assert rec["restored"] is None and "not available" in rec["restore_reason"]
        assert rec["restored"] is None and rec["restore_reason"]
    else:
        assert rec["restored"] and rec["changes"]
        assert all(c["text"] != c["original"] for c in rec["changes"])


def test_chunk_sizer_targets_a_fixed_work_time() -> None:
    sizer = ChunkSizer(seconds=0.25, max_docs=512)
    assert sizer.size == 1  # nothing measured yet
    sizer.observe(1, 0.5)  # a slow detector: one document per chunk
    assert sizer.size == 1
    fast = ChunkSizer(seconds=0.25, max_docs=512)
    for _ in range(20):
        fast.observe(10, 0.01)  # 1 ms per document
    assert fast.size == 250
    fast.observe(0, 0.0)  # an empty chunk changes nothing
    assert fast.size == 250
    assert ChunkSizer(seconds=10.0, max_docs=64, per_doc=0.001).size == 64
    assert ChunkSizer(fixed=3, per_doc=1e-6).size == 3


def test_adaptive_chunks_write_the_same_file(
    tmp_path: Path, full: Path, crawl: Path, settings: ScanSettings
) -> None:
    run_scan([str(crawl)], tmp_path, settings=settings, workers=2)
    assert (tmp_path / "results.jsonl").read_bytes() == (full / "results.jsonl").read_bytes()


def test_fast_scorer_is_the_triage_and_unknown_ones_are_refused(
    tmp_path: Path, crawl: Path, index_dir: Path
) -> None:
    from unspin.scan.record import Scanner

    out = tmp_path / "fast"
    run_scan([str(crawl)], out, settings=ScanSettings(db=str(index_dir), restore=False,
             scorer="fast"), workers=1)  # fmt: skip
    scored = [r for r in _records(out) if r["label"] != "not_scored"]
    assert scored and {r["scorer"] for r in scored} == {"triage-v1"}
    assert "Scored by triage-v1." in (out / "report.html").read_text(encoding="utf-8")
    assert all(r["spans"] == [] for r in scored)
    with pytest.raises(ValueError, match="unknown scorer"):
        Scanner(ScanSettings(scorer="nope"))


def test_screen_confirms_what_triage_flags(tmp_path: Path, crawl: Path, index_dir: Path) -> None:
    from typer.testing import CliRunner

    from unspin.cli import app

    out = tmp_path / "screen"
    settings = ScanSettings(db=str(index_dir), restore=False, scorer="screen")
    run_scan([str(crawl)], out, settings=settings, workers=1)
    fast = tmp_path / "fast"
    run_scan([str(crawl)], fast, settings=ScanSettings(db=str(index_dir), restore=False,
             scorer="fast"), workers=1)  # fmt: skip
    assert any(f["label"] == "spun" for f in _records(fast))  # the seed, at least
    for s, f in zip(_records(out), _records(fast), strict=True):
        if f["label"] != "spun":  # cleared by triage: the same record
            assert s == f
        else:  # flagged: the detector's verdict
            assert s["scorer"] != "triage-v1"
    res = CliRunner().invoke(app, ["scan", str(crawl), "--out", str(tmp_path / "x"), "--confirm"])
    assert res.exit_code == 2 and "--confirm goes with --fast" in res.output
