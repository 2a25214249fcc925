"""Reverse thesaurus: for a word seen in a text, the words a spinner may have replaced."""

from unspin.lexicon.lexicon import Candidate, Lexicon, load_lexicon

__all__ = ["Candidate", "Lexicon", "load_lexicon"]
