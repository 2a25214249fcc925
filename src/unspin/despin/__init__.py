"""Restore: give back the original wording of a spun text, with or without its source.

* :func:`restore_text` / :func:`restore_document` -> :class:`~unspin.results.RestoreResult`
  (restored text and every change, offsets into the input);
* :mod:`unspin.despin.lattice`: joint decoding of suspicious sites with the trigram LM;
* :mod:`unspin.despin.source`: exact restoration from an aligned source;
* :func:`harvest` extracts learned (spun -> original) pairs from a copy and its source;
  they are kept in :mod:`unspin.lexicon.learned` (SQLite user store, shipped default set).
"""

from unspin.despin.api import (
    Restorer,
    harvest,
    load_restorer,
    restore_document,
    restore_text,
    with_learned,
    with_threshold,
)
from unspin.lexicon.learned import LearnedStore, default_store_path

__all__ = [
    "LearnedStore",
    "Restorer",
    "default_store_path",
    "harvest",
    "load_restorer",
    "restore_document",
    "restore_text",
    "with_learned",
    "with_threshold",
]
