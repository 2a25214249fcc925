"""The FastAPI application: ``create_app(ServeConfig) -> FastAPI``.

CPU-bound work never runs on the event loop: check and restore go to a pool of worker
processes (or threads, ``pool="thread"``), which also serialise the JSON; trace runs in one
dedicated thread that owns the index's SQLite connection. So ``/v1/health`` answers while
a large batch is being scored.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import AsyncIterator, Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from unspin import __version__
from unspin.io.document import Document
from unspin.serve import backends
from unspin.serve.backends import Deadline, DeadlineExceeded, NotAvailable, TraceIndex
from unspin.serve.config import ServeConfig
from unspin.serve.errors import ApiError, error_response, install_handlers
from unspin.serve.middleware import BodyLimit, HostGuard, JsonOnly, SecurityHeaders
from unspin.serve.models import (
    BatchIn,
    CheckIn,
    CheckOut,
    ErrorOut,
    Health,
    RestoreIn,
    RestoreOut,
    SourceOut,
    TraceOut,
)

__all__ = ["STATIC", "create_app", "create_app_from_env"]

log = logging.getLogger("unspin.serve")

STATIC = Path(__file__).resolve().parent / "static"

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": desc}
    for status, desc in [
        (400, "Malformed JSON"),
        (413, "Request body too large"),
        (415, "Content-Type is not application/json"),
        (422, "Invalid request (wrong shape, too many documents)"),
        (501, "Stage not implemented yet"),
        (504, "Request took longer than the timeout"),
    ]
}


def _cpu_pool(config: ServeConfig) -> Executor:
    """Worker processes (default: their GIL is not the event loop's) or threads."""
    jobs = max(1, config.jobs)
    if config.pool == "thread":
        return ThreadPoolExecutor(jobs, thread_name_prefix="unspin")
    pool = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"), initializer=backends.init_worker
    )
    for _ in range(jobs):
        pool.submit(backends.warm_up)  # start and warm the workers now, not on first request
    return pool


