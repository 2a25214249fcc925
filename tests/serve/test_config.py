"""Configuration round trip (worker processes) and the serve command's guards."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.serve import Limits, ServeConfig
from unspin.serve.config import ENV_VAR


def test_config_survives_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = ServeConfig(
        db="/tmp/x",
        limits=Limits(10, 20, 3, 1.5),
        jobs=4,
        pool="thread",
        allowed_hosts=("localhost",),
    )
    monkeypatch.setenv(ENV_VAR, config.to_env())
    assert ServeConfig.from_env() == config


def test_defaults_when_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert ServeConfig.from_env() == ServeConfig()
    assert ServeConfig().limits == Limits(10_000_000, 1_000_000, 64, 120.0)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.2", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    from unspin.cli.serve import _is_loopback

    assert _is_loopback(host) is loopback


def test_serve_refuses_a_missing_index(tmp_path: Path) -> None:
    from unspin.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "index not found" in result.output


def test_serve_rejects_an_unknown_pool() -> None:
    from unspin.cli import app

    result = CliRunner().invoke(app, ["serve", "--pool", "fibers"])
    assert result.exit_code == 2
