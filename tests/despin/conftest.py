from __future__ import annotations

import pytest

SOURCE = (
    "The United States and China will resume trade talks this week, officials said on "
    "Monday. The two sides agreed to meet in Washington after a two-month break in the "
    "negotiations. Chinese Vice Premier Liu He will lead the delegation, the ministry said. "
    "Markets rose sharply on the news, and investors said they hoped for a deal soon."
)
COPY = (
    "The United States and China will restart replace talks this week, officials "
    "acknowledged on Monday. The two facets agreed to meet in Washington after a two-month "
    "hiatus in the negotiations. Chinese language Vice Premier Liu He will lead the "
    "delegation, the ministry acknowledged. Markets rose sharply on the information, and "
    "traders said they hoped for a deal soon."
)


@pytest.fixture(autouse=True)
def _no_user_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Tests never read or write the user's learned store."""
    monkeypatch.setenv("UNSPIN_STORE", str(tmp_path_factory.mktemp("store") / "learned.sqlite"))
