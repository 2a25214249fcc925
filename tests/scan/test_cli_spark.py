"""``unspin scan`` end to end: a SIGKILL-and-resume smoke test, and the Spark engine."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.scan import ScanSettings, run_scan

SCAN = "import unspin.cli, unspin.cli.scan; unspin.cli.main()"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", SCAN, "scan", *args]


def test_cli_writes_the_three_outputs(tmp_path: Path, crawl: Path, index_dir: Path) -> None:
    import unspin.cli
    import unspin.cli.scan

    out = tmp_path / "out"
    args = [str(crawl), "--db", str(index_dir), "--out", str(out), "--workers", "1"]
    res = CliRunner().invoke(
        unspin.cli.app, ["scan", *args, "--no-restore", "--fast", "--no-progress"]
    )
    assert res.exit_code == 2, res.output  # the malformed line is an unreadable input
    assert "12 documents" in res.output
    assert {p.name for p in out.iterdir()} >= {"results.jsonl", "results.parquet", "report.html"}
    res = CliRunner().invoke(unspin.cli.app, ["scan", str(crawl), "--out", str(out), "--fast"])
    assert res.exit_code == 2 and "other inputs" in res.output


def test_kill_and_resume(tmp_path: Path, crawl: Path, index_dir: Path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_bytes(crawl.read_bytes() * 4)
    settings = ScanSettings(db=str(index_dir), restore=False, scorer="fast")
    run_scan([str(big)], tmp_path / "ref", settings=settings, workers=1, finalize=False)
    out = tmp_path / "out"
    args = _cli(str(big), "--db", str(index_dir), "--out", str(out), "--no-restore",
                "--no-progress", "--workers", "2", "--fast")  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.stat().st_size > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert results.read_bytes() == (tmp_path / "ref" / "results.jsonl").read_bytes()


def _spark_ready() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark not installed (extra [spark])"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime for Spark"
    return None


@pytest.mark.slow
def test_spark_engine_matches_local(tmp_path: Path, crawl: Path, index_dir: Path) -> None:
    if reason := _spark_ready():
        pytest.skip(reason)
    from unspin.scan.spark_index import build_index_spark

    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(b"".join(crawl.read_bytes().splitlines(keepends=True)[:3]))
    db_local, db_spark = tmp_path / "idx_local", tmp_path / "idx_spark"
    from unspin.trace import Index

    with Index(db_local) as idx:
        idx.add(run_docs := list(_docs(archive)))
    report = build_index_spark([str(archive)], db_spark, master="local[2]", batch_size=2)
    assert report.added == len(run_docs)
    inputs = [str(crawl), str(archive)]
    local = ScanSettings(db=str(db_local), restore=False, scorer="baseline")
    spark = ScanSettings(db=str(db_spark), restore=False, scorer="baseline")
    run_scan(inputs, tmp_path / "a", settings=local, workers=1)
    run_scan(inputs, tmp_path / "b", settings=spark, engine="spark", master="local[2]")
    a = (tmp_path / "a" / "results.jsonl").read_bytes()
    assert a == (tmp_path / "b" / "results.jsonl").read_bytes()
    assert a.count(b"\n") == 15
    run_scan(inputs, tmp_path / "c", settings=spark, engine="spark", master="local[2]",
             trace_join=True)  # fmt: skip
    assert a == (tmp_path / "c" / "results.jsonl").read_bytes()


def _docs(path: Path):  # type: ignore[no-untyped-def]
    from unspin.io import read_documents

    return read_documents([path])


@pytest.mark.slow
def test_cli_index_engine_spark_matches_local(tmp_path: Path, crawl: Path) -> None:
    if reason := _spark_ready():
        pytest.skip(reason)
    import unspin.cli
    from unspin.trace import Index

    db_local, db_spark = tmp_path / "local", tmp_path / "spark"
    base = ["index", str(crawl)]
    res = CliRunner().invoke(unspin.cli.app, [*base, "--db", str(db_local), "--batch-size", "4"])
    assert res.exit_code == 2, res.output  # the crawl's malformed line
    spark = [*base, "--db", str(db_spark), "--batch-size", "4", "--engine", "spark",
             "--master", "local[2]"]  # fmt: skip
    res = CliRunner().invoke(unspin.cli.app, spark)
    assert res.exit_code == 2, res.output
    assert "11 added" in res.stdout and "11 documents" in res.stdout
    res = CliRunner().invoke(unspin.cli.app, spark)  # again: every document unchanged
    assert "0 added, 0 updated, 11 unchanged" in res.stdout
    with Index(db_local, readonly=True) as a, Index(db_spark, readonly=True) as b:
        assert len(a) == len(b) == 11
        assert [s.keys.tobytes() for s in a._segments] == [s.keys.tobytes() for s in b._segments]
        for doc_id in ("spun0", "copy1", "fresh"):
            assert a.trace(a.text(doc_id)) == b.trace(b.text(doc_id))


def test_cli_index_engine_spark_without_pyspark(
    tmp_path: Path, crawl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unspin.cli

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark -> ImportError
    args = ["index", str(crawl), "--db", str(tmp_path / "db"), "--engine", "spark"]
    res = CliRunner().invoke(unspin.cli.app, args)
    assert res.exit_code == 2
    assert "needs pyspark" in res.output
