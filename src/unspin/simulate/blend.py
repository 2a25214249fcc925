"""Blended copies: part of one text woven into sentences of another.

Content farms do not always copy a whole story. They splice part of it (often an earlier
revision than the one an archive holds) into other material, or assemble a page from
several sources. :func:`blend` makes such a copy for fitting and evaluating trace: a run
or an ordered sample of the sentences of ``text``, interleaved with sentences of
``other`` (each side keeping its order), so that about ``share`` of the sentences come
from ``text``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from unspin.text import sentence_texts

__all__ = ["Blend", "blend"]


@dataclass(frozen=True, slots=True)
class Blend:
    text: str
    taken: int  # sentences taken from the first text
    added: int  # sentences of the other text woven in

    @property
    def share(self) -> float:
        """Share of the blend's sentences taken from the first text."""
        return self.taken / (self.taken + self.added)


def blend(
    text: str,
    other: str,
    rng: random.Random,
    share: tuple[float, float] = (0.2, 0.6),
    keep: tuple[float, float] = (0.3, 0.8),
) -> Blend | None:
    """Take ``keep`` (drawn in the range) of the sentences of ``text``, as one run or as
    an ordered sample, and weave in enough leading sentences of ``other`` that the taken
    ones make about ``share`` (drawn) of the blend. Sentences of one side follow each
    other in a paragraph; a switch of side starts a new one. ``None`` when ``text`` has
    fewer than three sentences or ``other`` none."""
    first, second = sentence_texts(text), sentence_texts(other)
    if len(first) < 3 or not second:
        return None
    want = rng.uniform(*share)
    k = max(1, min(len(first), round(len(first) * rng.uniform(*keep))))
    if rng.random() < 0.5:
        start = rng.randrange(0, len(first) - k + 1)
        taken = first[start : start + k]
    else:
        taken = [first[i] for i in sorted(rng.sample(range(len(first)), k))]
    added = second[: max(1, min(len(second), round(k * (1 - want) / want)))]
    sides = [0] * len(taken) + [1] * len(added)
    rng.shuffle(sides)
    queues = (iter(taken), iter(added))
    parts: list[str] = []
    last = -1
    for side in sides:
        parts.append(("\n\n" if side != last and parts else " ") + next(queues[side]))
        last = side
    return Blend("".join(parts), len(taken), len(added))
