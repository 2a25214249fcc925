"""Hypothesis strategies for hostile text: every Unicode category, the characters used to
dodge detectors, right-to-left scripts, homoglyphs, and news-like English to reach the
scorer past its gate."""

from __future__ import annotations

from hypothesis import strategies as st

# Invisible or direction-changing characters and look-alikes.
DODGES = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width, soft hyphen
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi
    "\u0430\u0435\u043e\u0440\u0441\u0445\u0456\u03bf\u0391"  # Cyrillic/Greek look-alikes
    "\uff41\uff42\uff43\u2170\u1d00"  # full-width, roman numeral, small caps
    "\u0301\u0308\u0327\u20dd"  # combining marks
    "\U0001d400\U0001d41a"  # mathematical bold letters
)
RTL = "שלום עולם مرحبا بالعالم "
NEWS_WORDS = (
    "the government said on Tuesday that trade talks with China would resume next "
    "month after officials agreed a new framework for tariffs and investment rules "
    "analysts expected the deal to lift shares of exporters"
).split()

# Any code point, lone surrogates included (JSON "\ud800" escapes produce them).
any_text = st.text(st.characters(codec=None, categories=None), max_size=400)
dodgy_text = st.lists(
    st.sampled_from([*DODGES, *RTL, *"abc XYZ.,;'\"-\n\t\r\x00\x1b", "\r\n", "\n\n"]),
    max_size=300,
).map("".join)
news_text = st.lists(
    st.one_of(
        st.sampled_from(NEWS_WORDS),
        st.sampled_from(NEWS_WORDS).map(lambda w: w + "."),
        st.sampled_from(list(DODGES)),
        st.text(st.characters(), min_size=1, max_size=3),
    ),
    min_size=30,
    max_size=160,
).map(" ".join)
texts = st.one_of(any_text, dodgy_text, news_text)
