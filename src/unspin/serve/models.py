"""Request and response schemas (responses are the CLI's ``to_dict()`` objects)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from unspin.results import CheckResult, RestoreResult, TraceResult

__all__ = [
    "BatchIn",
    "CheckIn",
    "CheckOut",
    "DocumentIn",
    "ErrorDetail",
    "ErrorOut",
    "Health",
    "IndexInfo",
    "RestoreIn",
    "RestoreOut",
    "SourceOut",
    "TraceOut",
]


class DocumentIn(BaseModel):
    id: str | int | None = Field(
        None, description="Echoed in the result; defaults to the position in the list (0, 1, …)."
    )
    text: str = Field(..., description="The document text (plain text).")


class BatchIn(BaseModel):
    documents: list[DocumentIn] = Field(..., description="Documents to process, in order.")

    model_config = {
        "json_schema_extra": {
            "examples": [{"documents": [{"id": "a", "text": "The United States said …"}]}]
        }
    }


def _threshold(description: str, *, open_interval: bool = False) -> Any:
    """An optional probability in [0, 1], or in (0, 1) (the CLI's ``--threshold``)."""
    if open_interval:
        return Field(None, gt=0.0, lt=1.0, description=description)
    return Field(None, ge=0.0, le=1.0, description=description)


class CheckIn(BatchIn):
    threshold: float | None = _threshold(
        "Spin probability from which a document is labelled spun (`unspin check "
        "--threshold`), at every length; default: the detector's own threshold (at most 1% "
        "of clean texts flagged; stricter under 150 words). Lower finds more spun copies and "
        "flags more clean texts."
    )


class RestoreIn(BatchIn):
    threshold: float | None = _threshold(
        "Confidence from which a suspected substitution is undone without a source "
        "(`unspin restore --threshold`); default: the shipped decision threshold. Lower "
        "undoes more substitutions and changes more words that were not spun.",
        open_interval=True,  # as unspin.despin.with_threshold takes it
    )


class CheckOut(BaseModel):
    results: list[CheckResult]


class RestoreOut(BaseModel):
    results: list[RestoreResult]


class TraceOut(BaseModel):
    results: list[TraceResult]


class IndexInfo(BaseModel):
    loaded: bool
    documents: int | None = None


class Health(BaseModel):
    status: str
    version: str
    index: IndexInfo
    stages: dict[str, bool]
    limits: dict[str, int | float]


class SourceOut(BaseModel):
    id: str
    text: str


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail
