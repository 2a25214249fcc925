"""Rendering results: rich table, JSON, JSONL and a self-contained HTML report."""

from unspin.output.html import HtmlReport, highlight
from unspin.output.render import FORMATS, Format, ResultWriter, to_json_line

__all__ = ["FORMATS", "Format", "HtmlReport", "ResultWriter", "highlight", "to_json_line"]
