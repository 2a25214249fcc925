"""Main-text extraction from HTML pages (trafilatura)."""

from __future__ import annotations

import logging
import re

import trafilatura

__all__ = ["NO_MAIN_TEXT", "extract_main_text", "looks_like_html"]

NO_MAIN_TEXT = "no main text found"
# A page whose extracted blocks are all shorter than this (menus, link lists, a lone
# headline) has no main text: trafilatura's fallbacks return such scraps rather than None.
MIN_BLOCK_WORDS = 6
_HTML_START_RE = re.compile(rb"\s*(?:<!doctype\s+html|<html|<head|<body|<!--)", re.I)
_HTML_TAG_RE = re.compile(rb"<(?:html|head|body|title|p|div|article|meta)[\s>]", re.I)

# trafilatura logs every page it cannot parse; errors here become Document.error instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def looks_like_html(head: bytes) -> bool:
    """Does this start of a file look like an HTML page?"""
    return bool(_HTML_START_RE.match(head)) or (
        head.lstrip().startswith(b"<") and bool(_HTML_TAG_RE.search(head[:2048]))
    )


def extract_main_text(html: str, url: str | None = None) -> str:
    """The article text of a page, one paragraph per block separated by blank lines.

    Returns ``""`` when trafilatura finds no main text, or only blocks shorter than
    :data:`MIN_BLOCK_WORDS` words (navigation-only pages, redirects).
    """
    try:
        out = trafilatura.extract(
            html, url=url, output_format="txt", include_comments=False, deduplicate=False
        )
    except Exception:  # trafilatura/lxml raise assorted errors on hostile markup
        return ""
    blocks = [line.strip() for line in (out or "").splitlines() if line.strip()]
    if not any(len(b.split()) >= MIN_BLOCK_WORDS for b in blocks):
        return ""
    return "\n\n".join(blocks)
