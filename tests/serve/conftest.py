"""Fixtures for the HTTP API: an app factory and a TestClient on a loopback base URL."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import pytest

pytest.importorskip("fastapi", reason="the [serve] extra (fastapi) is not installed")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from unspin.serve import Limits, ServeConfig, create_app

BASE = "http://127.0.0.1"


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """``make_client(db=..., limits=Limits(...))`` -> a started TestClient."""
    clients: list[TestClient] = []

    def make(**kwargs: object) -> TestClient:
        kwargs.setdefault("pool", "thread")  # fast start-up; tests may monkeypatch backends
        client = TestClient(create_app(ServeConfig(**kwargs)), base_url=BASE)  # type: ignore[arg-type]
        client.__enter__()  # run the lifespan (loads the index)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def small_limits(**kwargs: float) -> Limits:
    return Limits(**kwargs)  # type: ignore[arg-type]
