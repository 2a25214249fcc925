"""Server settings: request limits and where the trace index lives."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = ["ENV_VAR", "Limits", "ServeConfig", "loopback_hosts"]

ENV_VAR = "UNSPIN_SERVE_CONFIG"


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-request limits; each violation is a JSON error (see docs/serve.md)."""

    max_body_bytes: int = 10_000_000  # whole request body -> 413 body_too_large
    max_text_bytes: int = 1_000_000  # one document's text (UTF-8) -> per-item not scored
    max_documents: int = 64  # documents per request -> 422 too_many_documents
    timeout_s: float = 120.0  # wall time per request -> 504 timeout (a cold first document is slow)


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """Everything ``create_app`` needs; ``db`` is the trace index directory (optional)."""

    db: str | None = None
    limits: Limits = field(default_factory=Limits)
    jobs: int = 2  # workers for CPU-bound check/restore work, per server process
    pool: Literal["process", "thread"] = "process"  # processes keep the event loop's GIL free
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted (empty: any); see loopback_hosts

    def to_env(self) -> str:
        """Serialise for worker processes (``uvicorn --workers`` re-imports the app)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeConfig:
        raw = os.environ.get(ENV_VAR)
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(
            db=data.get("db"),
            limits=Limits(**data.get("limits", {})),
            jobs=int(data.get("jobs", 2)),
            pool=data.get("pool", "process"),
            allowed_hosts=tuple(data.get("allowed_hosts", ())),
        )


def loopback_hosts() -> tuple[str, ...]:
    """Host headers to accept when bound to loopback (blocks DNS-rebinding pages).

    Ports are ignored when comparing.
    """
    return ("127.0.0.1", "localhost", "::1")
