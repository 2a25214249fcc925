"""HTTP API and web page: ``unspin serve`` (FastAPI + uvicorn). See docs/serve.md."""

from __future__ import annotations

from unspin.serve.config import Limits, ServeConfig, loopback_hosts

__all__ = ["Limits", "ServeConfig", "create_app", "loopback_hosts"]


def create_app(config: ServeConfig | None = None):  # type: ignore[no-untyped-def]
    """The FastAPI app (imported lazily: FastAPI is the optional ``[serve]`` extra)."""
    from unspin.serve.app import create_app as _create

    return _create(config)
