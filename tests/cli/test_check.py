"""The CLI contract of `unspin check` (shapes, exit codes, bad input)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from unspin.cli import app

runner = CliRunner()


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_examples_one_row_per_seed() -> None:
    res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = _jsonl(res.stdout)
    assert len(rows) == 2
    for row in rows:
        assert set(row) >= {"id", "spin_probability", "label", "reason", "spans"}
        assert row["label"] in {"spun", "clean"}
        assert 0.0 <= row["spin_probability"] <= 1.0 and row["reason"] is None
        text = Path(row["id"]).read_text(encoding="utf-8")
        for sp in row["spans"]:
            assert set(sp) >= {"start", "end", "text", "original"}
            assert text[sp["start"] : sp["end"]] == sp["text"]


def test_table_json_html_formats(tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(EXAMPLES)])
    assert res.exit_code == 0 and "000_spun" in res.stdout and "004_original" in res.stdout
    res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 2
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "html", "--out", str(out)])
    assert res.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="doc">') == 2


def test_stdin_jsonl() -> None:
    text = (EXAMPLES / "004_original_reuters_us_china_related.txt").read_text(encoding="utf-8")
    stdin = json.dumps({"id": "a", "text": text}) + "\n" + json.dumps({"id": "b", "text": "x"})
    res = runner.invoke(app, ["check", "-", "--format", "jsonl"], input=stdin + "\n")
    assert res.exit_code == 0, res.output
    rows = _jsonl(res.stdout)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[1]["label"] == "not_scored" and rows[1]["spin_probability"] is None


def test_bad_inputs_reported_and_exit_2_after_processing_the_rest(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02garbage\x00" * 100)
    good = (EXAMPLES / "004_original_reuters_us_china_related.txt").read_text(encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"id": "ok1", "text": good})
        + "\n{not json\n"
        + json.dumps({"id": "ok2", "text": good})
        + "\n"
    )
    missing = tmp_path / "does-not-exist.txt"
    res = runner.invoke(app, ["check", str(tmp_path), str(missing), "--format", "jsonl"])
    assert res.exit_code == 2
    rows = {r["id"]: r for r in _jsonl(res.stdout)}
    assert rows["ok1"]["label"] in {"spun", "clean"} and rows["ok2"]["label"] in {"spun", "clean"}
    bad = [r for r in rows.values() if r["label"] == "not_scored"]
    reasons = " | ".join(r["reason"] for r in bad)
    assert "empty" in reasons and "binary" in reasons and "line 2" in reasons
    assert any(str(missing) in r["id"] for r in bad)


def test_too_large_refused_others_processed(tmp_path: Path) -> None:
    good = (EXAMPLES / "004_original_reuters_us_china_related.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(good)
    (tmp_path / "big.txt").write_text(good * 20)
    res = runner.invoke(app, ["check", str(tmp_path), "--format", "jsonl", "--max-bytes", "20000"])
    assert res.exit_code == 2
    rows = {Path(r["id"]).name: r for r in _jsonl(res.stdout)}
    assert rows["a.txt"]["label"] in {"spun", "clean"}
    assert rows["big.txt"]["label"] == "not_scored" and "too large" in rows["big.txt"]["reason"]


def test_fail_on_exit_code() -> None:
    res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl", "--fail-on", "0.0"])
    assert res.exit_code == 1
    res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl", "--fail-on", "1.0"])
    assert res.exit_code == 0


def test_threshold_moves_the_label_and_is_a_probability() -> None:
    def labels(*extra: str) -> list[str]:
        res = runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl", *extra])
        assert res.exit_code == 0, res.output
        return [r["label"] for r in _jsonl(res.stdout)]

    assert labels("--threshold", "0") == ["spun", "spun"]
    assert labels("--threshold", "1") == ["clean", "clean"]
    for bad in ("-0.1", "1.5"):
        assert runner.invoke(app, ["check", str(EXAMPLES), "--threshold", bad]).exit_code == 2


def test_fast_uses_the_triage_scorer() -> None:
    res = runner.invoke(app, ["check", str(EXAMPLES), "--fast", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = {Path(r["id"]).name[:3]: r for r in _jsonl(res.stdout)}
    assert {r["scorer"] for r in rows.values()} == {"triage-v1"}
    assert rows["000"]["label"] == "spun" and rows["004"]["label"] == "clean"
    assert all(r["spans"] == [] for r in rows.values())
    slow = _jsonl(runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl"]).stdout)
    assert {r["scorer"] for r in slow} != {"triage-v1"}


def test_confirm_goes_with_fast() -> None:
    res = runner.invoke(app, ["check", str(EXAMPLES), "--confirm"])
    assert res.exit_code == 2 and "--confirm goes with --fast" in res.output
    res = runner.invoke(app, ["check", str(EXAMPLES), "--fast", "--confirm", "--format", "jsonl"])
    rows = {Path(r["id"]).name[:3]: r for r in _jsonl(res.stdout)}
    assert res.exit_code == 0
    assert rows["000"]["scorer"] != "triage-v1" and rows["000"]["spans"]  # confirmed
    assert rows["004"]["scorer"] == "triage-v1" and rows["004"]["label"] == "clean"
