"""The learned-substitution store: (spun span -> original span) pairs with counts.

Pairs come from aligned (copy, source) pairs (:func:`unspin.despin.harvest`). The user
store is SQLite (default ``~/.local/share/unspin/learned.sqlite``, or ``$UNSPIN_STORE``);
the package ships a small default set built from the red-team *train* profiles
(``resources/learned/pairs.tsv.gz``, ``scripts/build_learned.py``). Both are fed to the
lexicon with :meth:`~unspin.lexicon.Lexicon.add_learned` by
:func:`unspin.detect.evidence.with_learned`, so restore and detect see them.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from unspin.text import tokenize
from unspin.text.normalize import fold_homoglyphs

__all__ = [
    "SHIPPED",
    "LearnedStore",
    "default_store_path",
    "normalise_pair",
    "read_shipped",
    "write_shipped",
]

SHIPPED = Path(__file__).resolve().parent.parent / "resources" / "learned" / "pairs.tsv.gz"
MAX_WORDS = 4  # longest spun or original span kept


def default_store_path() -> Path:
    """``$UNSPIN_STORE``, else ``$XDG_DATA_HOME/unspin/learned.sqlite`` (~/.local/share)."""
    env = os.environ.get("UNSPIN_STORE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "unspin" / "learned.sqlite"


def normalise_pair(spun: str, original: str) -> tuple[str, str] | None:
    """Lower-cased spun key and whitespace-normalised original, or None if not worth
    keeping (identical, too long, no letters)."""
    # look-alike letters read as Latin ones, as a disguised text is read ("Preѕident")
    s = " ".join(tokenize(fold_homoglyphs(spun, 0)[0]).lower)
    o = " ".join(fold_homoglyphs(original, 0)[0].split())
    if not s or not o or s == o.lower() or not any(ch.isalpha() for ch in s):
        return None
    if s.count(" ") >= MAX_WORDS or o.count(" ") >= MAX_WORDS:
        return None
    return s, o


class LearnedStore:
    """SQLite table ``pairs(spun, original, count)``; a context manager."""

    def __init__(self, path: str | Path | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if readonly:
            self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(self.path)
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS pairs (spun TEXT NOT NULL, original TEXT NOT NULL,"
                " count INTEGER NOT NULL, PRIMARY KEY (spun, original))"
            )

    def __enter__(self) -> LearnedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def add(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Count the pairs in; returns how many were kept."""
        counts = Counter(p for p in (normalise_pair(s, o) for s, o in pairs) if p is not None)
        with self.con:
            self.con.executemany(
                "INSERT INTO pairs VALUES (?, ?, ?) "
                "ON CONFLICT(spun, original) DO UPDATE SET count = count + excluded.count",
                [(s, o, n) for (s, o), n in counts.items()],
            )
        return sum(counts.values())

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        yield from self.con.execute("SELECT spun, original, count FROM pairs ORDER BY spun")

    def __len__(self) -> int:
        return int(self.con.execute("SELECT COUNT(*) FROM pairs").fetchone()[0])


def read_shipped(path: Path = SHIPPED) -> list[tuple[str, str, int]]:
    """The shipped default pairs (empty if the resource is missing)."""
    if not path.exists():
        return []
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            s, o, n = line.rstrip("\n").split("\t")
            out.append((s, o, int(n)))
    return out


def write_shipped(pairs: Iterable[tuple[str, str, int]], path: Path = SHIPPED) -> None:
    """Write pairs sorted, with a fixed gzip mtime (reproducible bytes)."""
    rows = sorted(pairs)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        for s, o, n in rows:
            gz.write(f"{s}\t{o}\t{n}\n".encode())
