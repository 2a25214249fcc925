"""Scan report aggregates: copying sites, disguised texts, substitution pairs."""

from __future__ import annotations

from unspin.detect import homoglyph_warning
from unspin.scan.report import ScanStats, render


def _rec(url: str, label: str, warnings: list[str], changes: list[dict]) -> dict:
    return {"url": url, "label": label, "spin_probability": 0.9, "warnings": warnings,
            "changes": changes, "matches": []}  # fmt: skip


def test_disguised_documents_are_counted_and_their_letters_are_no_synonyms() -> None:
    st = ScanStats()
    st.add(
        _rec(
            "https://www.farm.example/a",
            "spun",
            [homoglyph_warning(12)],
            [
                {"text": "Pre\u0455ident", "original": "President"},  # a look-alike letter
                {"text": "acknowledged", "original": "said"},  # a substitution
            ],
        )
    )
    st.add(_rec("https://news.example/b", "clean", [], []))
    assert st.disguised == 1 and st.disguising == {"farm.example": 1}
    assert dict(st.pairs) == {("acknowledged", "said"): 1}
    page = render(st)
    assert "1 written with look-alike letters" in page and "farm.example" in page


def test_a_scan_without_disguised_texts_has_no_such_table() -> None:
    st = ScanStats()
    st.add(_rec("https://news.example/b", "clean", [], []))
    assert "disguising" not in render(st)
