"""`unspin simulate` smoke tests: JSONL contract, exact alignments, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from unspin.cli import app
from unspin.simulate import apply_alignment

runner = CliRunner()

DOCS = [
    {"id": "a", "text": "The company said trade talks may resume next year in Washington."},
    {"id": "b", "text": "Prices rose sharply on Monday.\n\nAnalysts expect further gains."},
]


def test_simulate_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["simulate", str(src), "--profile", "wordnet-blind", "--rate", "0.6", "--seed", "4"]
    res = runner.invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["original_id"] for r in rows] == ["a", "b"]
    for row, doc in zip(rows, DOCS, strict=True):
        assert set(row) >= {"id", "original_id", "profile", "rate", "seed", "text", "original"}
        assert row["profile"] == "wordnet-blind" and row["rate"] == 0.6 and row["seed"] == 4
        assert row["original"] == doc["text"]
        assert apply_alignment(row["original"], row["alignment"]) == row["text"]
        for e in row["alignment"]:
            assert set(e) >= {"orig_start", "orig_end", "spun_start", "spun_end", "op"}
    again = runner.invoke(app, [*args, "--out", str(tmp_path / "again.jsonl")])
    assert again.exit_code == 0
    assert (tmp_path / "again.jsonl").read_text(encoding="utf-8") == out.read_text("utf-8")


def test_simulate_text_file_to_stdout(tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text(DOCS[0]["text"], encoding="utf-8")
    res = runner.invoke(app, ["simulate", str(src), "-p", "distrib", "-r", "0.5"])
    assert res.exit_code == 0, res.output
    (row,) = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert apply_alignment(row["original"], row["alignment"]) == row["text"]


def test_simulate_usage_errors(tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text("Some text.", encoding="utf-8")
    assert runner.invoke(app, ["simulate", str(src), "--profile", "nope"]).exit_code == 2
    assert runner.invoke(app, ["simulate", str(src), "--rate", "1.5"]).exit_code == 2
    assert runner.invoke(app, ["simulate"]).exit_code == 2
    res = runner.invoke(app, ["simulate", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2
    listed = runner.invoke(app, ["simulate", "--list-profiles"])
    assert listed.exit_code == 0 and "seedlike" in listed.stdout
