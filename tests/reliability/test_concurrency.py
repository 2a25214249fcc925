"""Readers while a writer extends the index (SQLite WAL), in one process and over HTTP."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from bench.killharness import synthetic_docs

from unspin.trace import Index


def _build(db: Path, docs: list[dict[str, str]]) -> None:
    with Index(db, batch_size=50) as idx:
        idx.add([(d["id"], d["text"]) for d in docs])


def test_readers_while_index_writes(tmp_path: Path) -> None:
    docs = synthetic_docs(600, seed=3)
    db = tmp_path / "db"
    _build(db, docs[:200])
    probes = docs[:200:25]
    errors: list[str] = []
    sizes: list[int] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                with Index(db, readonly=True) as idx:
                    n = len(idx)
                    for p in probes:
                        m = idx.trace(p["text"]).matches
                        if not m or m[0].source_id != p["id"]:
                            errors.append(f"{p['id']} -> {m[0].source_id if m else None}")
                    sizes.append(n)
            except Exception as e:
                errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        with Index(db, batch_size=20) as idx:
            for _ in idx.add_batches([(d["id"], d["text"]) for d in docs]):
                pass
    finally:
        done.set()
        for t in threads:
            t.join()
    assert errors == []
    assert sizes and min(sizes) >= 200
    with Index(db, readonly=True) as idx:
        assert len(idx) == 600


def test_a_reader_opened_during_a_commit_sees_one_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspin.trace.store import Store

    docs = synthetic_docs(41, seed=5)
    db = tmp_path / "db"
    _build(db, docs[:40])
    original = Store.segments

    def segments_then_a_commit(self: Store) -> list:
        segs = original(self)
        if self.readonly:
            _build(db, docs)  # another process commits the 41st document right now
        return segs

    monkeypatch.setattr(Store, "segments", segments_then_a_commit)
    with Index(db, readonly=True) as idx:
        n = len(idx)
        found = idx.trace(docs[40]["text"]).matches
    assert n == 40 or (found and found[0].source_id == docs[40]["id"])


def test_server_answers_while_index_is_extended(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    from unspin.serve import ServeConfig, create_app

    docs = synthetic_docs(400, seed=4)
    db = tmp_path / "db"
    _build(db, docs[:200])
    probes = docs[:200:20]
    codes: list[int] = []
    wrong: list[str] = []
    done = threading.Event()
    app = create_app(ServeConfig(db=str(db), pool="thread", jobs=2))
    with TestClient(app, base_url="http://127.0.0.1") as client:

        def ask() -> None:
            while not done.is_set():
                body = {"documents": [{"id": p["id"], "text": p["text"]} for p in probes[:3]]}
                r = client.post("/v1/trace", json=body)
                codes.append(r.status_code)
                if r.status_code == 200:
                    got = [x["matches"][0]["source_id"] for x in r.json()["results"]]
                    if got != [p["id"] for p in probes[:3]]:
                        wrong.append(str(got))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            _build(db, docs)
        finally:
            done.set()
            for t in threads:
                t.join()
        health = client.get("/v1/health").json()
    assert codes and set(codes) == {200} and wrong == []
    # The running server keeps the index it loaded: restart it to serve new documents.
    assert health["index"]["documents"] == 200
