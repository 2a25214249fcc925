"""Every limit and every error comes back as ``{"error": {"code", "message"}}``."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.serve.conftest import BASE
from unspin.io.document import Document
from unspin.results import CheckResult
from unspin.serve import Limits, ServeConfig, backends, create_app


def _error(resp: httpx.Response, status: int, code: str) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return str(body["error"]["message"])


def test_body_too_large_by_content_length(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(limits=Limits(max_body_bytes=1000))
    resp = client.post("/v1/check", json={"documents": [{"text": "x" * 2000}]})
    assert "1,000" in _error(resp, 413, "body_too_large")


def test_body_too_large_when_chunked(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(limits=Limits(max_body_bytes=1000))

    def chunks() -> Iterator[bytes]:
        yield b'{"documents": [{"text": "'
        for _ in range(10):
            yield b"x" * 200
        yield b'"}]}'

    resp = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    _error(resp, 413, "body_too_large")


def test_text_too_large_is_a_per_item_not_scored(make_client, spun_text: str) -> None:  # type: ignore[no-untyped-def]
    client = make_client(limits=Limits(max_text_bytes=len(spun_text.encode()) - 1))
    docs = [{"id": "big", "text": spun_text}, {"id": "ok", "text": "short text"}]
    resp = client.post("/v1/check", json={"documents": docs})
    assert resp.status_code == 200
    big, ok = resp.json()["results"]
    assert big["label"] == "not_scored" and big["reason"].startswith("document too large")
    assert big["spans"] == [] and ok["reason"].startswith("too short")


def test_too_many_documents(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(limits=Limits(max_documents=2))
    resp = client.post("/v1/check", json={"documents": [{"text": "a"}] * 3})
    assert "limit is 2" in _error(resp, 422, "too_many_documents")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"documents": [', 400, "malformed_json"),
        (b"not json at all", 400, "malformed_json"),
        (b'{"documents": 3}', 422, "invalid_request"),
        (b'{"docs": []}', 422, "invalid_request"),
        (b'{"documents": [{"id": "a"}]}', 422, "invalid_request"),
        (b'{"documents": [{"text": 5}]}', 422, "invalid_request"),
        (b"[]", 422, "invalid_request"),
    ],
)
def test_bad_bodies(client: TestClient, body: bytes, status: int, code: str) -> None:
    resp = client.post("/v1/check", content=body, headers={"content-type": "application/json"})
    _error(resp, status, code)


def test_wrong_content_type(client: TestClient) -> None:
    resp = client.post("/v1/check", content=b'{"documents": []}')
    _error(resp, 415, "unsupported_media_type")


def test_unknown_path_and_method(client: TestClient) -> None:
    _error(client.get("/v1/nope"), 404, "not_found")
    _error(client.get("/v1/check"), 405, "method_not_allowed")


def test_foreign_host_header_rejected_on_loopback(make_client) -> None:  # type: ignore[no-untyped-def]
    from unspin.serve import loopback_hosts

    client = make_client(allowed_hosts=loopback_hosts())
    for ok in ["127.0.0.1", "127.0.0.1:8000", "localhost:80", "[::1]:8000", "LOCALHOST"]:
        assert client.get("/v1/health", headers={"host": ok}).status_code == 200, ok
    for bad in ["evil.example:8000", "127.0.0.1.evil.example", ""]:
        resp = client.get("/v1/health", headers={"host": bad})
        _error(resp, 400, "invalid_host")


def test_timeout_is_504(make_client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def stuck(doc: Document, threshold: float | None = None) -> CheckResult:
        release.wait(5)
        return CheckResult(doc.id, 0.0, "clean")

    monkeypatch.setattr(backends, "check_one", stuck)
    client = make_client(limits=Limits(timeout_s=0.05))
    try:
        resp = client.post("/v1/check", json={"documents": [{"text": "a"}, {"text": "b"}]})
    finally:
        release.set()
    _error(resp, 504, "timeout")


def test_deadline_stops_a_batch_between_documents() -> None:
    calls: list[str] = []

    def fn(doc: Document) -> CheckResult:
        calls.append(doc.id)
        return CheckResult(doc.id, 0.0, "clean")

    with pytest.raises(backends.DeadlineExceeded):
        backends.run_batch(fn, [Document("a", "")], backends.Deadline(time.monotonic() - 1))
    assert calls == []


def test_internal_error_is_json_500(make_client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(doc: Document, threshold: float | None = None) -> CheckResult:
        raise RuntimeError("boom")

    monkeypatch.setattr(backends, "check_one", broken)
    from fastapi.testclient import TestClient

    client = TestClient(
        create_app(ServeConfig(pool="thread")), base_url=BASE, raise_server_exceptions=False
    )
    _error(client.post("/v1/check", json={"documents": [{"text": "a"}]}), 500, "internal_error")


def test_health_answers_while_a_batch_is_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPU work runs off the event loop: /v1/health completes while /v1/check is blocked."""
    started, release = threading.Event(), threading.Event()

    def slow(doc: Document, threshold: float | None = None) -> CheckResult:
        started.set()
        release.wait(10)
        return CheckResult(doc.id, 0.0, "clean")

    monkeypatch.setattr(backends, "check_one", slow)

    async def scenario() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=create_app(ServeConfig(pool="thread")))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            check = asyncio.create_task(http.post("/v1/check", json={"documents": [{"text": "a"}]}))
            for _ in range(1000):  # at most ~10 s: a broken stub must fail, not hang
                if started.is_set():
                    break
                await asyncio.sleep(0.01)
            assert started.is_set(), "the check never reached its worker"
            health = await http.get("/v1/health")
            assert not check.done()  # the check is still blocked in its worker thread
            release.set()
            return health.status_code, (await check).status_code

    try:
        assert asyncio.run(scenario()) == (200, 200)
    finally:
        release.set()


@pytest.mark.parametrize(("n", "k"), [(0, 2), (1, 2), (5, 2), (7, 3), (3, 8)])
def test_chunks_keep_order_and_cover_everything(n: int, k: int) -> None:
    docs = [Document(str(i), "") for i in range(n)]
    parts = backends.chunks(docs, k)
    assert [d for part in parts for d in part] == docs
    assert len(parts) <= max(1, min(k, n))
    sizes = [len(p) for p in parts]
    assert not sizes or max(sizes) - min(sizes) <= 1


def test_split_batches_come_back_in_order(make_client, spun_text: str) -> None:  # type: ignore[no-untyped-def]
    client = make_client(jobs=3)
    docs = [{"id": f"d{i}", "text": spun_text if i % 2 else "too short"} for i in range(7)]
    results = client.post("/v1/check", json={"documents": docs}).json()["results"]
    assert [r["id"] for r in results] == [d["id"] for d in docs]
    assert [r["label"] == "not_scored" for r in results] == [i % 2 == 0 for i in range(7)]


def _die(doc: Document) -> CheckResult:  # runs in a worker process
    import os

    os._exit(3)


def test_a_dead_worker_is_a_500_and_the_pool_is_replaced() -> None:
    from unspin.serve.app import _run, _State
    from unspin.serve.errors import ApiError

    state = _State(ServeConfig(pool="process", jobs=1))
    pool = state.cpu_pool()
    try:
        with pytest.raises(ApiError) as err:
            asyncio.run(_run(state, pool, _die, [Document("a", "")]))
        assert (err.value.status, err.value.code) == (500, "worker_crashed")
        assert state.pool is None  # a fresh pool is made for the next request
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        state.close()
