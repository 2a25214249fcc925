from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.trace.conftest import ORIGINAL, RELATED, SPUN, UNRELATED
from unspin.cli import app

runner = CliRunner()


def _jsonl(path: Path, docs: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in docs.items()))
    return path


def test_index_then_trace_jsonl(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "orig.jsonl", {"orig": ORIGINAL, "other": UNRELATED})
    db = tmp_path / "db"
    res = runner.invoke(app, ["index", str(src), "--db", str(db)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["index", str(src), "--db", str(db)])  # again: no-op
    assert "0 added" in res.stdout and "2 unchanged" in res.stdout
    copies = _jsonl(tmp_path / "copies.jsonl", {"c1": SPUN, "c2": RELATED})
    res = runner.invoke(app, ["trace", str(copies), "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    assert [d["id"] for d in lines] == ["c1", "c2"]
    assert lines[0]["matches"][0]["source_id"] == "orig"
    assert lines[0]["matches"][0]["relation"] == "derived"
    assert all(m["relation"] == "related" for m in lines[1]["matches"])


def test_trace_json_and_table(tmp_path: Path) -> None:
    db = tmp_path / "db"
    runner.invoke(
        app, ["index", str(_jsonl(tmp_path / "o.jsonl", {"orig": ORIGINAL})), "--db", str(db)]
    )
    copy = tmp_path / "copy.txt"
    copy.write_text(SPUN)
    res = runner.invoke(app, ["trace", str(copy), "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data) == 1 and data[0]["matches"][0]["source_id"] == "orig"
    res = runner.invoke(app, ["trace", str(copy), "--db", str(db)])
    assert res.exit_code == 0 and "derived" in res.stdout


def test_trace_without_index_is_a_usage_error(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(SPUN)
    res = runner.invoke(app, ["trace", str(copy), "--db", str(tmp_path / "nope")])
    assert res.exit_code == 2
