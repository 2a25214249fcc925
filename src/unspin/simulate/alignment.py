"""Gold character alignments between an original and its spun copy.

An alignment is a list of :class:`Edit` in *spun order*: their spun spans tile the spun
text left to right, and their original spans together cover the original exactly once
(``move`` edits are the ones whose original span is out of order: sentence reordering).
Applying the alignment to the original -- concatenating ``original[orig_start:orig_end]``
for ``equal``/``move`` edits and ``text`` for ``substitute``/``insert`` edits -- gives the
spun text exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Edit", "Op", "apply_alignment", "check_alignment"]

Op = Literal["equal", "substitute", "insert", "delete", "move"]
OPS: frozenset[str] = frozenset(("equal", "substitute", "insert", "delete", "move"))


@dataclass(frozen=True, slots=True)
class Edit:
    """``original[orig_start:orig_end]`` became ``spun[spun_start:spun_end]``.

    ``text`` is the spun text of ``substitute``/``insert`` edits (empty otherwise);
    ``kind`` says which spinner behaviour made the edit (``synonym``, ``phrase``,
    ``entity``, ``case``, ``number``, ``boilerplate``, ``partial``, ``reorder``).
    """

    orig_start: int
    orig_end: int
    spun_start: int
    spun_end: int
    op: Op
    text: str = ""
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.op not in ("substitute", "insert"):
            del d["text"]
        if not self.kind:
            del d["kind"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        return cls(
            int(d["orig_start"]),
            int(d["orig_end"]),
            int(d["spun_start"]),
            int(d["spun_end"]),
            d["op"],
            d.get("text", ""),
            d.get("kind", ""),
        )


def _as_edit(e: Edit | dict[str, Any]) -> Edit:
    return e if isinstance(e, Edit) else Edit.from_dict(e)


def apply_alignment(original: str, alignment: Iterable[Edit | dict[str, Any]]) -> str:
    """The spun text that ``alignment`` makes of ``original``."""
    parts: list[str] = []
    for e in map(_as_edit, alignment):
        if e.op in ("equal", "move"):
            parts.append(original[e.orig_start : e.orig_end])
        elif e.op in ("substitute", "insert"):
            parts.append(e.text)
    return "".join(parts)


def check_alignment(
    original: str, spun: str, alignment: Sequence[Edit | dict[str, Any]]
) -> list[str]:
    """Problems with ``alignment`` (an empty list when it is exact)."""
    problems: list[str] = []
    edits = [_as_edit(e) for e in alignment]
    pos = 0
    covered: list[tuple[int, int]] = []
    for i, e in enumerate(edits):
        if e.op not in OPS:
            problems.append(f"edit {i}: unknown op {e.op!r}")
        if e.spun_start != pos:
            problems.append(f"edit {i}: spun_start {e.spun_start} != {pos}")
        pos = e.spun_end
        seg = spun[e.spun_start : e.spun_end]
        src = original[e.orig_start : e.orig_end]
        if e.op in ("equal", "move") and seg != src:
            problems.append(f"edit {i}: {e.op} but {src!r} != {seg!r}")
        if e.op in ("substitute", "insert") and seg != e.text:
            problems.append(f"edit {i}: text {e.text!r} != spun {seg!r}")
        if e.op == "insert" and e.orig_start != e.orig_end:
            problems.append(f"edit {i}: insert with a non-empty original span")
        if e.op == "delete" and e.spun_start != e.spun_end:
            problems.append(f"edit {i}: delete with a non-empty spun span")
        if e.orig_end > e.orig_start:
            covered.append((e.orig_start, e.orig_end))
    if pos != len(spun):
        problems.append(f"alignment covers {pos} of {len(spun)} spun characters")
    end = 0
    for s, t in sorted(covered):
        if s != end:
            problems.append(f"original [{end}, {s}) covered {'twice' if s < end else 'never'}")
        end = max(end, t)
    if end != len(original):
        problems.append(f"alignment covers {end} of {len(original)} original characters")
    if apply_alignment(original, edits) != spun:
        problems.append("applying the alignment does not give the spun text")
    return problems
