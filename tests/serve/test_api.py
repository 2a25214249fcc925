"""Each endpoint answers with the CLI's JSONL objects (the same ``to_dict()``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import ROOT, SPUN_SEED
from unspin import __version__
from unspin.detect import check_text
from unspin.serve import backends


def _post(client: TestClient, path: str, docs: list[dict[str, object]]) -> dict:
    resp = client.post(path, json={"documents": docs})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_check_items_are_the_cli_jsonl_objects(client: TestClient) -> None:
    from unspin.cli.app import app

    doc_id = str(SPUN_SEED.relative_to(ROOT))
    text = SPUN_SEED.read_text(encoding="utf-8")
    got = _post(client, "/v1/check", [{"id": doc_id, "text": text}])["results"]
    cli = CliRunner().invoke(app, ["check", doc_id, "--format", "jsonl"], catch_exceptions=False)
    printed = [json.loads(line) for line in cli.stdout.splitlines() if line.strip()]
    assert got == printed
    assert got[0]["id"] == doc_id and got[0]["label"] in {"spun", "clean"}


def test_check_keeps_order_and_default_ids(client: TestClient, spun_text: str) -> None:
    results = _post(client, "/v1/check", [{"text": "far too short"}, {"id": 7, "text": spun_text}])[
        "results"
    ]
    assert [r["id"] for r in results] == ["0", "7"]
    assert results[0]["label"] == "not_scored" and "too short" in results[0]["reason"]
    assert results[1] == check_text(spun_text, id="7").to_dict()


def test_check_spans_index_the_text_as_sent(client: TestClient) -> None:
    text = "😀 " + SPUN_SEED.read_text(encoding="utf-8")  # astral char: code-point offsets
    result = _post(client, "/v1/check", [{"id": "e", "text": text}])["results"][0]
    assert result["spans"]
    for span in result["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]


def test_empty_batch_is_an_empty_result(client: TestClient) -> None:
    assert _post(client, "/v1/check", []) == {"results": []}


def test_health(client: TestClient) -> None:
    body = client.get("/v1/health").json()
    assert body["status"] == "ok" and body["version"] == __version__
    assert body["index"] == {"loaded": False, "documents": None}
    assert body["stages"]["check"] is True and body["stages"]["trace"] is False
    assert body["stages"]["restore"] is backends.restore_available()
    assert body["limits"]["max_documents"] == 64


def test_restore_is_501_when_it_cannot_load(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, spun_text: str
) -> None:
    """A restore stage that cannot be loaded (resources missing, broken install) answers
    501 ``not_implemented`` instead of failing the request with a 500."""

    def missing() -> object:
        raise backends.NotAvailable("restore is not available (test)")

    monkeypatch.setattr(backends, "restore_function", missing)
    resp = client.post("/v1/restore", json={"documents": [{"text": spun_text}]})
    assert resp.status_code == 501
    assert resp.json()["error"]["code"] == "not_implemented"


def test_restore_success_path(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, spun_text: str
) -> None:
    from unspin.results import Change, RestoreResult

    def fake(doc: backends.Document, threshold: float | None = None) -> RestoreResult:
        i = doc.text.index("replace")
        change = Change(i, i + 7, "replace", "trade", 0.9)
        restored = doc.text[:i] + "trade" + doc.text[i + 7 :]
        return RestoreResult(doc.id, restored, [change])

    monkeypatch.setattr(backends, "restore_function", lambda: fake)
    result = _post(client, "/v1/restore", [{"id": "s", "text": spun_text}])["results"][0]
    assert result == fake(backends.Document("s", spun_text)).to_dict()


def test_check_threshold_moves_the_label(
    client: TestClient, spun_text: str, related_text: str
) -> None:
    docs = [{"id": "s", "text": spun_text}, {"id": "r", "text": related_text}]
    for t, labels in ((0.0, ["spun", "spun"]), (1.0, ["clean", "clean"]), (None, None)):
        resp = client.post("/v1/check", json={"documents": docs, "threshold": t})
        assert resp.status_code == 200, resp.text
        got = resp.json()["results"]
        want = [check_text(d["text"], id=d["id"], threshold=t).to_dict() for d in docs]
        assert got == want
        if labels is not None:
            assert [r["label"] for r in got] == labels
    assert [r["label"] for r in got] == ["spun", "clean"]  # the default threshold


@pytest.mark.parametrize("path", ["/v1/check", "/v1/restore"])
@pytest.mark.parametrize("bad", [-0.1, 1.5, "high"])
def test_threshold_out_of_range_is_422(client: TestClient, path: str, bad: object) -> None:
    resp = client.post(path, json={"documents": [{"text": "x"}], "threshold": bad})
    assert resp.status_code == 422, resp.text


@pytest.mark.parametrize("edge", [0.0, 1.0])
def test_threshold_edges(client: TestClient, spun_text: str, edge: float) -> None:
    """check takes 0 and 1; restore's decision threshold lies strictly between (as
    ``with_threshold`` takes it): 422, not a 500 from the worker."""
    body = {"documents": [{"text": spun_text}], "threshold": edge}
    assert client.post("/v1/check", json=body).status_code == 200
    assert client.post("/v1/restore", json=body).status_code == 422


def test_restore_threshold_reaches_restore(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, spun_text: str
) -> None:
    from unspin.results import RestoreResult

    seen: list[float | None] = []

    def fake(doc: backends.Document, threshold: float | None = None) -> RestoreResult:
        seen.append(threshold)
        return RestoreResult(doc.id, doc.text, [])

    monkeypatch.setattr(backends, "restore_function", lambda: fake)
    client.post("/v1/restore", json={"documents": [{"text": spun_text}], "threshold": 0.25})
    client.post("/v1/restore", json={"documents": [{"text": spun_text}]})
    assert seen == [0.25, None]


def test_trace_without_index_is_503(client: TestClient) -> None:
    resp = client.post("/v1/trace", json={"documents": [{"text": "x"}]})
    assert resp.status_code == 503
    assert resp.json()["error"]["code"] == "no_index"
    assert client.get("/v1/sources/a").status_code == 503


@pytest.fixture
def index_dir(tmp_path: Path, spun_text: str, related_text: str) -> Path:
    trace = pytest.importorskip("unspin.trace", reason="trace stage not available")
    db = tmp_path / "idx"
    with trace.Index(db) as index:
        index.add([("seed-000", spun_text), ("seed-004", related_text)])
    return db


def test_trace_with_index(make_client, index_dir: Path, spun_text: str) -> None:  # type: ignore[no-untyped-def]
    from unspin.trace import Index

    client = make_client(db=str(index_dir))
    health = client.get("/v1/health").json()
    assert health["index"] == {"loaded": True, "documents": 2}
    assert health["stages"]["trace"] is True
    copy = spun_text[: len(spun_text) // 2]
    got = _post(client, "/v1/trace", [{"id": "c", "text": copy}])["results"][0]
    with Index(index_dir) as index:
        assert got == index.trace(copy, id="c").to_dict()
    assert got["matches"][0]["source_id"] == "seed-000"
    source = client.get("/v1/sources/seed-000").json()
    assert source == {"id": "seed-000", "text": spun_text}
    missing = client.get("/v1/sources/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_page_and_docs_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/restore", "/v1/trace", "/v1/health"} <= set(spec["paths"])


_EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|"""
    r"""@import|fetch\(\s*["'`](?:https?:)?//""",
    re.I,
)
_HTML_SINKS = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|eval\(")


def test_static_files_use_no_external_assets_and_no_innerhtml() -> None:
    from unspin.serve.app import STATIC

    files = sorted(STATIC.iterdir())
    assert {p.name for p in files} >= {"index.html", "app.js", "style.css"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(text), path.name
        assert not _HTML_SINKS.search(text), path.name
        assert "<script>" not in text, path.name  # no inline script (CSP forbids it anyway)


def test_process_pool_gives_the_same_results(make_client, spun_text: str) -> None:  # type: ignore[no-untyped-def]
    client = make_client(pool="process", jobs=1)
    got = _post(client, "/v1/check", [{"id": "p", "text": spun_text}])["results"]
    assert got == [check_text(spun_text, id="p").to_dict()]
