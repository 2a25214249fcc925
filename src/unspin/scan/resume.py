"""Resumable, ordered output: ``results.jsonl`` is its own checkpoint.

Records are appended in input order, one complete line each. After a crash (even
``kill -9``) the file holds the first *n* records and possibly a partial line: on resume the
partial tail is truncated and the first *n* input documents are skipped. A manifest
(``scan.json``) pins the inputs and settings, so a resume never mixes two different scans.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["Checkpoint", "ManifestMismatch", "ResultsWriter", "check_manifest", "recover"]

RESULTS = "results.jsonl"
MANIFEST = "scan.json"


class ManifestMismatch(ValueError):
    """The output folder holds (part of) a scan with other inputs or settings."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Records already in ``results.jsonl`` and the id of the last one."""

    done: int
    size: int
    last_id: str | None


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def check_manifest(out: Path, manifest: dict[str, Any], *, restart: bool = False) -> None:
    """Create ``out`` and its manifest, or check that the existing one matches."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / MANIFEST
    if restart:
        for name in (RESULTS, MANIFEST):
            (out / name).unlink(missing_ok=True)
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old != manifest:
            raise ManifestMismatch(
                f"{out} holds a scan with other inputs or settings; use another --out or --restart"
            )
        return
    _write_atomic(path, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def recover(path: Path) -> Checkpoint:
    """Truncate a partial last line of ``path`` and count the complete records."""
    if not path.exists():
        return Checkpoint(0, 0, None)
    done = 0
    good = 0
    pos = 0
    last_line_start = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            start = 0
            while (i := chunk.find(b"\n", start)) >= 0:
                done += 1
                last_line_start = good
                good = pos + i + 1
                start = i + 1
            pos += len(chunk)
    if good != pos:
        with path.open("r+b") as fh:
            fh.truncate(good)
            fh.flush()
            os.fsync(fh.fileno())
    last_id = None
    if done:
        with path.open("rb") as fh:
            fh.seek(last_line_start)
            last_id = str(json.loads(fh.read(good - last_line_start))["id"])
    return Checkpoint(done, good, last_id)


class ResultsWriter:
    """Appends record lines; flushes after every batch and fsyncs at most every second."""

    def __init__(self, path: Path, fsync_every: float = 1.0) -> None:
        self.path = path
        self._fh: BinaryIO = path.open("ab")
        self._fsync_every = fsync_every
        self._last_sync = time.monotonic()

    def write_batch(self, lines: list[str]) -> None:
        if not lines:
            return
        self._fh.write(("\n".join(lines) + "\n").encode("utf-8"))
        self._fh.flush()
        now = time.monotonic()
        if now - self._last_sync >= self._fsync_every:
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def close(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
