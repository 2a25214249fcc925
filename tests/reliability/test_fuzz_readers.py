"""Structure-aware fuzzing of every reader (tests/io/test_fuzz.py throws random bytes;
these build near-valid JSON, JSONL, HTML and WARC and then damage them)."""

from __future__ import annotations

import json

from bench.fuzz_targets.targets import TARGETS, check_documents, read_bytes, seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.text(max_size=200) | json_values,
        "url": json_values,
    },
)


@_SETTINGS
@given(st.lists(records | json_values, max_size=6), st.sampled_from(["x.jsonl", "x.json", "x.bin"]))
def test_json_and_jsonl_of_any_shape(items: list, name: str) -> None:
    if name == "x.json":
        data = json.dumps(items).encode()
    else:
        data = "\n".join(json.dumps(i) for i in items).encode()
    check_documents(read_bytes(data, name))


_TAGS = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<table><tr><td>",
    "<br/>",
    "<![CDATA[",
    "]]>",
    "<svg><foreignObject>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "<meta charset='utf-7'>",
    "<meta charset='nonsense'>",
    "<body>",
    "<html>",
]


@_SETTINGS
@given(st.lists(st.sampled_from(_TAGS) | st.text(max_size=30), max_size=120))
def test_html_tag_soup(parts: list[str]) -> None:
    check_documents(read_bytes("".join(parts).encode("utf-8", "surrogatepass"), "x.html"))


def _mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for pos, length, repl in cuts:
        p = pos % (len(out) + 1)
        out[p : p + length] = repl
    return bytes(out)


_WARC = seeds()["warc"][0]
_EDITS = st.lists(
    st.tuples(
        st.integers(0, len(_WARC)),
        st.integers(0, 8),
        st.binary(max_size=6)
        | st.sampled_from(
            [b"\r\n", b"Content-Length: 999999999\r\n", b"WARC/1.0\r\n", b"-1", b"\x00"]
        ),
    ),
    max_size=6,
)


@_SETTINGS
@given(_EDITS, st.sampled_from(["warc", "warc.gz", "sniffed"]))
def test_damaged_warc(edits: list, target: str) -> None:
    data = _mutate(_WARC, edits)
    TARGETS[target](b"\xff" + data if target == "warc.gz" else data)


@_SETTINGS
@given(st.binary(min_size=1, max_size=800), st.sampled_from(["jsonl.gz", "warc.gz"]))
def test_gzip_streams_cut_anywhere(body: bytes, target: str) -> None:
    TARGETS[target](body)
