"""Capitalisation carried from a word in the text to the word that replaces it."""

from __future__ import annotations

__all__ = ["match_case"]


def match_case(option: str, surface: str) -> str:
    """``option`` written as ``surface`` is: "Replace" -> "Trade", "ACKNOWLEDGED" -> "SAID".

    An option with a capital of its own (a name, an acronym: "United States", "U.S.",
    "iPhone") keeps its case; only an all-lower-case option takes the surface's.
    """
    if not option or not surface or option != option.lower():
        return option
    if surface.isupper() and len(surface) > 1 and option.isascii():
        return option.upper()
    if surface[0].isupper():
        return option[0].upper() + option[1:]
    return option
