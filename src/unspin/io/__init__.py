"""Input: documents from text, HTML, JSON(L), WARC/WET files, folders and stdin.

The readers (and trafilatura/fastwarc behind them) are imported on first use, so that
``import unspin`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from unspin.io.document import Document

if TYPE_CHECKING:
    from unspin.io.read import FORMATS, Format, detect_format, read_documents

__all__ = ["FORMATS", "Document", "Format", "detect_format", "read_documents"]


def __getattr__(name: str) -> Any:
    if name in {"FORMATS", "Format", "detect_format", "read_documents"}:
        from unspin.io import read

        return getattr(read, name)
    raise AttributeError(f"module 'unspin.io' has no attribute {name!r}")