class _State:
    """Per-app resources: the CPU pool, the index thread and the (optional) trace index."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.pool: Executor | None = None  # created at start-up (lifespan)
        self.index_pool = ThreadPoolExecutor(1, thread_name_prefix="unspin-index")
        self.index: TraceIndex | None = None
        self.index_size: int | None = None
        self.index_error: str | None = None
        self.restore_ok = False

    def start(self) -> None:
        self.pool = _cpu_pool(self.config)
        self.load_index()
        # probed in a worker: the restore stage's resources load there, not in this process
        self.restore_ok = self.pool.submit(backends.restore_available).result()

    def cpu_pool(self) -> Executor:
        if self.pool is None:
            self.pool = _cpu_pool(self.config)
        return self.pool

    def restart_pool(self) -> None:
        """Replace a process pool whose worker died (e.g. killed for memory)."""
        broken, self.pool = self.pool, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    def load_index(self) -> None:
        if not self.config.db:
            return
        # opened in the index thread: SQLite connections belong to the thread that made them
        try:
            self.index = self.index_pool.submit(backends.open_index, self.config.db).result()
        except NotAvailable as exc:  # trace not built yet: /v1/trace answers 501
            self.index_error = str(exc)
            log.warning("--db ignored: %s", exc)
            return
        self.index_size = self.index_pool.submit(len, self.index).result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        index = self.index
        if index is not None and hasattr(index, "close"):
            self.index_pool.submit(index.close)
        self.index_pool.shutdown(wait=False)


def _documents(batch: BatchIn, max_documents: int, max_text_bytes: int) -> list[Document]:
    """Request items -> Documents; texts over the limit become per-item errors (not scored)."""
    n = len(batch.documents)
    if n > max_documents:
        raise ApiError(
            422, "too_many_documents", f"{n} documents in one request; the limit is {max_documents}"
        )
    docs = []
    for i, item in enumerate(batch.documents):
        doc_id = str(i) if item.id is None else str(item.id)
        text = item.text
        warnings: list[str] = []
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:  # lone surrogates from JSON "\ud800": keep offsets, replace
            text = text.encode("utf-8", "replace").decode("utf-8")
            size = len(text.encode("utf-8"))
            warnings.append("invalid Unicode (lone surrogates) replaced by '?'")
        if size > max_text_bytes:
            error = backends.too_large(size, max_text_bytes)
            docs.append(Document(doc_id, "", origin="request", warnings=warnings, error=error))
        else:
            docs.append(Document(doc_id, text, origin="request", warnings=warnings))
    return docs


async def _run(
    state: _State,
    pool: Executor,
    fn: Callable[[Document], Any],
    docs: list[Document],
    split: int = 1,
) -> Response:
    """Run ``fn`` over ``docs`` in ``pool`` (in up to ``split`` parallel chunks)."""
    timeout = state.config.limits.timeout_s
    deadline = Deadline.after(timeout)
    loop = asyncio.get_running_loop()
    futures = [
        loop.run_in_executor(pool, backends.run_batch, fn, part, deadline)
        for part in backends.chunks(docs, split)
    ]
    try:
        body = backends.results_body(await asyncio.wait_for(asyncio.gather(*futures), timeout))
    except BrokenExecutor:
        state.restart_pool()
        raise ApiError(
            500, "worker_crashed", "a worker process died on this request; it was restarted"
        ) from None
    except (TimeoutError, DeadlineExceeded):
        raise ApiError(
            504,
            "timeout",
            f"the request took longer than {timeout:g} s; send fewer or shorter documents",
        ) from None
    return Response(body, media_type="application/json")


def create_app(config: ServeConfig | None = None) -> FastAPI:
    """Build the app: API under ``/v1``, the page at ``/``, offline docs at ``/docs``."""
    config = config or ServeConfig()
    state = _State(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.start()
        yield
        state.close()

    app = FastAPI(
        title="unspin",
        version=__version__,
        summary="Find machine-spun copies of news articles, restore and trace them.",
        docs_url=None,  # FastAPI's Swagger page loads from a CDN; ours is static and offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.unspin = state
    install_handlers(app)
    app.add_exception_handler(
        NotAvailable, lambda _r, exc: error_response(501, "not_implemented", str(exc))
    )
    if config.allowed_hosts:
        app.add_middleware(HostGuard, allowed=config.allowed_hosts)
    app.add_middleware(BodyLimit, max_bytes=config.limits.max_body_bytes)
    app.add_middleware(JsonOnly)
    app.add_middleware(SecurityHeaders)  # outermost: every response gets the headers

    limits = config.limits

    def documents(batch: BatchIn) -> list[Document]:
        return _documents(batch, limits.max_documents, limits.max_text_bytes)

    @app.post("/v1/check", response_model=CheckOut, responses=_ERRORS, tags=["api"])
    async def check(batch: CheckIn) -> Response:
        """Spin probability, label and suspected substitutions per document
        (items = `unspin check --format jsonl`)."""
        fn = partial(backends.check_one, threshold=batch.threshold)
        return await _run(state, state.cpu_pool(), fn, documents(batch), config.jobs)

    @app.post("/v1/restore", response_model=RestoreOut, responses=_ERRORS, tags=["api"])
    async def restore(batch: RestoreIn) -> Response:
        """The de-spun text and its changes per document
        (items = `unspin restore --format jsonl`)."""
        docs = documents(batch)
        backends.restore_function()  # 501 before any work when restore is not built
        fn = partial(backends.restore_one, threshold=batch.threshold)
        return await _run(state, state.cpu_pool(), fn, docs, config.jobs)

    @app.post(
        "/v1/trace",
        response_model=TraceOut,
        responses={**_ERRORS, 503: {"model": ErrorOut, "description": "No index loaded"}},
        tags=["api"],
    )
    async def trace(batch: BatchIn) -> Response:
        """Sources of each document in the loaded index (items = `unspin trace --format jsonl`)."""
        docs = documents(batch)
        index = _index(state)
        return await _run(state, state.index_pool, partial(backends.trace_one, index), docs)

    @app.get(
        "/v1/sources/{source_id:path}",
        response_model=SourceOut,
        responses={404: {"model": ErrorOut}, 503: {"model": ErrorOut}},
        tags=["api"],
    )
    async def source(source_id: str) -> JSONResponse:
        """The archived text of one indexed source (to show aligned passages)."""
        index = _index(state)
        loop = asyncio.get_running_loop()
        text = await loop.run_in_executor(state.index_pool, backends.source_text, index, source_id)
        if text is None:
            raise ApiError(404, "not_found", f"no source text for id {source_id!r}")
        return JSONResponse({"id": source_id, "text": text})

    @app.get("/v1/health", response_model=Health, tags=["api"])
    async def health() -> dict[str, Any]:
        """Liveness, version, and whether a trace index is loaded (with its size)."""
        return {
            "status": "ok",
            "version": __version__,
            "index": {"loaded": state.index is not None, "documents": state.index_size},
            "stages": {
                "check": True,
                "restore": state.restore_ok,
                "trace": state.index is not None,
            },
            "limits": asdict(limits),
        }

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _index(state: _State) -> TraceIndex:
    if state.index is None:
        if state.index_error or not backends.trace_available():
            raise NotAvailable(state.index_error or "trace is not implemented yet (trace issue)")
        raise ApiError(
            503, "no_index", "no trace index is loaded; start the server with --db INDEX"
        )
    return state.index


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --workers N`` (configuration passed in ``UNSPIN_SERVE_CONFIG``)."""
    return create_app(ServeConfig.from_env())
