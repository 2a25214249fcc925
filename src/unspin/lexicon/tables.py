"""The compact on-disk form of the reverse thesaurus and its (de)serialisation.

A :class:`LexiconTables` is a graph over *phrases* in CSR layout, sorted by key (so a
lookup is a binary search). Phrase ``i`` has a lookup key (``keys[i]``: project
tokens, lower-cased, joined by one space) and a display form (``display[i]``: the text
to hand back, case kept only for proper nouns and acronyms). Its edges are
``targets[indptr[i]:indptr[i + 1]]`` with relation bits ``rels``: "a spinner may have
replaced phrase *target* WITH phrase *i*". ``inflections`` holds the inflected forms of
every candidate head word, ``lemmas`` the way back.

Everything lives in one ``.npz`` (strings as a single UTF-8 blob), so loading is a
handful of array reads and one ``split``.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "REL_BITS",
    "REL_MOBY",
    "REL_PPS",
    "REL_RULES",
    "REL_WN_ANY",
    "REL_WN_OTHER",
    "REL_WN_SYN",
    "LexiconTables",
    "load_tables",
    "save_npz",
    "save_tables",
    "sources_of",
]

REL_WN_SYN = 1  # same WordNet synset
REL_WN_OTHER = 2  # WordNet similar-to, derivationally related, hypernym -> hyponym
REL_MOBY = 4  # Moby Thesaurus II (both ways: an entry and each word listed under it)
REL_PPS = 8  # PPS tortured phrase -> expected phrase
REL_RULES = 16  # small built-in grammar table (clitics <-> full forms)
REL_WN_ANY = REL_WN_SYN | REL_WN_OTHER
REL_BITS: dict[int, str] = {
    REL_WN_SYN: "wordnet",
    REL_WN_OTHER: "wordnet",
    REL_MOBY: "moby",
    REL_PPS: "pps",
    REL_RULES: "rules",
}


def sources_of(bits: int) -> frozenset[str]:
    """Source names of a relation bit set."""
    return frozenset(name for bit, name in REL_BITS.items() if bits & bit)


@dataclass(frozen=True, slots=True)
class LexiconTables:
    """Phrase vocabulary plus reverse-substitution edges (CSR)."""

    keys: list[str]
    display: list[str]
    zipf: np.ndarray  # uint8, wordfreq Zipf frequency x 10 of the display form
    indptr: np.ndarray  # int64, len(keys) + 1
    targets: np.ndarray  # int32 phrase ids
    rels: np.ndarray  # uint8 relation bits
    inflections: list[str]  # sorted "word<TAB>forms..." lines (see unspin.lexicon.inflect)
    lemmas: list[str]  # sorted "form<TAB>lemma<TAB>tag" lines, the inverse

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def n_edges(self) -> int:
        return int(self.targets.size)


_SEP = "\n"


def save_tables(tables: LexiconTables, path: Path) -> None:
    """Write ``tables`` to ``path`` (a compressed ``.npz``; deterministic bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    display = [d if d != k else "" for k, d in zip(tables.keys, tables.display, strict=True)]
    arrays = {
        "keys": np.frombuffer(_SEP.join(tables.keys).encode(), dtype=np.uint8),
        "display": np.frombuffer(_SEP.join(display).encode(), dtype=np.uint8),
        "zipf": tables.zipf.astype(np.uint8),
        "indptr": tables.indptr.astype(np.int64),
        "targets": tables.targets.astype(np.int32),
        "rels": tables.rels.astype(np.uint8),
        "inflections": np.frombuffer(_SEP.join(tables.inflections).encode(), dtype=np.uint8),
        "lemmas": np.frombuffer(_SEP.join(tables.lemmas).encode(), dtype=np.uint8),
    }
    save_npz(path, arrays)


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as a compressed ``.npz`` with deterministic bytes, atomically
    (readers never see a half-written file)."""
    # np.savez_compressed stamps zip entries with the current time; write them ourselves.
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue(), compresslevel=9)
    os.replace(tmp, path)


def load_tables(path: Path) -> LexiconTables:
    """Read tables written by :func:`save_tables`."""
    with np.load(path, allow_pickle=False) as z:
        keys = z["keys"].tobytes().decode().split(_SEP)
        raw_display = z["display"].tobytes().decode().split(_SEP)
        display = [d or k for k, d in zip(keys, raw_display, strict=True)]
        return LexiconTables(
            keys=keys,
            display=display,
            zipf=z["zipf"],
            indptr=z["indptr"],
            targets=z["targets"],
            rels=z["rels"],
            inflections=z["inflections"].tobytes().decode().split(_SEP),
            lemmas=z["lemmas"].tobytes().decode().split(_SEP),
        )
