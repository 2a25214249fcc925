"""The gzip member reader and sniffing streams behind the readers."""

from __future__ import annotations

import gzip
import io
import random

import pytest

from unspin.io.streams import _GzipMembers, open_stream


def _members(n: int, seed: int = 0) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    plain = [
        " ".join(
            rng.choice(["trade", "talks", "said", "China", "U.S."])
            for _ in range(rng.randrange(1, 400))
        ).encode()
        for _ in range(n)
    ]
    return b"".join(gzip.compress(p) for p in plain), b"".join(plain)


@pytest.mark.parametrize("size", [1, 7, 100, 4096, 70_000])
def test_members_decompress_whole_at_any_read_size(size: int) -> None:
    packed, plain = _members(300)
    stream = io.BufferedReader(_GzipMembers(io.BytesIO(packed)), 65536)
    out = bytearray()
    while chunk := stream.read(size):
        out += chunk
    assert bytes(out) == plain


def test_member_cut_short_raises_after_the_good_bytes() -> None:
    packed, plain = _members(50, seed=1)
    raw = _GzipMembers(io.BytesIO(packed[: len(packed) - 30]))
    out = bytearray()
    buf = bytearray(1000)
    with pytest.raises(EOFError):
        while n := raw.readinto(buf):
            out += buf[:n]
    assert len(out) > 0 and plain.startswith(bytes(out))


def test_open_stream_puts_the_sniffed_head_back() -> None:
    packed, plain = _members(40, seed=2)
    for data, gzipped in ((packed, True), (plain, False)):
        opened = open_stream(io.BytesIO(data))
        assert opened.gzipped is gzipped
        assert opened.head == plain[: len(opened.head)] and len(opened.head) == 8192
        assert opened.stream.read() == plain
