"""Text layer: offset-preserving normalisation, tokens, sentences."""

from unspin.text.case import match_case
from unspin.text.normalize import Normalized, normalize, normalize_str
from unspin.text.quotes import quoted
from unspin.text.sentences import sentence_bounds, sentence_texts
from unspin.text.tokenize import Kind, Token, Tokens, tokenize

__all__ = [
    "Kind",
    "Normalized",
    "Token",
    "Tokens",
    "match_case",
    "normalize",
    "normalize_str",
    "quoted",
    "sentence_bounds",
    "sentence_texts",
    "tokenize",
]
