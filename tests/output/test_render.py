from __future__ import annotations

import io
import json

from unspin.output import ResultWriter, highlight
from unspin.results import CheckResult, Span


def _result(**kw: object) -> CheckResult:
    base = dict(
        id="d1", spin_probability=0.9, label="spun", spans=[Span(4, 11, "replace", "trade")]
    )
    base.update(kw)
    return CheckResult(**base)  # type: ignore[arg-type]


def test_jsonl_one_object_per_result() -> None:
    buf = io.StringIO()
    w = ResultWriter("jsonl", buf)
    w.write(_result())
    w.write(_result(id="d2", spin_probability=None, label="not_scored", reason="empty", spans=[]))
    w.close()
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [x["id"] for x in lines] == ["d1", "d2"]
    assert lines[0]["spans"][0] == {
        "start": 4,
        "end": 11,
        "text": "replace",
        "original": "trade",
        "score": None,
        "evidence": None,
    }
    assert lines[1]["spin_probability"] is None and lines[1]["reason"] == "empty"


def test_json_is_a_valid_array_even_when_empty() -> None:
    for n in (0, 1, 3):
        buf = io.StringIO()
        w = ResultWriter("json", buf)
        for i in range(n):
            w.write(_result(id=f"d{i}"))
        w.close()
        assert [x["id"] for x in json.loads(buf.getvalue())] == [f"d{i}" for i in range(n)]


def test_html_escapes_everything_and_marks_spans() -> None:
    text = "The <script>alert(1)</script> replace talks"
    start = text.index("replace")
    r = _result(
        id='<img src=x onerror="x">',
        spans=[Span(start, start + 7, "replace", "<b>trade</b>")],
    )
    buf = io.StringIO()
    w = ResultWriter("html", buf)
    w.write(r, text)
    w.close()
    page = buf.getvalue()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark" in page and "&lt;b&gt;trade&lt;/b&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "http://" not in page and "https://" not in page  # no external assets


def test_highlight_skips_overlapping_spans_without_corrupting_text() -> None:
    text = "abc def ghi"
    out = highlight(text, [Span(0, 7, "abc def"), Span(4, 11, "def ghi")])
    assert out.count("<mark") == 1 and out.endswith(" ghi")


def test_table_lists_every_row() -> None:
    buf = io.StringIO()
    w = ResultWriter("table", buf)
    w.write(_result(id="first-doc"))
    w.write(_result(id="second-doc", label="clean", spin_probability=0.1, spans=[]))
    w.close()
    assert "first-doc" in buf.getvalue() and "second-doc" in buf.getvalue()


def test_table_names_the_warnings_and_prints_brackets_as_text() -> None:
    buf = io.StringIO()
    w = ResultWriter("table", buf)
    warn = ["homoglyphs: 12 letters of other scripts ...", "short text (52 words): little ..."]
    w.write(_result(id="[b]crawl-7", warnings=warn))
    w.close()
    out = buf.getvalue()
    assert "[b]crawl-7" in out  # not taken for rich markup
    assert "[homoglyphs, short text]" in out


def test_table_shows_the_strongest_distinct_substitutions() -> None:
    from unspin.output.render import top_spans

    spans = [
        Span(0, 5, "first", "initial", 0.91, ""),
        Span(10, 22, "acknowledged", "said", 0.95, ""),
        Span(30, 42, "Acknowledged", "Said", 0.97, ""),  # the same swap, another case
        Span(50, 55, "usa", "United States", 0.99, ""),
        Span(60, 65, "minute", "little", 0.92, ""),
        Span(70, 76, "attach", "set", 0.93, ""),
    ]
    assert top_spans(spans) == (
        "usa→United States, acknowledged→said ×2, attach→set, minute→little …"
    )
    assert top_spans(spans[:2]) == "acknowledged→said, first→initial"
    assert top_spans([]) == ""
