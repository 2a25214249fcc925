"""Bytes to text: binary sniffing, UTF-8 with counted replacement, HTML charsets.

Invalid UTF-8 is decoded with ``surrogateescape`` and every escaped byte is then replaced
by U+FFFD, so the caller learns how many bytes were bad (a warning, not an error). Lone
surrogates never survive into a :class:`~unspin.io.document.Document`: they could not be
written back out as UTF-8.
"""

from __future__ import annotations

import codecs
import re

__all__ = [
    "clean_surrogates",
    "decode_html",
    "decode_text",
    "invalid_utf8_warning",
    "looks_binary",
]

_SNIFF = 8192
# Control bytes that never occur in text (tab, newlines, form feed, backspace, ESC allowed).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x08\x1b") + b"\x7f"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 on the web.
_WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 30% control bytes, in the first 8 KB (BOM-marked UTF-16 is text)."""
    head = data[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > 0.3 * len(head)


def clean_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogates (escaped bad bytes) by U+FFFD; return the text and their count."""
    n = len(_SURROGATE_RE.findall(text))
    return (_SURROGATE_RE.sub("\ufffd", text), n) if n else (text, 0)


def invalid_utf8_warning(n: int) -> str:
    return f"invalid UTF-8: {n} bytes replaced"


def decode_text(data: bytes, encoding: str = "utf-8") -> tuple[str, list[str]]:
    """Decode a text document; a leading byte-order mark chooses UTF-8/UTF-16 and is dropped."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, n = clean_surrogates(data.decode("utf-16", "surrogateescape"))
        return text, [invalid_utf8_warning(n).replace("UTF-8", "UTF-16")] if n else []
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError:
        pass
    except LookupError:
        encoding = "utf-8"
    if encoding.replace("_", "-").lower() not in {"utf-8", "utf8"}:
        return data.decode(encoding, "replace"), []
    text, n = clean_surrogates(data.decode("utf-8", "surrogateescape"))
    return text, [invalid_utf8_warning(n)] if n else []


def html_charset(data: bytes, declared: str | None = None) -> str:
    """The charset to decode an HTML page with: HTTP header, else ``<meta>``, else UTF-8."""
    label = declared
    if not label:
        m = _META_CHARSET_RE.search(data[:4096])
        label = m.group(1).decode("ascii") if m else "utf-8"
    label = label.strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "utf-8"
    return _WEB_ALIASES.get(label, _WEB_ALIASES.get(name, name))


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode HTML bytes with :func:`html_charset`."""
    return decode_text(data, html_charset(data, declared))
