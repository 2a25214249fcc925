from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from unspin.cli.restore import learn, restore

from .conftest import COPY, SOURCE

app = typer.Typer()
app.command()(restore)
app.command()(learn)
runner = CliRunner()


def test_restore_jsonl_with_source(tmp_path: Path) -> None:
    (tmp_path / "copy.txt").write_text(COPY)
    (tmp_path / "src.txt").write_text(SOURCE)
    out = runner.invoke(
        app,
        [
            "restore",
            str(tmp_path / "copy.txt"),
            "--source",
            str(tmp_path / "src.txt"),
            "-f",
            "jsonl",
        ],
    )
    assert out.exit_code == 0, out.output
    rec = json.loads(out.stdout.splitlines()[0])
    assert set(rec) >= {"id", "restored", "changes"}
    assert rec["restored"] == SOURCE
    assert set(rec["changes"][0]) == {"start", "end", "text", "original", "confidence"}


def test_restore_html_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "copy.txt").write_text(COPY)
    page = tmp_path / "out.html"
    out = runner.invoke(app, ["restore", str(tmp_path / "copy.txt"), "-f", "html", "-o", str(page)])
    assert out.exit_code == 0, out.output
    assert "<del" in page.read_text()
    # a relative path: the table folds a long id (a deep tmp path) across lines
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["restore", "copy.txt"])
    assert out.exit_code == 0 and "copy.txt" in out.stdout


def test_restore_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "copy.txt").write_text(COPY)
    out = runner.invoke(app, ["restore", str(tmp_path / "copy.txt"), "--db", str(tmp_path / "no")])
    assert out.exit_code == 2
    out = runner.invoke(app, ["restore", str(tmp_path / "missing.txt"), "-f", "jsonl"])
    assert out.exit_code == 2


def test_learn_from_index(tmp_path: Path) -> None:
    from unspin.despin import LearnedStore
    from unspin.trace import Index

    db = tmp_path / "db"
    with Index(db) as idx:
        idx.add([("src-1", SOURCE)])
    (tmp_path / "copy.txt").write_text(COPY)
    store = tmp_path / "learned.sqlite"
    out = runner.invoke(
        app, ["learn", str(tmp_path / "copy.txt"), "--db", str(db), "--store", str(store)]
    )
    assert out.exit_code == 0, out.output
    assert "0 of 1 copies traced" not in out.stdout  # trace must call the copy derived
    with LearnedStore(store, readonly=True) as st:
        assert ("acknowledged", "said", 2) in list(st)


def test_restore_threshold_trades_changes(tmp_path: Path) -> None:
    """A lower --threshold makes the same changes and more; a higher one fewer; out of
    range is a usage error."""
    seed = Path(__file__).resolve().parents[2] / "examples" / "000_spun_reuters_us_china_trade.txt"

    def changes(*extra: str) -> set[tuple[int, str]]:
        out = runner.invoke(app, ["restore", str(seed), "-f", "jsonl", *extra])
        assert out.exit_code == 0, out.output
        rec = json.loads(out.stdout.splitlines()[0])
        return {(c["start"], c["original"]) for c in rec["changes"]}

    default, low, high = changes(), changes("--threshold", "0.2"), changes("--threshold", "0.9")
    assert len(high) < len(default) < len(low)
    assert len(default & low) >= 0.9 * len(default)
    out = runner.invoke(app, ["restore", str(seed), "--threshold", "1.5"])
    assert out.exit_code == 2


def test_threshold_help_names_the_shipped_threshold() -> None:
    from unspin.cli.restore import ThresholdOpt
    from unspin.despin.decide import load_decision

    help_text = ThresholdOpt.__metadata__[0].help
    assert f"the shipped {load_decision().threshold}," in help_text
