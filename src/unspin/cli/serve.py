"""``unspin serve``: the HTTP API and the web page (FastAPI + uvicorn)."""

from __future__ import annotations

import ipaddress
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.app import EXIT_USAGE, app, err_console


class Pool(StrEnum):
    process = "process"
    thread = "thread"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: Annotated[
        Path | None, typer.Option(help="Trace index directory to load (enables /v1/trace).")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; the default only accepts local connections.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    jobs: Annotated[
        int, typer.Option(min=1, help="Workers for CPU-bound work, per server process.")
    ] = 2,
    pool: Annotated[
        Pool,
        typer.Option(help="Worker processes (keep the server responsive) or threads."),
    ] = Pool.process,
    max_body_mb: Annotated[float, typer.Option(help="Request body limit (-> 413).")] = 10.0,
    max_text_mb: Annotated[
        float, typer.Option(help="Per-document text limit (-> item not scored).")
    ] = 1.0,
    max_documents: Annotated[int, typer.Option(help="Documents per request (-> 422).")] = 64,
    timeout: Annotated[float, typer.Option(help="Seconds per request (-> 504).")] = 120.0,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
) -> None:
    """Run the HTTP API (/v1/check, /v1/restore, /v1/trace, /v1/health) and the web page (/).

    Open http://127.0.0.1:8000/ in a browser; API reference at /docs. See docs/serve.md.
    """
    try:
        import uvicorn

        from unspin.serve.config import ENV_VAR, Limits, ServeConfig, loopback_hosts
    except ImportError as exc:
        err_console.print(f"unspin serve: needs the [serve] extra ({exc.name} is missing)")
        raise typer.Exit(EXIT_USAGE) from None
    if db is not None and not db.exists():
        err_console.print(f"unspin serve: index not found: {db}")
        raise typer.Exit(EXIT_USAGE)
    config = ServeConfig(
        db=str(db) if db is not None else None,
        limits=Limits(
            max_body_bytes=int(max_body_mb * 1e6),
            max_text_bytes=int(max_text_mb * 1e6),
            max_documents=max_documents,
            timeout_s=timeout,
        ),
        jobs=jobs,
        pool=pool.value,
        allowed_hosts=loopback_hosts() if _is_loopback(host) else (),
    )
    if not _is_loopback(host):
        err_console.print(f"unspin serve: listening on {host}: reachable from other machines")
    os.environ[ENV_VAR] = config.to_env()
    err_console.print(f"unspin serve: http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(
        "unspin.serve.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )
