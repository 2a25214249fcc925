"""Pure ASGI middleware: request body limit and security headers."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin.serve.errors import error_body

__all__ = ["BodyLimit", "HostGuard", "JsonOnly", "SecurityHeaders"]

_BODY_METHODS = {"POST", "PUT", "PATCH"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """Read the whole body up to ``max_bytes`` (413 ``body_too_large`` beyond), then replay it.

    Checks ``Content-Length`` first and counts the bytes actually received, so chunked
    uploads are bounded too. Memory per request is at most ``max_bytes``.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, size: str) -> dict[str, Any]:
        return error_body(
            "body_too_large",
            f"request body is {size} bytes; the limit is {self.max_bytes:,} bytes",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, self._too_large(f"{int(declared):,}"))
            return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.max_bytes:
                await _send_json(send, 413, self._too_large(f"more than {self.max_bytes:,}"))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        buffered: Message | None = {"type": "http.request", "body": b"".join(chunks)}

        async def replay() -> Message:
            nonlocal buffered
            if buffered is not None:
                out, buffered = buffered, None
                return out
            return await receive()

        await self.app(scope, replay, send)


class JsonOnly:
    """415 ``unsupported_media_type`` for API requests with a body that is not JSON.

    Also keeps other web sites from posting to a local server: a cross-origin JSON POST
    needs a CORS preflight, which this server never grants.
    """

    def __init__(self, app: ASGIApp, prefix: str = "/v1/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in _BODY_METHODS
            and scope["path"].startswith(self.prefix)
        ):
            ctype = dict(scope["headers"]).get(b"content-type", b"")
            if ctype.split(b";")[0].strip().lower() != b"application/json":
                msg = "send the body as JSON with 'Content-Type: application/json'"
                await _send_json(send, 415, error_body("unsupported_media_type", msg))
                return
        await self.app(scope, receive, send)


def _host_name(host: str) -> str:
    """``Host`` header without its port: ``[::1]:8000`` -> ``::1``, ``a:80`` -> ``a``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostGuard:
    """400 ``invalid_host`` unless the ``Host`` header names one of ``allowed`` (any port).

    On a loopback-bound server this stops DNS-rebinding pages from reaching the API.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(_host_name(h).lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if _host_name(host).lower() not in self.allowed:
                msg = f"host {host!r} is not served here; use http://127.0.0.1 or localhost"
                await _send_json(send, 400, error_body("invalid_host", msg))
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Add a strict Content-Security-Policy (no inline script, no external origin) and
    ``nosniff`` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
